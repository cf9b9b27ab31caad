"""Browser tests against the real server, as a villager or a cadre would meet it.

One server for the whole session: a fresh SQLite database in a temporary folder,
`qinglian migrate`, `qinglian demo`, `qinglian collectstatic`, then `qinglian serve`
(gunicorn and the job worker) with production settings on a free loopback port.
Debian's Chromium (/usr/bin/chromium), driven by Playwright, opens its pages on a
phone-sized or a desktop screen. A failing test leaves a full-page screenshot of
each page it opened in test-artifacts/<test name>.png.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from conftest import production_secrets

REPO_ROOT = Path(__file__).resolve().parents[2]
QINGLIAN = Path(sys.executable).with_name("qinglian")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO_ROOT / "test-artifacts"
SERVER_START_SECONDS = 60

# Variables of the developer's or CI's shell that must not reach the e2e server:
# it always runs on its own SQLite database and SQLite job queue.
_INHERITED_BUT_UNWANTED = (
    "DATABASE_URL",
    "REDIS_URL",
    "HUEY_IMMEDIATE",
    "QINGLIAN_TEST_SQLITE",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "BEHIND_TLS_PROXY",
    "PUBLIC_BASE_URL",
    "MEDIA_ROOT",
    "PORT",
    "HOST",
    "WEB_WORKERS",
)

PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36"
    ),
}
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
# A phone or office computer in the county: Chinese, China Standard Time.
CHINESE_USER: dict[str, Any] = {"locale": "zh-CN", "timezone_id": "Asia/Shanghai"}

_PAGES = pytest.StashKey[list[Page]]()


# --- the server -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _INHERITED_BUT_UNWANTED}
    env.update(
        QINGLIAN_VAR_DIR=str(var_dir),
        **production_secrets(),
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        STATIC_ROOT=str(var_dir / "static"),
        DJANGO_SETTINGS_MODULE="qinglian.settings",
        PYTHONUNBUFFERED="1",
        # gunicorn keeps its control socket here rather than in ~/.gunicorn, so that
        # the test server never meets a `make demo` server running beside it.
        XDG_RUNTIME_DIR=str(var_dir),
    )
    return env


def _prepare(args: list[str], env: dict[str, str]) -> None:
    """Run one `qinglian` command to completion; fail the session with its output."""
    done = subprocess.run(  # noqa: S603
        [str(QINGLIAN), *args],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(
            f"`qinglian {' '.join(args)}` exited with {done.returncode}:\n"
            f"{done.stdout}\n{done.stderr}",
            pytrace=False,
        )


def _answers_200(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop `qinglian serve` and whatever it started: the whole process group."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)  # stragglers (gunicorn workers, huey)
    server.wait(timeout=5)


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (no trailing slash) of a real `qinglian serve` holding the demo county."""
    var_dir = tmp_path_factory.mktemp("qinglian-e2e")
    env = _server_env(var_dir)
    _prepare(["migrate", "--no-input", "-v", "0"], env)
    _prepare(["demo"], env)
    _prepare(["collectstatic", "--no-input", "-v", "0"], env)

    port = _free_port()
    log_path = var_dir / "serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(  # noqa: S603
            [str(QINGLIAN), "serve", "--port", str(port), "--web-workers", "1"],
            env=env,
            cwd=REPO_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so that one signal stops all
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while not _answers_200(f"{url}/healthz"):
            if server.poll() is not None or time.monotonic() > deadline:
                reason = (
                    f"exited with {server.returncode}"
                    if server.returncode is not None
                    else f"did not answer 200 on /healthz within {SERVER_START_SECONDS}s"
                )
                pytest.fail(
                    f"`qinglian serve` {reason}. Its output:\n"
                    + log_path.read_text(errors="replace"),
                    pytrace=False,
                )
            time.sleep(0.2)
        yield url
    finally:
        _stop(server)


@dataclass(frozen=True)
class Village:
    code: str
    name: str
    township_code: str
    township_name: str


@pytest.fixture(scope="session")
def villages(server_url: str) -> list[Village]:
    """The demo's villages in code order, as the public API lists them."""
    with urllib.request.urlopen(f"{server_url}/api/v1/villages/?limit=1000") as response:  # noqa: S310
        body = json.load(response)
    return [
        Village(
            code=item["code"],
            name=item["name"],
            township_code=item["township"]["code"],
            township_name=item["township"]["name"],
        )
        for item in body["items"]
    ]


@pytest.fixture(scope="session")
def first_township_villages(villages: list[Village]) -> list[Village]:
    """Villages of the demo's first township: [0] is `village`'s, [1] is `village2`'s."""
    first = villages[0].township_code
    return [v for v in villages if v.township_code == first]


# --- the browser ------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM}; install it with "
            "`apt-get update && apt-get install -y --no-install-recommends chromium "
            "fonts-noto-cjk` (.ci/run does this). Playwright's own browser download is "
            "not used.",
            pytrace=False,
        )
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
    )
    yield browser
    browser.close()


OpenPage = Callable[..., Page]


@pytest.fixture
def open_page(
    request: pytest.FixtureRequest, browser: Browser, server_url: str
) -> Iterator[OpenPage]:
    """Open a page in a fresh context: `open_page("phone")`, `open_page("desktop")`.

    Keyword arguments go to `Browser.new_context` (e.g. `java_script_enabled=False`).
    Every page opened is screenshotted if the test fails.
    """
    contexts: list[BrowserContext] = []
    pages = request.node.stash.setdefault(_PAGES, [])

    def open_(screen: str = "phone", **options: Any) -> Page:
        sizes = {"phone": PHONE, "desktop": DESKTOP}[screen]
        context = browser.new_context(base_url=server_url, **{**CHINESE_USER, **sizes, **options})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture
def phone(open_page: OpenPage) -> Page:
    """A page on a phone screen (390x844, touch), as a villager holds it."""
    return open_page("phone")


@pytest.fixture
def desktop(open_page: OpenPage) -> Page:
    """A page on an office computer's screen (1280x800)."""
    return open_page("desktop")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call" and report.failed:
        _save_screenshots(item, report)
    return report


def _save_screenshots(item: pytest.Item, report: pytest.TestReport) -> None:
    pages = [p for p in item.stash.get(_PAGES, []) if not p.is_closed()]
    if not pages:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", item.name)
    for number, page in enumerate(pages):
        path = ARTIFACTS / (f"{stem}.png" if number == 0 else f"{stem}-{number + 1}.png")
        try:
            page.screenshot(path=str(path), full_page=True)
        except Exception as error:  # a crashed page must not hide the test's own failure
            report.sections.append(("screenshot", f"could not save {path}: {error}"))
        else:
            report.sections.append(("screenshot", f"saved {path}"))
