"""The stand-alone verifier: what an auditor outside the county sees.

Most tests run it against ``FakeLog``, an in-memory log that serves the documented
endpoints (docs/transparency-api.md) from merkle.py and notes.py and can be made to
lie in each way the verifier must tell apart; no database. The last ones run it
through Django's test client against records the real log published.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import rfc8785
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client

from qinglian.transparency import merkle
from qinglian.transparency.notes import Checkpoint, Signer
from qinglian.transparency.tests.tampering import lift_append_only
from qinglian.transparency.verifier import (
    Fetch,
    FetchError,
    Kind,
    main,
    tile_path,
    verify,
)

ORIGIN = "county.example/qinglian-log"
BASE = "https://county.example"


class FakeLog:
    """A log in memory, serving /log/... as the real one does, and open to tampering.

    ``records`` are the records as the "live tables" give them now (None: deleted);
    ``leaves`` are the hashes the log holds. Both start out agreeing.
    """

    def __init__(self, size: int, *, origin: str = ORIGIN) -> None:
        self.origin = origin
        self.signer = Signer.generate("county.example")
        self.records: list[dict[str, Any] | None] = []
        self.leaves: list[bytes] = []
        self.entry_hash_override: dict[int, bytes] = {}  # what /log/entries/i claims
        self.tile_override: dict[int, bytes] = {}  # what the level-0 tiles claim
        self.requests: list[str] = []
        self._nodes: dict[tuple[int, int], bytes] = {}
        self._nodes_of: list[bytes] = []
        for _ in range(size):
            self.append()
        self.sign()

    @property
    def vkey(self) -> str:
        return self.signer.vkey()

    def append(self) -> None:
        index = len(self.leaves)
        record: dict[str, Any] = {
            "v": 1,
            "origin": self.origin,
            "index": index,
            "type": "cadre_term",
            "id": str(100 + index),
            "region": "339901100201",
            "published_at": "2026-11-22T03:00:00Z",
            "content": {"post": "secretary", "name": f"干部{index}", "started_on": "2021-03-01"},
        }
        self.records.append(record)
        self.leaves.append(merkle.leaf_hash(rfc8785.dumps(record)))

    def rewrite(self, index: int, name: str) -> None:
        """Change a published record and the log's leaf for it: a rewritten history."""
        self.edit(index, name)
        self.leaves[index] = merkle.leaf_hash(rfc8785.dumps(self.records[index]))

    def edit(self, index: int, name: str) -> None:
        """Change a published record in the live tables only."""
        record = self.records[index]
        assert record is not None
        self.records[index] = {**record, "content": {**record["content"], "name": name}}

    def sign(self) -> None:
        checkpoint = Checkpoint(self.origin, len(self.leaves), merkle.root_of(self.leaves))
        self.note = self.signer.sign(checkpoint.text())

    def fetch(self, path: str) -> bytes:
        self.requests.append(path)
        url = urllib.parse.urlsplit(path)
        query = {k: int(v) for k, v in urllib.parse.parse_qsl(url.query)}
        if self._nodes_of != self.leaves:
            self._nodes, self._nodes_of = merkle.subtrees_of(self.leaves), list(self.leaves)
        subtree = merkle.from_mapping(self._nodes)
        size = len(self.leaves)
        if url.path == "/log/checkpoint":
            return self.note.encode()
        if url.path.startswith("/log/entries/"):
            index = int(url.path.rsplit("/", 1)[1])
            if index >= size:
                raise FetchError(f"GET {path}: HTTP 404", status=404)
            leaf = self.entry_hash_override.get(index, self.leaves[index])
            body: dict[str, Any] = {
                "index": index,
                "leaf_hash": leaf.hex(),
                "record": self.records[index],
            }
        elif url.path == "/log/proof/inclusion":
            index, size = query["index"], query["size"]
            proof = merkle.inclusion_proof(index, size, subtree)
            body = {
                "index": index,
                "size": size,
                "leaf_hash": self.leaves[index].hex(),
                "proof": [h.hex() for h in proof],
                "root": merkle.root_hash(size, subtree).hex(),
            }
        elif url.path == "/log/proof/consistency":
            old, new = query["old"], query["new"]
            if new > size:
                raise FetchError(f"GET {path}: HTTP 404", status=404)
            body = {
                "old": old,
                "new": new,
                "proof": [h.hex() for h in merkle.consistency_proof(old, new, subtree)],
                "old_root": merkle.root_hash(old, subtree).hex(),
                "new_root": merkle.root_hash(new, subtree).hex(),
            }
        elif url.path.startswith("/log/tile/0/"):
            return self._tile(url.path.removeprefix("/log/tile/0/"), path)
        else:
            raise FetchError(f"GET {path}: HTTP 404", status=404)
        return json.dumps(body).encode()

    def _tile(self, tail: str, path: str) -> bytes:
        number_path, _, width_text = tail.partition(".p/")
        number = int(number_path.replace("x", "").replace("/", ""))
        width = int(width_text) if width_text else 256
        start = number * 256
        if start + width > len(self.leaves):
            raise FetchError(f"GET {path}: HTTP 404", status=404)
        hashes = [self.tile_override.get(i, self.leaves[i]) for i in range(start, start + width)]
        return b"".join(hashes)


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return tmp_path / "state" / "county.json"


