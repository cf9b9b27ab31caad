"""A client that has never seen this code accepts our checkpoints and proofs.

bench/go_interop/main.go checks them with Go's golang.org/x/mod/sumdb/note
(note.NewVerifier, note.Open) and golang.org/x/mod/sumdb/tlog (tlog.RecordHash,
tlog.CheckRecord, tlog.CheckTree), built offline in GOPATH mode from Debian's
golang-go and golang-golang-x-mod-dev (which .ci/run installs).
"""

from __future__ import annotations

import base64
import json
import os
import random
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from qinglian.transparency import merkle
from qinglian.transparency.notes import Checkpoint, Signer

GOPATH = Path("/usr/share/gocode")
SOURCE = Path(__file__).resolve().parents[3] / "bench" / "go_interop" / "main.go"


def _missing_go() -> str | None:
    if shutil.which("go") is None:
        return "no `go` on PATH (apt-get install golang-go)"
    if not (GOPATH / "src/golang.org/x/mod/sumdb/tlog").is_dir():
        return "no Go x/mod sources (apt-get install golang-golang-x-mod-dev)"
    return None


MISSING = _missing_go()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


@pytest.fixture(scope="module")
def go_interop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Go program, built once, offline, in GOPATH mode."""
    work = tmp_path_factory.mktemp("go")
    binary = work / "go_interop"
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(work),
        "GO111MODULE": "off",
        "GOPATH": str(GOPATH),
        "GOCACHE": str(work / "cache"),
        "GOFLAGS": "",
        "GOPROXY": "off",
        "GOTOOLCHAIN": "local",
        "GOENV": "off",
        "CGO_ENABLED": "0",
    }
    build = subprocess.run(  # noqa: S603 (fixed arguments)
        ["go", "build", "-o", str(binary), str(SOURCE)],  # noqa: S607 (go from PATH)
        cwd=SOURCE.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    return binary


def run_go(
    binary: Path, tmp_path: Path, vkey: str, note: str, proofs: dict[str, Any]
) -> subprocess.CompletedProcess[str]:
    (tmp_path / "vkey").write_text(vkey + "\n")
    (tmp_path / "checkpoint").write_text(note)
    (tmp_path / "proofs.json").write_text(json.dumps(proofs))
    return subprocess.run(  # noqa: S603 (our own program)
        [str(binary), *(str(tmp_path / name) for name in ("vkey", "checkpoint", "proofs.json"))],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


class Tree:
    """A few hundred random leaves, a signed checkpoint, and proofs from merkle.py."""

    def __init__(self, size: int, seed: int) -> None:
        rng = random.Random(seed)
        self.entries = [rng.randbytes(rng.randrange(1, 200)) for _ in range(size)]
        self.leaves = [merkle.leaf_hash(entry) for entry in self.entries]
        self.subtree = merkle.from_mapping(merkle.subtrees_of(self.leaves))
        self.signer = Signer.generate("county.example")
        root = merkle.root_hash(size, self.subtree)
        self.note = self.signer.sign(Checkpoint("county.example/qinglian-log", size, root).text())
        self.size = size

    def proofs(self, index: int, old: int) -> dict[str, Any]:
        return {
            "inclusion": {
                "index": index,
                "leaf": base64.b64encode(self.entries[index]).decode(),
                "leaf_hash": self.leaves[index].hex(),
                "proof": [h.hex() for h in merkle.inclusion_proof(index, self.size, self.subtree)],
            },
            "consistency": {
                "old": old,
                "old_root": merkle.root_hash(old, self.subtree).hex(),
                "proof": [h.hex() for h in merkle.consistency_proof(old, self.size, self.subtree)],
            },
        }


def _cases() -> list[tuple[int, int, int]]:
    rng = random.Random(9162)
    cases = [(1, 0, 1), (256, 255, 128), (300, 0, 1), (300, 299, 299), (300, 256, 300)]
    for _ in range(10):
        size = rng.randrange(2, 400)
        cases.append((size, rng.randrange(size), rng.randrange(1, size + 1)))
    return cases


@pytest.fixture(scope="module")
def trees() -> dict[int, Tree]:
    return {size: Tree(size, seed=size) for size, _, _ in _cases()}


@pytest.mark.parametrize(("size", "index", "old"), _cases())
def test_go_accepts_our_checkpoint_and_proofs(go_interop, trees, tmp_path, size, index, old):
    tree = trees[size]
    done = run_go(go_interop, tmp_path, tree.signer.vkey(), tree.note, tree.proofs(index, old))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"OK signature of county.example/qinglian-log at size {size}")
    assert f"inclusion of record {index}, consistency from size {old}" in done.stdout


def _flip(hex_hash: str) -> str:
    raw = bytearray(bytes.fromhex(hex_hash))
    raw[0] ^= 0x80
    return raw.hex()


def _tamper_note(tree: Tree, proofs: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    size_line = f"\n{tree.size}\n"
    return tree.signer.vkey(), tree.note.replace(size_line, f"\n{tree.size + 1}\n", 1), proofs


def _foreign_key(tree: Tree, proofs: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    return Signer.generate("county.example").vkey(), tree.note, proofs


def _tamper_inclusion(tree: Tree, proofs: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    proofs["inclusion"]["proof"][2] = _flip(proofs["inclusion"]["proof"][2])
    return tree.signer.vkey(), tree.note, proofs


def _other_index(tree: Tree, proofs: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    proofs["inclusion"]["index"] += 1
    return tree.signer.vkey(), tree.note, proofs


def _tamper_leaf(tree: Tree, proofs: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    proofs["inclusion"]["leaf"] = base64.b64encode(b"a changed record").decode()
    del proofs["inclusion"]["leaf_hash"]
    return tree.signer.vkey(), tree.note, proofs


def _tamper_consistency(tree: Tree, proofs: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    proofs["consistency"]["proof"][-1] = _flip(proofs["consistency"]["proof"][-1])
    return tree.signer.vkey(), tree.note, proofs


def _rewritten_old_root(tree: Tree, proofs: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    proofs["consistency"]["old_root"] = _flip(proofs["consistency"]["old_root"])
    return tree.signer.vkey(), tree.note, proofs


@pytest.mark.parametrize(
    ("tamper", "says"),
    [
        (_tamper_note, "signature"),
        (_foreign_key, "signature"),
        (_tamper_inclusion, "inclusion of record 100"),
        (_other_index, "inclusion of record 101"),
        (_tamper_leaf, "inclusion of record 100"),
        (_tamper_consistency, "consistency from size 77"),
        (_rewritten_old_root, "consistency from size 77"),
    ],
    ids=lambda value: getattr(value, "__name__", "").strip("_") or None,
)
def test_go_rejects_a_tampered_note_or_proof(go_interop, trees, tmp_path, tamper, says):
    tree = trees[300]
    vkey, note, proofs = tamper(tree, tree.proofs(100, 77))
    done = run_go(go_interop, tmp_path, vkey, note, proofs)
    assert done.returncode == 1, done.stdout
    assert done.stderr.startswith("FAIL: ") and says in done.stderr
    assert "OK" not in done.stdout


def test_go_accepts_what_the_real_log_serves(go_interop, tree, tmp_path):
    """The live endpoints' answers, as they are, and the entry bytes from the entry tiles."""
    from qinglian.directory.factories import PersonFactory
    from qinglian.directory.models import Term
    from qinglian.transparency.records import cadre_term_content
    from qinglian.transparency.services import log_append

    def publish(count: int) -> None:
        for n in range(count):
            with transaction.atomic():
                person = PersonFactory.create(region=tree.village_a1, name=f"干部{n}")
                term = Term.objects.create(
                    person=person,
                    village=tree.village_a1,
                    post="committee_member",
                    started_on=date(2021, 3, 1),
                )
                log_append(
                    record_type="cadre_term",
                    record_id=str(term.pk),
                    region_path=tree.village_a1.path,
                    content=cadre_term_content(str(term.pk)) or {},
                    published_at=datetime(2026, 11, 1, 2, 0, tzinfo=UTC),
                )

    client = Client()
    publish(5)
    assert client.get("/log/checkpoint").status_code == 200  # the checkpoint at size 5
    publish(6)
    note = client.get("/log/checkpoint").content.decode()
    vkey = client.get("/log/vkey").content.decode().strip()
    bundle = client.get("/log/tile/entries/000.p/11").content
    entries, offset = [], 0
    while offset < len(bundle):
        length = int.from_bytes(bundle[offset : offset + 2], "big")
        entries.append(bundle[offset + 2 : offset + 2 + length])
        offset += 2 + length
    for index in (0, 7, 10):
        inclusion = client.get(f"/log/proof/inclusion?index={index}&size=11").json()
        inclusion["leaf"] = base64.b64encode(entries[index]).decode()
        proofs = {
            "inclusion": inclusion,
            "consistency": client.get("/log/proof/consistency?old=5&new=11").json(),
        }
        done = run_go(go_interop, tmp_path, vkey, note, proofs)
        assert done.returncode == 0, done.stderr
        assert f"at size 11, inclusion of record {index}, consistency from size 5" in done.stdout
