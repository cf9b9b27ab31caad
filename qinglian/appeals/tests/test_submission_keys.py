"""Submission keys without a lookup on the usual path: what the database refuses is answered."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from qinglian.appeals import services, tokens
from qinglian.appeals.models import Appeal, AppealEvent
from qinglian.appeals.services import appeal_submit
from qinglian.appeals.tests.helpers import in_office
from qinglian.directory.models import Term

KEY = "9b2f4c1e-0d3a-4e5f-8a7b-6c5d4e3f2a1b"


def test_a_new_submission_looks_nothing_up_before_writing(tree, django_assert_num_queries):
    appeal_submit(village=tree.village_a1, kind="question", text="先问一个")  # calendar cached
    # The deadline rule, then the case and its first event in one transaction (savepoint
    # and release in a test's transaction, BEGIN and COMMIT otherwise): no lookup of the key.
    with django_assert_num_queries(5):
        appeal_submit(village=tree.village_a1, kind="question", text="路灯坏了", submission_key=KEY)


def test_a_submission_sent_again_after_its_cadre_left_office_answers_the_same_case(
    tree, village_cadre
):
    cadre = in_office(village_cadre.person, tree.village_a1)
    fields: dict[str, Any] = {
        "kind": "report",
        "text": "村干部收受好处费",
        "subject_ids": [cadre.pk],
    }
    first = appeal_submit(village=tree.village_a1, submission_key=KEY, **fields)
    Term.objects.filter(person=cadre).update(ended_on=date(2024, 1, 1))
    again = appeal_submit(village=tree.village_a1, submission_key=KEY, **fields)
    assert (again.receipt, again.secret, again.created) == (first.receipt, first.secret, False)
    with pytest.raises(services.SubmissionConflict):
        appeal_submit(
            village=tree.village_a1, submission_key=KEY, **{**fields, "text": "别的举报内容"}
        )
    # Without its key, the same content is refused: the cadre is no longer in office.
    with pytest.raises(services.DomainError) as refused:
        appeal_submit(village=tree.village_a1, **fields)
    assert refused.value.field == "subjects"
    assert Appeal.objects.count() == 1


def test_a_receipt_drawn_twice_is_drawn_again(tree, monkeypatch):
    taken = appeal_submit(village=tree.village_a1, kind="question", text="第一个问题").receipt
    draws = iter([taken, "123456789012"])
    monkeypatch.setattr(tokens, "receipt_new", lambda: next(draws))
    second = appeal_submit(
        village=tree.village_a1, kind="question", text="第二个问题", submission_key=KEY
    )
    assert second.created and second.receipt == "123456789012"
    assert Appeal.objects.count() == 2 and AppealEvent.objects.count() == 2
