"""Intake: routing, receipts and secrets, idempotent submissions, sealed identities."""

from __future__ import annotations

from typing import Any

import pytest

from qinglian.appeals import services
from qinglian.appeals.models import Appeal, AppealEvent, Body, SealedIdentity, State
from qinglian.appeals.services import Upload, appeal_submit, appeal_track, identity_reveal
from qinglian.appeals.tests.helpers import PASSPHRASE, commission_keys, in_office
from qinglian.core.errors import DomainError

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def village(tree):
    return tree.village_a1


def test_a_question_goes_to_the_village_with_a_receipt_and_a_secret(village):
    submitted = appeal_submit(village=village, kind="question", text="6500元环境整治费是做什么的？")
    appeal = submitted.appeal
    assert appeal.body == Body.VILLAGE and appeal.assigned_region == village
    assert appeal.state == State.RECEIVED and appeal.due_on is not None
    assert len(submitted.receipt) == 12 and len(submitted.secret) == 20
    assert submitted.secret not in appeal.secret_hash and len(appeal.secret_hash) == 64
    assert appeal_track(submitted.receipt, submitted.secret) == appeal
    spaced = " ".join(submitted.secret[i : i + 4] for i in range(0, 20, 4))
    assert appeal_track(submitted.receipt, spaced) == appeal
    wrong = str((int(submitted.secret[-1]) + 1) % 10)
    assert appeal_track(submitted.receipt, submitted.secret[:-1] + wrong) is None
    assert appeal_track("000000000000", submitted.secret) is None
    assert [e.kind for e in appeal.events.all()] == ["received"]


def test_a_report_and_anything_naming_a_cadre_go_to_the_township_commission(tree, village_cadre):
    cadre = in_office(village_cadre.person, tree.village_a1)
    report = appeal_submit(village=tree.village_a1, kind="report", text="村干部收受好处费").appeal
    naming = appeal_submit(
        village=tree.village_a1, kind="complaint", text="他的态度很差", subject_ids=[cadre.pk]
    ).appeal
    for appeal in (report, naming):
        assert appeal.body == Body.COMMISSION and appeal.assigned_region == tree.town_a
    assert list(naming.subjects.all()) == [cadre]


def test_only_cadres_of_the_village_can_be_named(tree, village_cadre):
    from qinglian.directory.factories import PersonFactory

    stranger = PersonFactory.create(region=tree.village_a1)
    with pytest.raises(DomainError) as refused:
        appeal_submit(
            village=tree.village_a1, kind="report", text="有问题的人", subject_ids=[stranger.pk]
        )
    assert refused.value.field == "subjects"
    assert not Appeal.objects.exists()


def test_a_double_tap_makes_one_case_with_the_same_receipt_and_secret(village):
    key = "c0ffee00-1234-4bcd-9876-0123456789ab"
    first = appeal_submit(
        village=village, kind="question", text="路灯什么时候修？", submission_key=key
    )
    again = appeal_submit(
        village=village, kind="question", text="路灯什么时候修？", submission_key=key
    )
    assert first.created and not again.created
    assert (again.receipt, again.secret) == (first.receipt, first.secret)
    assert Appeal.objects.count() == 1 and AppealEvent.objects.count() == 1
    with pytest.raises(services.SubmissionConflict):
        appeal_submit(village=village, kind="question", text="别的问题内容", submission_key=key)


def test_bad_input_gets_a_clear_refusal_and_writes_nothing(village, english):
    cases: list[tuple[dict[str, Any], str]] = [
        ({"kind": "rumour", "text": "内容足够长了"}, "kind"),
        ({"kind": "question", "text": "短"}, "text"),
        ({"kind": "question", "text": "内容足够长了", "phone": "12345"}, "phone"),
        ({"kind": "question", "text": "内容足够长了", "submission_key": "short"}, "submission_key"),
        (
            {"kind": "question", "text": "内容足够长了", "uploads": [Upload("a.exe", b"MZ..")]},
            "file",
        ),
    ]
    for fields, field in cases:
        with pytest.raises(DomainError) as refused:
            appeal_submit(village=village, **fields)
        assert refused.value.field == field
    assert not Appeal.objects.exists()


def test_a_name_is_refused_until_a_commission_key_exists_then_sealed_to_each(tree, english):
    with pytest.raises(DomainError) as refused:
        appeal_submit(village=tree.village_a1, kind="report", text="举报内容", name="李四")
    assert "without your name" in refused.value.message
    commission_keys(tree.town_a, tree.county)
    appeal = appeal_submit(
        village=tree.village_a1,
        kind="report",
        text="举报内容",
        name="李四",
        phone="13800001111",
        uploads=[Upload("photo.png", PNG)],
    ).appeal
    sealed = SealedIdentity.objects.filter(appeal=appeal)
    assert sealed.count() == 2
    for row in sealed:
        assert "李四".encode() not in bytes(row.sealed)
        assert b"13800001111" not in bytes(row.sealed)
    assert appeal.real_name and appeal.attachments.get().content_type == "image/png"


def test_the_commission_reads_a_name_with_its_passphrase_and_the_reading_is_logged(
    tree, township_commission, village_cadre, english
):
    commission_keys(tree.town_a)
    appeal = appeal_submit(
        village=tree.village_a1, kind="report", text="举报内容", name="李四", phone="13800001111"
    ).appeal
    with pytest.raises(DomainError):
        identity_reveal(
            actor=township_commission,
            appeal=appeal,
            passphrase="wrong passphrase!",
            reason="核实线索需要",
        )
    with pytest.raises(DomainError):
        identity_reveal(actor=village_cadre, appeal=appeal, passphrase=PASSPHRASE, reason="想知道")
    identity = identity_reveal(
        actor=township_commission, appeal=appeal, passphrase=PASSPHRASE, reason="核实线索需要"
    )
    assert (identity.name, identity.phone) == ("李四", "13800001111")
    reveal = appeal.events.get(kind="identity_revealed")
    assert (
        not reveal.public and reveal.actor == township_commission and reveal.text == "核实线索需要"
    )
    from qinglian.core.models import AuditEvent

    assert AuditEvent.objects.filter(verb="appeals.identity_revealed").count() == 1
