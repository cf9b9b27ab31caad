"""Security headers, CSP with nonces, and a clean `check --deploy` with production values."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from conftest import client_for, production_secrets

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("path", "logged_in", "html"),
    [
        ("/", False, True),
        ("/accounts/login/", False, True),
        ("/work/", True, True),
        ("/healthz", False, False),
        ("/api/v1/villages/", False, False),
    ],
)
def test_security_headers_everywhere(tree, village_cadre, path, logged_in, html):
    response = client_for(village_cadre if logged_in else None).get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in policy
    if html:  # pages carry their scripts with this response's nonce
        nonce = re.search(r"script-src 'self' 'nonce-([\w+/=-]+)'", policy)
        assert nonce and f'nonce="{nonce.group(1)}"' in response.content.decode()
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_no_inline_script_without_the_nonce(tree):
    response = Client().get("/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert nonce
    for tag in re.findall(r"<script\b[^>]*>", response.content.decode()):
        assert "src=" in tag or f'nonce="{nonce.group(1)}"' in tag


def test_session_cookie_is_httponly(tree, village_cadre):
    from conftest import PASSWORD

    response = Client().post("/accounts/login/", {"username": "village", "password": PASSWORD})
    assert response.cookies["sessionid"]["httponly"]


def _production_env(**extra: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "0",
        **production_secrets(),
        "ALLOWED_HOSTS": "qinglian.example.org",
        "QINGLIAN_VAR_DIR": "/tmp",
    }
    env.update(extra)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "qinglian.cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_values():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = _production_env()
    del env["SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_malformed_setting_is_named():
    result = _manage("check", env=_production_env(LOGIN_FAILURE_LIMIT="five"))
    assert result.returncode != 0
    assert "LOGIN_FAILURE_LIMIT must be a whole number" in result.stderr
