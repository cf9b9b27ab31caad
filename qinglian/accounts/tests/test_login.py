"""Login protection: Argon2 hashes, and throttling keyed on (username, address)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import identify_hasher
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, make_user
from qinglian.accounts.models import Role


@pytest.fixture
def cadre(tree):
    return make_user("cadre", Role.VILLAGE_CADRE, tree.village_a1)


def attempt(password: str, *, username: str = "cadre", address: str = "10.0.0.1") -> int:
    response = Client(REMOTE_ADDR=address).post(
        "/accounts/login/", {"username": username, "password": password}
    )
    return response.status_code


def test_passwords_are_hashed_with_argon2(tree, settings):
    from django.conf import global_settings  # noqa: F401  (settings fixture restores after)

    from qinglian import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = make_user("argon", None, None)
    assert identify_hasher(user.password).algorithm == "argon2"


def test_right_password_logs_in(cadre):
    assert attempt(PASSWORD) == 302


def test_wrong_password_is_refused_on_the_page(cadre):
    assert attempt("wrong") == 200


def test_sixth_attempt_is_locked_even_with_the_right_password(cadre, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert attempt("wrong") == 200
    assert attempt("wrong") == 429  # the fifth failure locks
    assert attempt(PASSWORD) == 429  # the sixth is refused, right password or not


def test_lock_is_checked_before_the_password_hash(cadre, settings, monkeypatch):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("wrong")
    computed = []
    from django.contrib.auth.hashers import MD5PasswordHasher

    original = MD5PasswordHasher.verify

    def counting_verify(self, *args):
        computed.append(1)
        return original(self, *args)

    monkeypatch.setattr(MD5PasswordHasher, "verify", counting_verify)
    assert attempt(PASSWORD) == 429
    assert computed == []


def test_lock_is_per_username_and_address(cadre, tree, settings):
    make_user("neighbour", Role.VILLAGE_CADRE, tree.village_a1)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("wrong")
    # Same carrier NAT address, another villager: not locked out.
    assert attempt(PASSWORD, username="neighbour") == 302
    # Same user from another address: not locked out either.
    assert attempt(PASSWORD, address="10.0.0.2") == 302


def test_lock_clears_after_the_cool_off(cadre, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("wrong")
    assert attempt(PASSWORD) == 429
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
    with time_machine.travel(later):
        assert attempt(PASSWORD) == 302