def test_tile_paths_follow_c2sp_tlog_tiles():
    assert tile_path(0, 0) == "/log/tile/0/000"
    assert tile_path(0, 5, 17) == "/log/tile/0/005.p/17"
    assert tile_path(0, 1000) == "/log/tile/0/x001/000"
    assert tile_path(2, 1234067, 3) == "/log/tile/2/x001/x234/067.p/3"


# --- an honest log -------------------------------------------------------------------


def test_an_untouched_log_verifies_and_its_checkpoint_is_saved(state):
    log = FakeLog(300)  # one full tile and one partial
    verdict = verify(BASE, log.vkey, state, fetch=log.fetch)
    assert verdict.kind is Kind.OK, verdict.line()
    assert verdict.line().startswith(f"OK: {ORIGIN} at size 300")
    assert "300 entries verified" in verdict.message
    assert json.loads(state.read_text())["checkpoint"] == log.note
    assert {"/log/tile/0/000", "/log/tile/0/001.p/44"} <= set(log.requests)


def test_a_grown_log_must_extend_the_saved_checkpoint(state):
    log = FakeLog(5)
    assert verify(BASE, log.vkey, state, fetch=log.fetch).ok
    for _ in range(8):
        log.append()
    log.sign()
    verdict = verify(BASE, log.vkey, state, fetch=log.fetch)
    assert verdict.ok, verdict.line()
    assert "consistent with the saved checkpoint of size 5" in verdict.message
    assert "/log/proof/consistency?old=5&new=13" in log.requests
    assert json.loads(state.read_text())["size"] == 13


def test_an_empty_log_verifies(state):
    log = FakeLog(0)
    assert verify(BASE, log.vkey, state, fetch=log.fetch).ok


# --- a bad signature -------------------------------------------------------------------


def test_a_checkpoint_checked_against_another_key_is_a_bad_signature(state):
    log = FakeLog(4)
    stranger = Signer.generate("county.example")  # same name, another key
    verdict = verify(BASE, stranger.vkey(), state, fetch=log.fetch)
    assert verdict.kind is Kind.BAD_SIGNATURE
    assert not state.exists()


def flip_signature_bit(note: str) -> str:
    text, line = note.rstrip("\n").rsplit("\n", 1)
    prefix, encoded = line.rsplit(" ", 1)
    raw = bytearray(base64.b64decode(encoded))
    raw[-1] ^= 1
    return f"{text}\n{prefix} {base64.b64encode(raw).decode()}\n"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda note: note.replace("\n4\n", "\n5\n", 1),  # the size
        lambda note: flip_signature_bit(note),
        lambda note: note.split("\n\n")[0] + "\n",  # no signature at all
    ],
    ids=["size", "signature", "unsigned"],
)
def test_a_tampered_checkpoint_is_a_bad_signature(state, tamper):
    log = FakeLog(4)
    log.note = tamper(log.note)
    verdict = verify(BASE, log.vkey, state, fetch=log.fetch)
    assert verdict.kind is Kind.BAD_SIGNATURE, verdict.line()


# --- changed and removed records ----------------------------------------------------------


def test_an_edited_record_is_reported_changed_at_its_index(state):
    log = FakeLog(10)
    log.edit(6, "改过的名字")
    verdict = verify(BASE, log.vkey, state, fetch=log.fetch)
    assert (verdict.kind, verdict.index) == (Kind.CHANGED, 6)
    assert verdict.line().startswith("CHANGED at entry 6: the cadre_term record 106")


