"""Who sees a case: scope by handling region and body, and recusal of the people named."""

from __future__ import annotations

import pytest
from django.http import Http404

from conftest import make_user
from qinglian.accounts.models import Role
from qinglian.appeals.selectors import appeal_for_staff, appeals_visible
from qinglian.appeals.services import appeal_submit
from qinglian.appeals.tests.helpers import in_office


@pytest.fixture
def report_naming_cadre(tree, village_cadre):
    cadre = in_office(village_cadre.person, tree.village_a1)
    return appeal_submit(
        village=tree.village_a1,
        kind="report",
        text="村书记收受工程老板好处",
        subject_ids=[cadre.pk],
    ).appeal


def test_a_report_naming_the_cadre_is_seen_by_the_commission_never_by_the_cadre(
    tree,
    report_naming_cadre,
    village_cadre,
    township_commission,
    county_officer,
    supervisor,
    admin_operator,
    outsider,
):
    for user in (township_commission, county_officer):
        assert appeal_for_staff(user, report_naming_cadre.pk) == report_naming_cadre
    for user in (village_cadre, supervisor, admin_operator, outsider):
        with pytest.raises(Http404):
            appeal_for_staff(user, report_naming_cadre.pk)
        assert not appeals_visible(user).exists()


def test_a_relative_of_the_named_cadre_never_sees_it_whatever_their_role(
    tree, report_naming_cadre, cadre_relative
):
    relative_officer = make_user(
        "relative", Role.TOWN_DISCIPLINE, tree.town_a, person=cadre_relative
    )
    with pytest.raises(Http404):
        appeal_for_staff(relative_officer, report_naming_cadre.pk)
    # The same officer still sees the township's other cases.
    other = appeal_submit(village=tree.village_a1, kind="report", text="另一件举报事项").appeal
    assert list(appeals_visible(relative_officer)) == [other]


def test_a_village_question_is_seen_by_its_village_and_the_township_not_by_neighbours(
    tree, village_cadre, other_village_cadre, township_commission, outsider
):
    question = appeal_submit(
        village=tree.village_a1, kind="question", text="路灯什么时候修好？"
    ).appeal
    assert appeal_for_staff(village_cadre, question.pk) == question
    assert appeal_for_staff(township_commission, question.pk) == question
    for user in (other_village_cadre, outsider):
        with pytest.raises(Http404):
            appeal_for_staff(user, question.pk)
