"""The demo's mass mailbox: cases in every state over thirteen months, the planted ones,
and what the accounts see of them.

The county is built once for this module, without books (its monthly lists are
generated, and villagers ask about their lines), inside a transaction rolled back
after.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import transaction
from django.http import Http404
from django.test import override_settings
from django.utils import timezone

from qinglian.accounts.models import User
from qinglian.appeals.models import (
    Appeal,
    AppealEvent,
    Body,
    EventKind,
    Kind,
    PublishedAnswer,
    Rating,
    State,
)
from qinglian.appeals.selectors import appeal_for_staff, appeals_visible
from qinglian.appeals.services import identity_reveal
from qinglian.appeals.stats import public_figures, region_report
from qinglian.core.models import AuditEvent
from qinglian.demo.appeals import (
    APPEALS_AS_OF,
    APPEALS_BUILT_VERB,
    DEMO_PASSPHRASE,
    Planted,
    demo_appeals_build,
    demo_sealing_keys,
    window_start,
)
from qinglian.demo.builder import DemoBuild, demo_county_build
from qinglian.directory.models import Region, RegionLevel
from qinglian.disclosures.selectors import published_line
from qinglian.transparency.models import LogEntry
from qinglian.transparency.services import log_reverify

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[DemoBuild]:
    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield demo_county_build(finance_months=0, disclosure_months=14)
        transaction.set_rollback(True)


def planted(demo: DemoBuild, kind: str) -> list[Appeal]:
    assert demo.appeals is not None
    receipts = [row.receipt for row in demo.appeals.planted if row.kind == kind]
    assert receipts, kind
    return list(Appeal.objects.filter(receipt__in=receipts).order_by("received_at"))


def villages() -> list[Region]:
    return list(Region.objects.filter(level=RegionLevel.VILLAGE).order_by("path"))


def test_cases_in_every_state_over_thirteen_months_across_the_county(demo):
    cases = Appeal.objects.all()
    assert 40 <= cases.count() <= 80
    assert set(cases.values_list("state", flat=True)) == set(State.values)
    first, last = window_start(), APPEALS_AS_OF
    for received in cases.values_list("received_at", flat=True):
        assert first <= received.date() <= last
    assert {row.kind for row in cases.values_list("kind", named=True)} == set(Kind.values)
    assert set(cases.exclude(rating="").values_list("rating", flat=True)) == set(Rating.values)
    townships = {path[:9] for path in cases.values_list("village_path", flat=True)}
    assert len(townships) == 2
    assert [e.verb for e in AuditEvent.objects.filter(verb=APPEALS_BUILT_VERB)] == [
        APPEALS_BUILT_VERB
    ]


def test_questions_about_the_monthly_lists_are_answered_beside_the_line_and_logged(demo):
    first = villages()[0]
    answers = PublishedAnswer.objects.filter(village=first).select_related("disclosure")
    assert answers.count() >= 3
    for answer in answers:
        assert answer.disclosure.item_code == "FA01"
        # The key is the row's id on the page: the answer is shown beside that line.
        assert published_line(first, answer.disclosure.pk, answer.line_key) is not None
        published = answer.disclosure.first_published_at
        assert published is not None and answer.appeal.received_at > published
    entries = LogEntry.objects.filter(record_type="appeal_answer")
    assert entries.count() == answers.count()
    assert log_reverify() == []
    [reopened] = planted(demo, Planted.REOPENED)
    assert reopened.reopened_at is not None and reopened.state == State.CLOSED
    assert list(reopened.published.values_list("version", flat=True)) == [1, 2]
    assert reopened.assigned_region == first.parent


def test_the_report_naming_the_village_cadre_is_hidden_from_the_village_account(demo):
    village_user = User.objects.get(username="village")
    township_user = User.objects.get(username="township")
    [report] = planted(demo, Planted.REPORT_NAMING_CADRE)
    assert list(report.subjects.values_list("pk", flat=True)) == [village_user.person_id]
    assert report.body == Body.COMMISSION and report.state == State.CLOSED
    assert not appeals_visible(village_user).filter(pk=report.pk).exists()
    with pytest.raises(Http404):
        appeal_for_staff(village_user, report.pk)
    assert appeal_for_staff(township_user, report.pk) == report
    # The village's own cases are still there for it, and its figures leave reports out.
    assert appeals_visible(village_user).exists()
    first = villages()[0]
    own = region_report(village_user, first, APPEALS_AS_OF.year, today=APPEALS_AS_OF)
    commission = region_report(township_user, first, APPEALS_AS_OF.year, today=APPEALS_AS_OF)
    assert own.total.figures.by_kind[Kind.REPORT] == 0
    assert commission.total.figures.by_kind[Kind.REPORT] >= 2
    assert commission.total.figures.received > own.total.figures.received


def test_the_real_name_report_opens_with_the_demo_passphrase(demo):
    [report] = planted(demo, Planted.REAL_NAME_REPORT)
    assert report.real_name and report.identities.count() == 2
    assert report.state == State.ACCEPTED
    township_user = User.objects.get(username="township")
    identity = identity_reveal(
        actor=township_user, appeal=report, passphrase=DEMO_PASSPHRASE, reason="演示：核实线索"
    )
    assert identity.name and identity.phone.startswith("1")
    assert [row.region.split()[0] for row in demo_sealing_keys()] == ["清河县", "青山镇"]


def test_late_cases_escalate_by_the_daily_job_and_one_is_very_overdue(demo):
    [late] = planted(demo, Planted.ESCALATED_LATE)
    assert late.escalation_level == 1 and late.answered_on_time is False
    escalated = late.events.get(kind=EventKind.ESCALATED)
    answered = late.events.get(kind=EventKind.ANSWERED)
    assert escalated.at < answered.at and timezone.localtime(escalated.at).hour == 6  # the job
    [very] = planted(demo, Planted.VERY_OVERDUE)
    assert very.escalation_level == 2 and very.state == State.RECEIVED
    assert very.first_answered_at is None
    codes = list(very.events.filter(kind=EventKind.ESCALATED).values_list("code", flat=True))
    assert codes == ["overdue", "very_overdue"]
    [transferred] = planted(demo, Planted.TRANSFERRED)
    assert transferred.state == State.TRANSFERRED and transferred.transferred_to


def test_every_step_is_dated_by_the_demo_calendar(demo):
    last = APPEALS_AS_OF + timedelta(days=1)
    for at in AppealEvent.objects.values_list("at", flat=True):
        assert at.date() < last


def test_the_second_village_shows_a_small_count_suppressed(demo):
    second = villages()[1]
    figures = public_figures(second, today=APPEALS_AS_OF)
    assert figures.received.value is not None and figures.received.value >= 3
    assert [shown.value for _label, shown in figures.categories] == [3]
    assert figures.other_categories is not None and figures.other_categories.suppressed


def test_a_second_run_adds_nothing(demo):
    before = (Appeal.objects.count(), AuditEvent.objects.count(), LogEntry.objects.count())
    again = demo_appeals_build(county=demo.county, seed=1)
    assert again.counts.cases == 0
    assert (Appeal.objects.count(), AuditEvent.objects.count(), LogEntry.objects.count()) == before
