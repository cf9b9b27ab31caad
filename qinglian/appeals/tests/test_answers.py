"""Answers to questions about a published line: published beside it and in the log."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import DatabaseError, transaction

from qinglian.appeals.models import PublishedAnswer
from qinglian.appeals.selectors import answers_by_line
from qinglian.appeals.services import appeal_answer, appeal_reopen, appeal_submit
from qinglian.disclosures.tests.test_public_pages import month_of_books
from qinglian.transparency.models import LogEntry
from qinglian.transparency.services import log_reverify


@pytest.fixture
def published_list(tree):
    with time_machine.travel(date(2025, 4, 8)):
        return month_of_books(tree.village_a1, date(2025, 3, 1)).disclosure


def ask(village, disclosure, text="这笔650元环境整治费给了谁？"):
    return appeal_submit(
        village=village,
        kind="question",
        text=text,
        disclosure_id=disclosure.pk,
        line_key="2-5502-1",
        line_label="03-12 环境整治费 650.00",
    ).appeal


def test_the_answer_appears_beside_its_line_without_the_asker_and_enters_the_log(
    tree, published_list, village_cadre
):
    question = ask(tree.village_a1, published_list)
    appeal_answer(
        actor=village_cadre,
        appeal=question,
        text="付给保洁公司三月清运费，合同见附件。",
        public_question="这笔650元环境整治费给了谁？",
    )
    lines = answers_by_line(published_list.pk)
    [answer] = lines["2-5502-1"]
    assert answer.answer == "付给保洁公司三月清运费，合同见附件。"
    assert answer.version == 1
    entry = LogEntry.objects.get(index=answer.log_index)
    assert entry.record_type == "appeal_answer" and entry.region_path == tree.village_a1.path
    assert log_reverify() == []


def test_an_answer_after_reopening_is_a_new_version_and_the_old_one_stays(
    tree, published_list, village_cadre, township_commission
):
    question = ask(tree.village_a1, published_list)
    appeal_answer(actor=village_cadre, appeal=question, text="是清运费。")
    appeal_reopen(appeal=question, text="三月没有见到清运车")
    appeal_answer(actor=township_commission, appeal=question, text="镇纪委核实：清运记录已公开。")
    [latest] = answers_by_line(published_list.pk)["2-5502-1"]
    assert latest.version == 2 and latest.answer.startswith("镇纪委核实")
    assert PublishedAnswer.objects.filter(appeal=question).count() == 2
    with pytest.raises(DatabaseError), transaction.atomic():
        PublishedAnswer.objects.filter(appeal=question).update(answer="改写")
    assert log_reverify() == []


def test_a_complaint_about_a_line_is_answered_privately(tree, published_list, village_cadre):
    complaint = appeal_submit(
        village=tree.village_a1,
        kind="complaint",
        text="公开的清单看不懂",
        disclosure_id=published_list.pk,
        line_key="2-5502-1",
    ).appeal
    appeal_answer(actor=village_cadre, appeal=complaint, text="已上门解释。")
    assert answers_by_line(published_list.pk) == {}
