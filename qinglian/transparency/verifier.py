"""Audit a Qinglian publication log from outside, with no Django and no database.

    python -m qinglian.transparency.verifier https://county.example \\
        --vkey @county.vkey --state ~/.qinglian-county.json [--index 17]

(or ``qinglian verify …`` with the same arguments). It speaks only the public HTTP
interface of docs/transparency-api.md and, in this order:

1. fetches ``/log/checkpoint`` and checks its signature against the verifier key
   given on the command line (never one the log hands out);
2. if the state file holds a checkpoint seen before: checks the log still has the
   same origin, did not shrink, and extends that checkpoint (a consistency proof);
3. for every entry (or the one ``--index`` names): checks that the hash the log holds
   is in the signed tree (an inclusion proof), that the record is still published,
   and that the record as the live tables give it now still hashes to that hash;
4. when checking every entry, recomputes the root from the level-0 hash tiles and
   compares it with the signed root;
5. saves the checkpoint to the state file, only if all of the above held.

It stops at the first failure and names it, one of:

- ``BAD_SIGNATURE``: the checkpoint is not signed by the given key;
- ``HISTORY``: the log rewrote its history: it shrank, changed its origin, does not
  extend the saved checkpoint, holds an entry hash its signed tree does not include,
  or serves tiles that do not hash to its signed root;
- ``CHANGED`` (entry i): the published record now differs from what was logged;
- ``REMOVED`` (entry i): the published record is gone;
- ``ERROR``: the log could not be reached or answered something malformed.

For one entry the inclusion check comes first: if the log's own hash for it is not in
the signed tree, the log was rewritten (``HISTORY``), whatever the live record says.
Per-entry requests are fine at village scale (a few thousand entries).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import rfc8785

from qinglian.transparency import merkle
from qinglian.transparency.notes import Checkpoint, NoteError, Verifier, open_note

# A path such as "/log/checkpoint" -> the body of a 200 answer; raises FetchError.
Fetch = Callable[[str], bytes]

TILE_WIDTH = 256
DEFAULT_TIMEOUT = 10.0
MAX_ANSWER_BYTES = 16 * 1024 * 1024


class Kind(StrEnum):
    OK = "OK"
    BAD_SIGNATURE = "BAD_SIGNATURE"
    HISTORY = "HISTORY"
    CHANGED = "CHANGED"
    REMOVED = "REMOVED"
    ERROR = "ERROR"


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    message: str
    index: int | None = None  # the entry that failed, for CHANGED, REMOVED and some HISTORY
    checkpoint: Checkpoint | None = None  # the checkpoint checked, once its signature held

    @property
    def ok(self) -> bool:
        return self.kind is Kind.OK

    def line(self) -> str:
        where = "" if self.index is None else f" at entry {self.index}"
        return f"{self.kind.value}{where}: {self.message}"


class FetchError(Exception):
    """The log could not be reached, or answered with an HTTP error."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class _Stop(Exception):
    def __init__(self, kind: Kind, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.verdict = Verdict(kind, message, index)


def http_fetch(base_url: str, *, timeout: float = DEFAULT_TIMEOUT) -> Fetch:
    """A ``Fetch`` that GETs paths below ``base_url`` (http or https) with urllib."""
    parts = urllib.parse.urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not an http(s) URL: {base_url!r}")
    root = base_url.rstrip("/")

    def fetch(path: str) -> bytes:
        url = root + path
        try:
            with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 (http(s) only)
                body: bytes = answer.read(MAX_ANSWER_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise FetchError(f"GET {url} answered HTTP {error.code}", status=error.code) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise FetchError(f"GET {url} failed: {reason}") from None
        if len(body) > MAX_ANSWER_BYTES:
            raise FetchError(f"GET {url} answered more than {MAX_ANSWER_BYTES} bytes")
        return body

    return fetch


def tile_path(level: int, number: int, width: int = TILE_WIDTH) -> str:
    """The C2SP tlog-tiles path of a hash tile: 1234067 -> /log/tile/0/x001/x234/067."""
    digits = str(number)
    digits = "0" * (-len(digits) % 3) + digits
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    path = "/".join([*("x" + group for group in groups[:-1]), groups[-1]])
    partial = f".p/{width}" if width < TILE_WIDTH else ""
    return f"/log/tile/{level}/{path}{partial}"


def verify(
    base_url: str,
    vkey: str,
    state_path: Path | str | None,
    *,
    index: int | None = None,
    fetch: Fetch | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Verdict:
    """Check the log at ``base_url`` (or behind ``fetch``) and say what, if anything, failed.

    ``state_path`` names the JSON file holding the last checkpoint verified; it is
    written only when the verdict is OK. With ``state_path=None`` nothing is compared
    or saved.
    """
    try:
        verifier = Verifier.parse(vkey)
    except NoteError as error:
        return Verdict(Kind.ERROR, f"the verifier key is malformed: {error}")
    try:
        fetch = fetch or http_fetch(base_url, timeout=timeout)
    except ValueError as error:
        return Verdict(Kind.ERROR, str(error))
    state = None if state_path is None else Path(state_path)
    try:
        return _verify(fetch, verifier, state, index)
    except _Stop as stop:
        return stop.verdict
    except FetchError as error:
        return Verdict(Kind.ERROR, f"the log is unreachable: {error}")


def _verify(fetch: Fetch, verifier: Verifier, state: Path | None, index: int | None) -> Verdict:
    previous = _load_state(state, verifier) if state else None
    note, current = _fetch_checkpoint(fetch, verifier)
    if previous is not None:
        _check_consistency(fetch, previous, current)

    if index is None:
        indices: Sequence[int] = range(current.size)
        tile_leaves: list[bytes] | None = _leaf_hashes_from_tiles(fetch, current.size)
    elif 0 <= index < current.size:
        indices, tile_leaves = [index], None
    else:
        raise _Stop(Kind.ERROR, f"entry {index} is not in the log of size {current.size}")
    for i in indices:
        _check_entry(fetch, current, i, tile_leaves)
    if tile_leaves is not None and merkle.root_of(tile_leaves) != current.root:
        raise _Stop(Kind.HISTORY, "the log's hash tiles do not hash to its signed root")

    if state is not None:
        _save_state(state, note, current)
    return Verdict(Kind.OK, _ok_message(current, previous, len(indices)), checkpoint=current)


def _ok_message(current: Checkpoint, previous: Checkpoint | None, checked: int) -> str:
    entries = "entry" if checked == 1 else "entries"
    head = f"{current.origin} at size {current.size} (root {current.root.hex()[:16]}…)"
    if previous is None:
        since = "no earlier checkpoint saved, this one is now"
    else:
        since = f"consistent with the saved checkpoint of size {previous.size}"
    return f"{head}: {checked} {entries} verified; {since}"


# --- checkpoints and the state file ---------------------------------------------------


def _open_checkpoint(note: str, verifier: Verifier) -> Checkpoint:
    return Checkpoint.parse(open_note(note, [verifier]))


def _fetch_checkpoint(fetch: Fetch, verifier: Verifier) -> tuple[str, Checkpoint]:
    try:
        note = fetch("/log/checkpoint").decode()
    except UnicodeDecodeError:
        raise _Stop(Kind.ERROR, "the checkpoint is not UTF-8 text") from None
    try:
        text = open_note(note, [verifier])
    except NoteError as error:
        message = f"the checkpoint is not signed by {verifier.name}: {error}"
        raise _Stop(Kind.BAD_SIGNATURE, message) from None
    try:
        return note, Checkpoint.parse(text)
    except NoteError as error:
        raise _Stop(Kind.ERROR, f"the signed checkpoint is malformed: {error}") from None


def _load_state(path: Path, verifier: Verifier) -> Checkpoint | None:
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise _Stop(Kind.ERROR, f"cannot read the state file {path}: {error}") from None
    try:
        return _open_checkpoint(saved["checkpoint"], verifier)
    except (TypeError, KeyError, NoteError) as error:
        message = f"the state file {path} holds no checkpoint signed by {verifier.name} ({error})"
        raise _Stop(Kind.ERROR, message) from None


def _save_state(path: Path, note: str, checkpoint: Checkpoint) -> None:
    """Replace the state file atomically: a crash leaves the old one or the new one."""
    state = {
        "origin": checkpoint.origin,
        "size": checkpoint.size,
        "root": checkpoint.root.hex(),
        "checkpoint": note,  # the signed note is what counts; the rest is for people
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
    ) as temporary:
        json.dump(state, temporary, ensure_ascii=False, indent=2)
        temporary.write("\n")
    os.replace(temporary.name, path)


def _check_consistency(fetch: Fetch, old: Checkpoint, new: Checkpoint) -> None:
    if new.origin != old.origin:
        message = f"the log now calls itself {new.origin!r}, not {old.origin!r} as saved"
        raise _Stop(Kind.HISTORY, message)
    if new.size < old.size:
        message = f"the log shrank from {old.size} to {new.size} entries since the saved checkpoint"
        raise _Stop(Kind.HISTORY, message)
    if new.size == old.size:
        if new.root != old.root:
            message = f"the log has the saved size {old.size} but a different root"
            raise _Stop(Kind.HISTORY, message)
        return
    if old.size == 0:
        return  # every tree extends the empty one
    path = f"/log/proof/consistency?old={old.size}&new={new.size}"
    answer = _get_json(fetch, path)
    if answer.get("old") != old.size or answer.get("new") != new.size:
        raise _Stop(Kind.ERROR, f"GET {path} answered a proof for other sizes")
    proof = _hash_list(answer.get("proof"), path)
    if not merkle.verify_consistency(old.size, new.size, old.root, new.root, proof):
        message = (
            f"the log at size {new.size} does not extend the saved checkpoint of size "
            f"{old.size}: its history was rewritten"
        )
        raise _Stop(Kind.HISTORY, message)


# --- entries ---------------------------------------------------------------------------


def _check_entry(
    fetch: Fetch, checkpoint: Checkpoint, index: int, tile_leaves: list[bytes] | None
) -> None:
    entry_path = f"/log/entries/{index}"
    entry = _get_json(fetch, entry_path)
    if entry.get("index") != index or "record" not in entry:
        raise _Stop(Kind.ERROR, f"GET {entry_path} answered no entry {index}", index)
    logged = _hash(entry.get("leaf_hash"), entry_path)

    proof_path = f"/log/proof/inclusion?index={index}&size={checkpoint.size}"
    answer = _get_json(fetch, proof_path)
    proof = _hash_list(answer.get("proof"), proof_path)
    if not merkle.verify_inclusion(index, checkpoint.size, logged, proof, checkpoint.root):
        message = "the hash the log holds for this entry is not in its signed tree"
        raise _Stop(Kind.HISTORY, message, index)
    if tile_leaves is not None and tile_leaves[index] != logged:
        raise _Stop(Kind.HISTORY, "the log's hash tile and its entry disagree", index)

    record = entry["record"]
    if record is None:
        raise _Stop(Kind.REMOVED, "the published record is gone from the live tables", index)
    try:
        live = merkle.leaf_hash(rfc8785.dumps(record))
    except rfc8785.CanonicalizationError as error:
        message = f"GET {entry_path}: the record has no canonical JSON form: {error}"
        raise _Stop(Kind.ERROR, message, index) from None
    if live != logged:
        what = _describe(record)
        message = f"{what} as published now differs from what the log holds"
        raise _Stop(Kind.CHANGED, message, index)


def _describe(record: object) -> str:
    if isinstance(record, dict) and "type" in record and "id" in record:
        return f"the {record['type']} record {record['id']}"
    return "the record"


def _leaf_hashes_from_tiles(fetch: Fetch, size: int) -> list[bytes]:
    """Every leaf hash of the tree of ``size``, from the level-0 tiles (256 per request)."""
    leaves: list[bytes] = []
    for number in range((size + TILE_WIDTH - 1) // TILE_WIDTH):
        width = min(TILE_WIDTH, size - number * TILE_WIDTH)
        path = tile_path(0, number, width)
        try:
            data = fetch(path)
        except FetchError as error:
            if width == TILE_WIDTH or error.status != 404:
                raise
            # A partial tile may be gone once the full one exists (C2SP tlog-tiles).
            path = tile_path(0, number)
            data = fetch(path)
        if len(data) % merkle.HASH_SIZE or len(data) < width * merkle.HASH_SIZE:
            raise _Stop(Kind.ERROR, f"GET {path} answered {len(data)} bytes, not {width} hashes")
        step = merkle.HASH_SIZE
        leaves.extend(data[i : i + step] for i in range(0, width * step, step))
    return leaves


# --- answers -----------------------------------------------------------------------------


def _get_json(fetch: Fetch, path: str) -> dict[str, Any]:
    try:
        answer = json.loads(fetch(path))
    except ValueError:
        raise _Stop(Kind.ERROR, f"GET {path} did not answer JSON") from None
    if not isinstance(answer, dict):
        raise _Stop(Kind.ERROR, f"GET {path} did not answer a JSON object")
    return answer


def _hash(value: object, path: str) -> bytes:
    try:
        raw = bytes.fromhex(value) if isinstance(value, str) else b""
    except ValueError:
        raw = b""
    if len(raw) != merkle.HASH_SIZE:
        raise _Stop(Kind.ERROR, f"GET {path} answered {value!r} where a hex SHA-256 hash belongs")
    return raw


def _hash_list(value: object, path: str) -> list[bytes]:
    if not isinstance(value, list):
        raise _Stop(Kind.ERROR, f"GET {path} answered no proof list")
    return [_hash(item, path) for item in value]


# --- command line ------------------------------------------------------------------------

DESCRIPTION = (
    "Verify a Qinglian publication log: its checkpoint's signature, its consistency with "
    "the last checkpoint seen, and the inclusion of every published record (or one)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "base_url", metavar="base-url", help="the site, e.g. https://county.example"
    )
    parser.add_argument(
        "--vkey", required=True, help="the log's verifier key, or @FILE to read it from FILE"
    )
    parser.add_argument(
        "--state",
        required=True,
        type=Path,
        help="JSON file keeping the last checkpoint verified (created on first use)",
    )
    parser.add_argument("--index", type=int, help="check only this entry (default: every entry)")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per HTTP request"
    )


def run(
    base_url: str,
    *,
    vkey: str,
    state: Path,
    index: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Verdict:
    """What the command line does: ``vkey`` may be ``@FILE``."""
    if vkey.startswith("@"):
        try:
            vkey = Path(vkey[1:]).read_text(encoding="utf-8")
        except OSError as error:
            return Verdict(Kind.ERROR, f"cannot read the verifier key: {error}")
    return verify(base_url, vkey, state, index=index, timeout=timeout)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qinglian.transparency.verifier")
    parser.description = DESCRIPTION
    add_arguments(parser)
    args = parser.parse_args(argv)
    verdict = run(
        args.base_url, vkey=args.vkey, state=args.state, index=args.index, timeout=args.timeout
    )
    print(verdict.line())
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
