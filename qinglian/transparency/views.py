"""The public log under /log/: checkpoint, key, C2SP tiles, entries and proofs."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from qinglian.transparency import selectors
from qinglian.transparency.services import checkpoint_sign, log_signer

IMMUTABLE = "public, max-age=31536000, immutable"
_TILE_PATH = re.compile(r"^((?:x\d{3}/)*)(\d{3})(?:\.p/(\d{1,3}))?$")


def parse_tile_path(path: str) -> tuple[int, int]:
    """``x001/x234/067.p/5`` → (1234067, 5); a full tile has width 256."""
    match = _TILE_PATH.match(path)
    if not match:
        raise ValueError("not a tile path")
    digits = match.group(1).replace("x", "").replace("/", "") + match.group(2)
    if len(digits) > 3 and digits.startswith("000"):
        raise ValueError("tile numbers have no leading zero groups")
    width = int(match.group(3)) if match.group(3) else selectors.TILE_WIDTH
    if match.group(3) and not 0 < width < selectors.TILE_WIDTH:
        raise ValueError("a partial tile has width 1 to 255")
    return int(digits), width


def _error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def _tile_response(build: Callable[[], bytes], width: int) -> HttpResponse:
    try:
        body = build()
    except selectors.OutOfRange as missing:
        return _error(404, str(missing))
    response = HttpResponse(body, content_type="application/octet-stream")
    full = width == selectors.TILE_WIDTH
    response["Cache-Control"] = IMMUTABLE if full else "public, max-age=5"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@never_cache
def checkpoint(request: HttpRequest) -> HttpResponse:
    latest = selectors.checkpoint_latest()
    if latest is None or latest.size < selectors.log_size():
        latest = checkpoint_sign()
    response = HttpResponse(latest.note, content_type="text/plain; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@cache_control(public=True, max_age=3600)
def vkey(request: HttpRequest) -> HttpResponse:
    return HttpResponse(log_signer().vkey() + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def hash_tile(request: HttpRequest, level: int, path: str) -> HttpResponse:
    try:
        number, width = parse_tile_path(path)
    except ValueError as bad:
        return _error(400, str(bad))
    return _tile_response(lambda: selectors.hash_tile(level, number, width), width)


@require_GET
def entry_tile(request: HttpRequest, path: str) -> HttpResponse:
    try:
        number, width = parse_tile_path(path)
    except ValueError as bad:
        return _error(400, str(bad))
    return _tile_response(lambda: selectors.entry_bundle(number, width), width)


@require_GET
@never_cache
def entry(request: HttpRequest, index: int) -> JsonResponse:
    try:
        stored, live = selectors.entry_as_published_and_now(index)
    except selectors.OutOfRange as missing:
        return _error(404, str(missing))
    return JsonResponse(
        {"index": stored.index, "leaf_hash": bytes(stored.leaf_hash).hex(), "record": live},
        json_dumps_params={"ensure_ascii": False},
    )


def _numbers(request: HttpRequest, *names: str) -> list[int]:
    values = []
    for name in names:
        raw = request.GET.get(name, "")
        if not raw.isdigit():
            raise ValueError(f"{name} must be a whole number")
        values.append(int(raw))
    return values


@require_GET
@cache_control(public=True, max_age=31536000, immutable=True)
def inclusion_proof(request: HttpRequest) -> JsonResponse:
    try:
        index, size = _numbers(request, "index", "size")
        found = selectors.inclusion_proof(index, size)
    except ValueError as bad:
        return _error(400, str(bad))
    except selectors.OutOfRange as missing:
        return _error(404, str(missing))
    return JsonResponse(
        {
            "index": found.index,
            "size": found.size,
            "leaf_hash": found.leaf_hash.hex(),
            "proof": [h.hex() for h in found.proof],
            "root": found.root.hex(),
        }
    )


@require_GET
@cache_control(public=True, max_age=31536000, immutable=True)
def consistency_proof(request: HttpRequest) -> JsonResponse:
    try:
        old, new = _numbers(request, "old", "new")
        found = selectors.consistency_proof(old, new)
    except ValueError as bad:
        return _error(400, str(bad))
    except selectors.OutOfRange as missing:
        return _error(404, str(missing))
    body: dict[str, Any] = {
        "old": found.old,
        "new": found.new,
        "proof": [h.hex() for h in found.proof],
        "old_root": found.old_root.hex(),
        "new_root": found.new_root.hex(),
    }
    return JsonResponse(body)