def test_a_deleted_record_is_reported_removed_at_its_index(state):
    log = FakeLog(10)
    log.records[3] = None
    verdict = verify(BASE, log.vkey, state, fetch=log.fetch)
    assert (verdict.kind, verdict.index) == (Kind.REMOVED, 3)
    assert verdict.line().startswith("REMOVED at entry 3:")


def test_the_first_failing_entry_is_named(state):
    log = FakeLog(20)
    log.edit(15, "后改")
    log.records[4] = None
    log.edit(9, "也改")
    verdict = verify(BASE, log.vkey, state, fetch=log.fetch)
    assert (verdict.kind, verdict.index) == (Kind.REMOVED, 4)
    assert "/log/entries/5" not in log.requests  # it stopped there


def test_one_index_can_be_checked_alone(state):
    log = FakeLog(30)
    log.edit(2, "改过的名字")
    assert verify(BASE, log.vkey, state, index=7, fetch=log.fetch).ok
    assert not any(path.startswith("/log/entries/2") for path in log.requests)
    assert not any(path.startswith("/log/tile/") for path in log.requests)
    verdict = verify(BASE, log.vkey, state, index=2, fetch=log.fetch)
    assert (verdict.kind, verdict.index) == (Kind.CHANGED, 2)


def test_an_index_beyond_the_log_is_an_error(state):
    log = FakeLog(3)
    verdict = verify(BASE, log.vkey, state, index=3, fetch=log.fetch)
    assert verdict.kind is Kind.ERROR
    assert "not in the log of size 3" in verdict.message


# --- rewritten history ------------------------------------------------------------------------


def test_a_rewritten_entry_breaks_consistency_with_the_saved_checkpoint(state):
    log = FakeLog(8)
    assert verify(BASE, log.vkey, state, fetch=log.fetch).ok
    saved = state.read_text()
    log.rewrite(2, "改过的名字")  # record and leaf edited together, then re-signed
    log.append()
    log.sign()
    verdict = verify(BASE, log.vkey, state, fetch=log.fetch)
    assert verdict.kind is Kind.HISTORY, verdict.line()
    assert "does not extend the saved checkpoint of size 8" in verdict.message
    assert state.read_text() == saved
    # Without the saved checkpoint, a consistent rewrite cannot be seen: that is why
    # auditors keep one.
    assert verify(BASE, log.vkey, None, fetch=log.fetch).ok


def test_a_shrunk_log_is_rewritten_history(state):
    log = FakeLog(10)
    assert verify(BASE, log.vkey, state, fetch=log.fetch).ok
    del log.leaves[8:], log.records[8:]
    log.sign()
    verdict = verify(BASE, log.vkey, state, fetch=log.fetch)
    assert verdict.kind is Kind.HISTORY
    assert "shrank from 10 to 8" in verdict.message


def test_the_same_size_with_another_root_is_rewritten_history(state):
    log = FakeLog(6)
    assert verify(BASE, log.vkey, state, fetch=log.fetch).ok
    log.rewrite(5, "改过的名字")
    log.sign()
    verdict = verify(BASE, log.vkey, state, fetch=log.fetch)
    assert verdict.kind is Kind.HISTORY
    assert "different root" in verdict.message


def test_a_log_that_changed_its_origin_is_rewritten_history(state):
    log = FakeLog(3)
    assert verify(BASE, log.vkey, state, fetch=log.fetch).ok
    log.origin = "elsewhere.example/log"
    log.sign()
    assert verify(BASE, log.vkey, state, fetch=log.fetch).kind is Kind.HISTORY


def test_an_entry_hash_outside_the_signed_tree_is_history_at_that_entry(state):
    log = FakeLog(12)
    log.edit(4, "改过的名字")  # the live row edited, and the log's entry hash with it
    log.entry_hash_override[4] = merkle.leaf_hash(rfc8785.dumps(log.records[4]))
    verdict = verify(BASE, log.vkey, state, fetch=log.fetch)
    assert (verdict.kind, verdict.index) == (Kind.HISTORY, 4), verdict.line()
    assert "not in its signed tree" in verdict.message


