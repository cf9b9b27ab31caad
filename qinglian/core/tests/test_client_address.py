"""The address rate limits count: the socket's, or the one our proxy saw."""

from __future__ import annotations

from django.test import RequestFactory

from qinglian.core.client import client_address


def test_without_a_proxy_the_socket_address_counts_and_the_header_is_ignored(settings):
    settings.BEHIND_TLS_PROXY = False
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.0.0.7"


def test_behind_the_proxy_only_the_address_it_appended_counts(settings):
    settings.BEHIND_TLS_PROXY = True
    forged = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    assert client_address(forged) == "203.0.113.9"
    direct = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    assert client_address(direct) == "127.0.0.1"
