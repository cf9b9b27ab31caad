"""The Redis cache keeps one client per connection pool (no server needed to see it)."""

from __future__ import annotations

from typing import Any

from qinglian.core.cache import RedisCache


def test_every_operation_gets_the_same_client_of_its_pool():
    backend: Any = RedisCache("redis://127.0.0.1:6379/15", {})._cache  # type: ignore[attr-defined]
    client = backend.get_client(write=True)
    assert backend.get_client(write=False) is client  # one server: one pool, one client
    assert client.connection_pool is backend._get_connection_pool(True)
