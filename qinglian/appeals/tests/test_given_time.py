"""The services take the time they happen at (``now=``), for history brought in from
elsewhere and for the demo's thirteen months; the clock stays the default."""

from __future__ import annotations

from datetime import date, timedelta

from qinglian.appeals.models import EventKind, NoticeKind, State
from qinglian.appeals.sealing import kdf_limits
from qinglian.appeals.services import (
    appeal_accept,
    appeal_answer,
    appeal_close,
    appeal_rate,
    appeal_reopen,
    appeal_submit,
    appeal_transfer,
    appeals_escalate,
    sealing_key_create,
)
from qinglian.appeals.tests.stats_helpers import at


def test_each_step_is_dated_when_it_happened_and_judged_on_time_by_that_date(tree):
    received = at(date(2025, 9, 26))
    question = appeal_submit(
        village=tree.village_a1, kind="question", text="国庆前问的一句话", now=received
    ).appeal
    assert question.due_on == date(2025, 10, 16)
    answered = at(date(2025, 10, 17), 9)  # a day late
    question = appeal_answer(actor=None, appeal=question, text="已经修好了", now=answered)
    assert question.first_answered_at == answered and question.answered_on_time is False
    rated = answered + timedelta(days=2)
    question = appeal_rate(appeal=question, rating="dissatisfied", now=rated)
    assert question.rated_at == rated
    reopened = rated + timedelta(hours=1)
    question = appeal_reopen(appeal=question, text="并没有修好", now=reopened)
    assert question.reopened_at == reopened
    assert question.due_on == date(2025, 10, 31)  # ten working days after Sunday 19 October
    closed = at(date(2025, 10, 30))
    question = appeal_close(
        actor=None, appeal=question, outcome="resolved", text="镇里核实已修复", now=closed
    )
    assert question.closed_at == closed and question.state == State.CLOSED
    events = list(question.events.values_list("kind", "at"))
    assert events == [
        (EventKind.RECEIVED, received),
        (EventKind.ANSWERED, answered),
        (EventKind.RATED, rated),
        (EventKind.REOPENED, reopened),
        (EventKind.CLOSED, closed),
    ]
    assert question.notices.get(kind=NoticeKind.REOPENED).created_at == reopened


def test_acceptance_transfer_and_escalation_take_their_time_too(tree):
    report = appeal_submit(
        village=tree.village_a1, kind="report", text="举报的内容", now=at(date(2026, 3, 2))
    ).appeal
    accepted = at(date(2026, 3, 5))
    report = appeal_accept(actor=None, appeal=report, now=accepted)
    assert report.first_answered_at == accepted and report.answered_on_time
    assert report.due_on is not None and report.due_on > date(2026, 5, 1)  # 60 working days on
    complaint = appeal_submit(
        village=tree.village_a2, kind="complaint", text="没人管的投诉", now=at(date(2026, 3, 2))
    ).appeal
    job = at(date(2026, 4, 1), 6)
    assert appeals_escalate(now=job) == 1
    complaint.refresh_from_db()
    assert complaint.escalation_level == 1
    assert complaint.events.get(kind=EventKind.ESCALATED).at == job
    assert complaint.notices.get(kind=NoticeKind.ESCALATED).created_at == job
    transferred = at(date(2026, 4, 2))
    complaint = appeal_transfer(
        actor=None, appeal=complaint, to="县自然资源局", reason="属于土地执法", now=transferred
    )
    assert complaint.closed_at == transferred and complaint.state == State.TRANSFERRED


def test_a_key_may_ask_for_the_fast_kdf_whatever_the_setting(tree, settings):
    settings.APPEALS_KDF = "moderate"
    key = sealing_key_create(
        actor=None, region=tree.town_a, passphrase="demo passphrase 1", kdf="min"
    )
    assert (key.kdf_opslimit, key.kdf_memlimit) == kdf_limits("min")
    assert kdf_limits() != kdf_limits("min")
