"""Rate limits count the client's address, never one the client wrote itself."""

from __future__ import annotations

from django.test import RequestFactory

from qinglian.core.addresses import client_address


def test_the_socket_address_counts_unless_behind_the_proxy(settings):
    settings.BEHIND_TLS_PROXY = False
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "10.0.0.5"


def test_behind_the_proxy_the_address_it_added_counts_not_the_clients_own(settings):
    settings.BEHIND_TLS_PROXY = True
    spoofed = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    assert client_address(spoofed) == "203.0.113.9"
    plain = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(plain) == "203.0.113.9"
    missing = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1")
    assert client_address(missing) == "127.0.0.1"