def test_tiles_that_disagree_with_the_log_are_history(state):
    log = FakeLog(40)
    log.tile_override[33] = merkle.leaf_hash(b"forged")
    verdict = verify(BASE, log.vkey, state, fetch=log.fetch)
    assert (verdict.kind, verdict.index) == (Kind.HISTORY, 33), verdict.line()


# --- the state file, errors ---------------------------------------------------------------------


def test_the_state_file_is_written_only_when_everything_verified(state):
    log = FakeLog(5)
    log.edit(1, "改过的名字")
    assert verify(BASE, log.vkey, state, fetch=log.fetch).kind is Kind.CHANGED
    assert not state.exists()  # a first run that failed saves nothing
    log.edit(1, "干部1")
    assert verify(BASE, log.vkey, state, fetch=log.fetch).ok
    saved = state.read_text()
    log.append()
    log.sign()
    log.records[5] = None
    assert verify(BASE, log.vkey, state, fetch=log.fetch).kind is Kind.REMOVED
    assert state.read_text() == saved  # still the size-5 checkpoint
    assert list(state.parent.iterdir()) == [state]  # no temporary files left behind


def test_a_state_file_not_signed_by_the_key_is_an_error_and_kept(state):
    log = FakeLog(3)
    state.parent.mkdir()
    state.write_text('{"checkpoint": "not a note"}')
    verdict = verify(BASE, log.vkey, state, fetch=log.fetch)
    assert verdict.kind is Kind.ERROR
    assert "holds no checkpoint signed by county.example" in verdict.message
    assert state.read_text() == '{"checkpoint": "not a note"}'


def test_an_unreachable_log_is_an_error(state):
    def unreachable(path: str) -> bytes:
        raise FetchError(f"GET {path} failed: connection refused")

    verdict = verify(BASE, FakeLog(1).vkey, state, fetch=unreachable)
    assert verdict.kind is Kind.ERROR
    assert "connection refused" in verdict.message


@pytest.mark.parametrize(
    "answer", [b"<html>oops</html>", b"[]", b'{"index": 0, "leaf_hash": "abc", "record": null}']
)
def test_a_malformed_answer_is_an_error(state, answer):
    log = FakeLog(2)

    def fetch(path: str) -> bytes:
        return answer if path.startswith("/log/entries/") else log.fetch(path)

    verdict = verify(BASE, log.vkey, state, fetch=fetch)
    assert verdict.kind is Kind.ERROR, verdict.line()


def test_a_malformed_verifier_key_is_an_error(state):
    verdict = verify(BASE, "county.example+00000000+AAAA", state, fetch=FakeLog(1).fetch)
    assert verdict.kind is Kind.ERROR
    assert "verifier key" in verdict.message


# --- the command line, over real HTTP on the loopback interface ---------------------------------


@pytest.fixture
def served() -> Iterator[tuple[FakeLog, str]]:
    log = FakeLog(7)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            try:
                body, status = log.fetch(self.path), 200
            except FetchError as error:
                body, status = b'{"detail": "not found"}', error.status or 500
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield log, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join()


