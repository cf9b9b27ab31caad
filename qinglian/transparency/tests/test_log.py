"""The stored log: appends, checkpoints, proofs and tiles over HTTP, tamper detection."""

from __future__ import annotations

import base64
import threading
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.test import Client

from qinglian.core.models import AuditEvent
from qinglian.directory.factories import PersonFactory
from qinglian.directory.models import Term
from qinglian.transparency import merkle
from qinglian.transparency.models import AlertKind, LogAlert, LogEntry, LogHead
from qinglian.transparency.notes import Checkpoint as CheckpointText
from qinglian.transparency.notes import Signer, Verifier, open_note
from qinglian.transparency.records import cadre_term_content
from qinglian.transparency.services import (
    Publication,
    canonical_bytes,
    checkpoint_sign,
    log_append,
    log_append_many,
    log_reverify,
)
from qinglian.transparency.tests.tampering import lift_append_only

PUBLISHED = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


def publish_terms(tree, count: int) -> list[Term]:
    terms = []
    for n in range(count):
        person = PersonFactory.create(region=tree.village_a1, name=f"干部{n}")
        terms.append(
            Term.objects.create(
                person=person,
                village=tree.village_a1,
                post="committee_member",
                started_on=date(2021, 3, 1),
            )
        )
    with transaction.atomic():
        log_append_many(
            [
                Publication(
                    "cadre_term",
                    str(t.pk),
                    tree.village_a1.path,
                    cadre_term_content(str(t.pk)) or {},
                    PUBLISHED,
                )
                for t in terms
            ]
        )
    return terms


def hexes(values: list[str]) -> list[bytes]:
    return [bytes.fromhex(v) for v in values]


def test_checkpoint_is_a_signed_note_over_the_tree(tree):
    publish_terms(tree, 5)
    note = Client().get("/log/checkpoint").content.decode()
    vkey = Client().get("/log/vkey").content.decode().strip()
    text = open_note(note, [Verifier.parse(vkey)])
    checkpoint = CheckpointText.parse(text)
    assert checkpoint.origin == settings.TRANSPARENCY_ORIGIN
    assert checkpoint.size == 5
    leaves = [bytes(e.leaf_hash) for e in LogEntry.objects.order_by("index")]
    assert checkpoint.root == merkle.root_of(leaves)


def test_a_foreign_key_does_not_open_the_checkpoint(tree):
    from qinglian.transparency.notes import NoteError

    publish_terms(tree, 2)
    note = Client().get("/log/checkpoint").content.decode()
    with pytest.raises(NoteError):
        open_note(note, [Verifier.parse(Signer.generate("qinglian-dev-log").vkey())])


def test_every_inclusion_and_consistency_proof_verifies(tree):
    publish_terms(tree, 13)
    client = Client()
    for size in (1, 7, 8, 13):
        root = bytes.fromhex(client.get(f"/log/proof/inclusion?index=0&size={size}").json()["root"])
        for index in range(size):
            body = client.get(f"/log/proof/inclusion?index={index}&size={size}").json()
            assert merkle.verify_inclusion(
                index, size, bytes.fromhex(body["leaf_hash"]), hexes(body["proof"]), root
            )
    for old in range(1, 13):
        body = client.get(f"/log/proof/consistency?old={old}&new=13").json()
        assert merkle.verify_consistency(
            old,
            13,
            bytes.fromhex(body["old_root"]),
            bytes.fromhex(body["new_root"]),
            hexes(body["proof"]),
        )


def test_proofs_read_a_logarithmic_number_of_rows(tree, django_assert_max_num_queries):
    publish_terms(tree, 40)
    client = Client()
    with django_assert_max_num_queries(2):  # the head, then the needed subtrees
        assert client.get("/log/proof/inclusion?index=17&size=40").status_code == 200


@pytest.mark.parametrize(
    ("query", "status"),
    [("index=5&size=5", 404), ("index=0&size=99", 404), ("index=a&size=3", 400), ("size=3", 400)],
)
def test_bad_proof_requests_are_clear(tree, query, status):
    publish_terms(tree, 5)
    response = Client().get(f"/log/proof/inclusion?{query}")
    assert response.status_code == status
    assert response.json()["detail"]


def test_tiles_follow_c2sp_layout(tree):
    publish_terms(tree, 3)
    client = Client()
    tile = client.get("/log/tile/0/000.p/3")
    assert tile.status_code == 200
    leaves = [bytes(e.leaf_hash) for e in LogEntry.objects.order_by("index")]
    assert tile.content == b"".join(leaves)
    assert "immutable" not in tile["Cache-Control"]
    bundle = client.get("/log/tile/entries/000.p/3").content
    entries, offset = [], 0
    while offset < len(bundle):
        length = int.from_bytes(bundle[offset : offset + 2], "big")
        entries.append(bundle[offset + 2 : offset + 2 + length])
        offset += 2 + length
    assert [merkle.leaf_hash(e) for e in entries] == leaves
    assert client.get("/log/tile/0/000.p/4").status_code == 404  # beyond the log
    assert client.get("/log/tile/0/000").status_code == 404  # not full yet
    assert client.get("/log/tile/0/x000/000").status_code == 400


def test_full_tiles_are_immutable(tree):
    publish_terms(tree, 256)
    response = Client().get("/log/tile/0/000")
    assert response.status_code == 200
    assert len(response.content) == 256 * 32
    assert "immutable" in response["Cache-Control"]


def test_entry_shows_the_live_record_and_the_logged_hash(tree):
    (term,) = publish_terms(tree, 1)
    body = Client().get("/log/entries/0").json()
    assert body["record"]["content"]["name"] == "干部0"
    assert body["record"]["type"] == "cadre_term" and body["record"]["id"] == str(term.pk)
    assert merkle.leaf_hash(canonical_bytes(body["record"])).hex() == body["leaf_hash"]


