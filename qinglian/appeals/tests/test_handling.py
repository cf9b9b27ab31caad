"""Handling by staff: what the services accept and refuse."""

from __future__ import annotations

import pytest

from qinglian.appeals.models import State
from qinglian.appeals.services import appeal_accept, appeal_submit
from qinglian.core.errors import DomainError


def test_a_report_is_accepted_but_a_village_question_is_answered_not_accepted(
    tree, village_cadre, township_commission
):
    report = appeal_submit(village=tree.village_a1, kind="report", text="举报村干部的问题").appeal
    question = appeal_submit(village=tree.village_a1, kind="question", text="路灯什么时候修").appeal
    due = question.due_on
    with pytest.raises(DomainError):
        appeal_accept(actor=village_cadre, appeal=question)
    question.refresh_from_db()
    assert (question.state, question.due_on) == (State.RECEIVED, due)  # no time gained
    accepted = appeal_accept(actor=township_commission, appeal=report, text="已受理")
    assert accepted.state == State.ACCEPTED and accepted.events.filter(kind="accepted").exists()
    with pytest.raises(DomainError):
        appeal_accept(actor=township_commission, appeal=report)