def test_main_prints_one_verdict_line_and_exits_0_or_1(served, state, tmp_path, capsys):
    log, url = served
    vkey_file = tmp_path / "county.vkey"
    vkey_file.write_text(log.vkey + "\n")
    assert main([url, "--vkey", f"@{vkey_file}", "--state", str(state)]) == 0
    assert capsys.readouterr().out.startswith(f"OK: {ORIGIN} at size 7")
    log.edit(5, "改过的名字")
    assert main([url, "--vkey", log.vkey, "--state", str(state), "--index", "5"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("CHANGED at entry 5:") and out.count("\n") == 1


def test_main_reports_an_http_error(served, state, capsys):
    log, url = served
    assert main([url + "missing", "--vkey", log.vkey, "--state", str(state)]) == 1
    assert capsys.readouterr().out.startswith("ERROR: the log is unreachable: GET ")
    assert main(["ftp://county.example", "--vkey", log.vkey, "--state", str(state)]) == 1
    assert "not an http(s) URL" in capsys.readouterr().out


def test_the_verify_command_wraps_the_same_verifier(served, state, capsys):
    log, url = served
    call_command("verify", url, "--vkey", log.vkey, "--state", str(state))
    assert capsys.readouterr().out.startswith(f"OK: {ORIGIN} at size 7")
    log.records[6] = None
    with pytest.raises(CommandError, match=r"^REMOVED at entry 6:") as failed:
        call_command("verify", url, "--vkey", log.vkey, "--state", str(state))
    assert failed.value.returncode == 1


def test_the_verifier_runs_without_django():
    code = (
        "import sys, qinglian.transparency.verifier as v; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'; "
        "sys.exit(v.main(['--help']))"
    )
    done = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "--vkey" in done.stdout


# --- against the real log, through Django's test client -------------------------------------------


def client_fetch(client: Client) -> Fetch:
    def fetch(path: str) -> bytes:
        response = client.get(path)
        if response.status_code != 200:
            raise FetchError(f"GET {path} answered HTTP {response.status_code}")
        return response.content

    return fetch


PUBLISHED = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


def publish_terms(village, names: list[str]) -> list[Any]:
    from qinglian.directory.factories import PersonFactory
    from qinglian.directory.models import Term
    from qinglian.transparency.records import cadre_term_content
    from qinglian.transparency.services import log_append

    terms = []
    for name in names:
        with transaction.atomic():
            person = PersonFactory.create(region=village, name=name)
            term = Term.objects.create(
                person=person, village=village, post="committee_member", started_on=date(2021, 3, 1)
            )
            log_append(
                record_type="cadre_term",
                record_id=str(term.pk),
                region_path=village.path,
                content=cadre_term_content(str(term.pk)) or {},
                published_at=PUBLISHED,
            )
        terms.append(term)
    return terms


@pytest.fixture
def published(tree) -> tuple[list[Any], str]:
    terms = publish_terms(tree.village_a1, [f"干部{n}" for n in range(6)])
    vkey = Client().get("/log/vkey").content.decode().strip()
    return terms, vkey


def _sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_the_real_log_verifies_and_extends_the_saved_checkpoint(tree, published, state):
    _terms, vkey = published
    fetch = client_fetch(Client())
    first = verify(BASE, vkey, state, fetch=fetch)
    assert first.ok, first.line()
    assert first.checkpoint is not None and first.checkpoint.size == 6
    publish_terms(tree.village_a2, ["李四", "张三"])
    again = verify(BASE, vkey, state, fetch=fetch)
    assert again.ok, again.line()
    assert "8 entries verified; consistent with the saved checkpoint of size 6" in again.message


def test_a_name_edited_in_the_database_is_changed_at_its_entry(published, state):
    terms, vkey = published
    _sql("UPDATE directory_person SET name = %s WHERE id = %s", ["改过的名字", terms[3].person_id])
    verdict = verify(BASE, vkey, state, fetch=client_fetch(Client()))
    assert (verdict.kind, verdict.index) == (Kind.CHANGED, 3), verdict.line()
    assert f"the cadre_term record {terms[3].pk}" in verdict.message
    assert not state.exists()


def test_a_term_deleted_in_the_database_is_removed_at_its_entry(published, state):
    terms, vkey = published
    _sql("DELETE FROM directory_term WHERE id = %s", [terms[1].pk])
    verdict = verify(BASE, vkey, state, fetch=client_fetch(Client()))
    assert (verdict.kind, verdict.index) == (Kind.REMOVED, 1), verdict.line()


def test_the_real_log_under_a_foreign_key_is_a_bad_signature(published, state):
    verdict = verify(BASE, Signer.generate("x").vkey(), state, fetch=client_fetch(Client()))
    assert verdict.kind is Kind.BAD_SIGNATURE


def test_a_log_entry_rewritten_in_the_database_is_history_at_that_entry(published, state):
    terms, vkey = published
    fetch = client_fetch(Client())
    assert verify(BASE, vkey, state, fetch=fetch).ok
    saved = state.read_text()
    # The cadre's name is changed, and the log's hash for it with it, to hide the edit.
    _sql("UPDATE directory_person SET name = %s WHERE id = %s", ["改过的名字", terms[2].person_id])
    record = Client().get("/log/entries/2").json()["record"]
    lift_append_only("transparency_logentry")
    _sql(
        'UPDATE transparency_logentry SET leaf_hash = %s WHERE "index" = 2',
        [merkle.leaf_hash(rfc8785.dumps(record))],
    )
    verdict = verify(BASE, vkey, state, fetch=fetch)
    assert (verdict.kind, verdict.index) == (Kind.HISTORY, 2), verdict.line()
    assert state.read_text() == saved