def test_log_rows_cannot_be_changed_or_deleted(tree):
    publish_terms(tree, 2)
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(index=0).update(record_id="999")
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(index=1).delete()


def _sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_editing_a_published_row_is_caught_and_alerts_the_county(tree, county_officer):
    terms = publish_terms(tree, 4)
    _sql("UPDATE directory_person SET name = %s WHERE id = %s", ["改过的名字", terms[2].person_id])
    findings = log_reverify()
    assert [(f.kind, f.index) for f in findings] == [(AlertKind.CHANGED, 2)]
    alert = LogAlert.objects.get()
    assert (alert.kind, alert.entry_index, alert.region_path) == ("changed", 2, "339901")
    assert AuditEvent.objects.filter(verb="log.alert_raised").count() == 1
    log_reverify()  # idempotent: the same alert is not raised twice
    assert LogAlert.objects.count() == 1


def test_deleting_a_published_row_is_caught(tree):
    terms = publish_terms(tree, 3)
    _sql("DELETE FROM directory_term WHERE id = %s", [terms[0].pk])
    findings = log_reverify()
    assert [(f.kind, f.index) for f in findings] == [(AlertKind.REMOVED, 0)]


def test_rewriting_the_log_itself_is_caught(tree):
    publish_terms(tree, 3)
    checkpoint_sign()
    forged = merkle.leaf_hash(b"forged")
    lift_append_only("transparency_logentry")
    _sql('UPDATE transparency_logentry SET leaf_hash = %s WHERE "index" = 1', [forged])
    kinds = {(f.kind, f.index) for f in log_reverify()}
    assert (AlertKind.HISTORY, 1) in kinds or (AlertKind.HISTORY, None) in kinds


def test_checkpoint_refuses_to_sign_a_tree_that_does_not_extend_the_last(tree):
    from qinglian.transparency.services import LogIntegrityError

    publish_terms(tree, 3)
    checkpoint_sign()
    lift_append_only("transparency_lognode")
    from qinglian.transparency.models import LogNode

    LogNode.objects.filter(level=0, index=2).update(hash=merkle.leaf_hash(b"forged"))
    PersonFactory.create(region=tree.village_a1)
    log_append(
        record_type="cadre_term",
        record_id="x",
        region_path=tree.village_a1.path,
        content={},
        published_at=PUBLISHED,
    )
    with pytest.raises(LogIntegrityError):
        checkpoint_sign()


def test_append_outside_the_log_head_lock_is_impossible(tree):
    publish_terms(tree, 2)
    assert LogHead.objects.get().size == 2
    assert list(LogEntry.objects.values_list("index", flat=True)) == [0, 1]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real parallel writers need PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_parallel_publications_never_fork_the_tree():
    writers, each = 4, 25
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            barrier.wait()
            for n in range(each):
                with transaction.atomic():
                    log_append(
                        record_type="cadre_term",
                        record_id=f"{worker}-{n}",
                        region_path="339901100201",
                        content={"worker": worker, "n": n},
                        published_at=PUBLISHED,
                    )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    indices = list(LogEntry.objects.order_by("index").values_list("index", flat=True))
    assert indices == list(range(writers * each))
    leaves = [
        bytes(h) for h in LogEntry.objects.order_by("index").values_list("leaf_hash", flat=True)
    ]
    checkpoint = checkpoint_sign()
    assert checkpoint.size == writers * each
    assert bytes(checkpoint.root) == merkle.root_of(leaves)
    entries = {e.record_id: bytes(e.entry) for e in LogEntry.objects.all()}
    for record_id, data in entries.items():
        assert f'"id":"{record_id}"' in data.decode()
    assert base64  # (imported for readers decoding notes by hand)


def test_alerts_reach_the_county_not_the_village(tree, county_officer, village_cadre):
    terms = publish_terms(tree, 2)
    _sql("DELETE FROM directory_term WHERE id = %s", [terms[1].pk])
    log_reverify()
    county_page = Client()
    county_page.force_login(county_officer)
    assert "log-alerts" in county_page.get("/work/").content.decode()
    village_page = Client()
    village_page.force_login(village_cadre)
    assert "log-alerts" not in village_page.get("/work/").content.decode()


def test_the_log_head_never_shrinks(tree):
    publish_terms(tree, 3)
    with pytest.raises(DatabaseError), transaction.atomic():
        LogHead.objects.filter(pk=1).update(size=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        LogHead.objects.filter(pk=1).delete()
    assert LogHead.objects.get().size == 3


def test_missing_subtrees_are_an_integrity_failure_not_a_crash(tree):
    from qinglian.transparency.models import LogNode
    from qinglian.transparency.services import LogIntegrityError, checkpoint_sign_logged

    publish_terms(tree, 3)
    checkpoint_sign()
    publish_terms(tree, 2)  # size 5; the next checkpoint must prove 3 → 5
    lift_append_only("transparency_lognode")
    LogNode.objects.filter(level=0, index=3).delete()
    with pytest.raises(LogIntegrityError):
        checkpoint_sign()
    LogNode.objects.filter(level=0, index=4).delete()  # the right edge an append reads
    with pytest.raises(LogIntegrityError), transaction.atomic():  # appends stop too
        log_append(
            record_type="cadre_term",
            record_id="x",
            region_path=tree.village_a1.path,
            content={},
            published_at=PUBLISHED,
        )
    checkpoint_sign_logged()  # the after-commit hook turns it into an alert
    assert LogAlert.objects.filter(kind=AlertKind.HISTORY).exists()
