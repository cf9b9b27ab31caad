"""The meetings in the admin: shown through the policy; secrets and ballots never there;
a published meeting read-only."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib import admin

from conftest import client_for, make_user
from qinglian.accounts.models import Role
from qinglian.core.models import AuditEvent
from qinglian.directory.models import Term
from qinglian.meetings import services
from qinglian.meetings.models import (
    AnnualAppraisal,
    AttendanceToken,
    Commitment,
    PaperTally,
    Score,
    SunshineMeeting,
)
from qinglian.meetings.tests.helpers import meeting_with_reports

MEETINGS = "/admin/meetings/sunshinemeeting/"


def change_url(meeting: SunshineMeeting) -> str:
    return f"{MEETINGS}{meeting.pk}/change/"


def test_codes_scores_and_paper_tallies_are_not_in_the_admin():
    registered = admin.site._registry
    assert SunshineMeeting in registered and Commitment in registered
    assert AnnualAppraisal in registered
    assert not {AttendanceToken, Score, PaperTally} & set(registered)


def test_the_operator_corrects_an_unpublished_meetings_place_with_an_audit_event(
    tree, admin_operator
):
    setting = meeting_with_reports(tree.village_a1, open_it=False)
    meeting = setting.meeting
    page = client_for(admin_operator).get(change_url(meeting))
    assert page.status_code == 200
    text = page.content.decode()
    assert "本季度修路两公里。" in text and 'name="_save"' in text  # the reports, inline

    answer = client_for(admin_operator).post(
        change_url(meeting), {"held_on": "2026-07-11", "place": "村文化礼堂", **empty_inlines()}
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    meeting.refresh_from_db()
    assert (meeting.place, meeting.held_on) == ("村文化礼堂", date(2026, 7, 11))
    assert AuditEvent.objects.filter(verb="admin.changed", target_id=str(meeting.pk)).exists()


def test_a_meetings_day_stays_in_its_quarters_year(tree, admin_operator):
    meeting = meeting_with_reports(tree.village_a1, open_it=False).meeting
    answer = client_for(admin_operator).post(
        change_url(meeting), {"held_on": "2027-01-05", "place": "村委会", **empty_inlines()}
    )
    assert answer.status_code == 200
    assert "held_on" in answer.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert meeting.held_on == date(2026, 7, 10)


def test_a_meetings_day_keeps_its_reporting_cadres_in_office(tree, admin_operator):
    setting = meeting_with_reports(tree.village_a1, open_it=False)
    Term.objects.filter(person=setting.chair).update(ended_on=date(2026, 7, 10))
    answer = client_for(admin_operator).post(
        change_url(setting.meeting), {"held_on": "2026-07-11", "place": "村委会", **empty_inlines()}
    )
    assert answer.status_code == 200
    assert "held_on" in answer.context["adminform"].form.errors
    setting.meeting.refresh_from_db()
    assert setting.meeting.held_on == date(2026, 7, 10)


def test_a_published_meeting_is_read_only_in_the_admin(tree, admin_operator):
    meeting = meeting_with_reports(tree.village_a1).meeting
    services.meeting_close(actor=None, meeting=meeting)
    services.meeting_publish(actor=None, meeting=meeting)
    page = client_for(admin_operator).get(change_url(meeting))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    answer = client_for(admin_operator).post(
        change_url(meeting), {"held_on": "2026-07-11", "place": "别处", **empty_inlines()}
    )
    assert answer.status_code == 403
    meeting.refresh_from_db()
    assert meeting.place == "村委会议室"


def test_meetings_are_neither_added_nor_deleted_in_the_admin(tree, admin_operator):
    meeting = meeting_with_reports(tree.village_a1, open_it=False).meeting
    client = client_for(admin_operator)
    assert client.get(f"{MEETINGS}add/").status_code == 403
    assert client.post(f"{MEETINGS}{meeting.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SunshineMeeting.objects.filter(pk=meeting.pk).exists()


def test_commitments_list_flags_the_late_ones(tree, admin_operator):
    setting = meeting_with_reports(tree.village_a1, open_it=False)
    for text, deadline in (("修路灯", date(2026, 7, 31)), ("修水渠", date(2099, 12, 31))):
        services.commitment_make(
            actor=None,
            meeting=setting.meeting,
            text=text,
            owner_id=setting.secretary.pk,
            deadline=deadline,
        )
    client = client_for(admin_operator)
    late = client.get("/admin/meetings/commitment/?late=yes").content.decode()
    assert "修路灯" in late and "修水渠" not in late
    on_time = client.get("/admin/meetings/commitment/?late=no").content.decode()
    assert "修水渠" in on_time and "修路灯" not in on_time
    listing = client.get("/admin/meetings/commitment/").content.decode()
    assert listing.count('alt="True"') == 1 and listing.count('alt="False"') == 1


@pytest.mark.parametrize(
    "url",
    [MEETINGS, "/admin/meetings/commitment/", "/admin/meetings/annualappraisal/"],
)
def test_an_operator_of_another_township_sees_none_of_a1s_meetings(tree, url):
    setting = meeting_with_reports(tree.village_a1)
    services.commitment_make(
        actor=None,
        meeting=setting.meeting,
        text="修路灯",
        owner_id=setting.secretary.pk,
        deadline=date(2026, 7, 31),
    )
    services.appraisal_record(
        actor=None, village=tree.village_a1, year=2025, cadre_id=setting.chair.pk, rating="basic"
    )
    operator_b = make_user("op_b", Role.ADMIN, tree.town_b, is_staff=True, is_superuser=True)
    answer = client_for(operator_b).get(url)
    assert answer.status_code == 200
    assert answer.context["cl"].result_count == 0
    assert tree.village_a1.name not in answer.content.decode()


def empty_inlines() -> dict[str, str]:
    """The inlines' management forms, as the change page posts them (no rows to change)."""
    data: dict[str, str] = {}
    for prefix in ("reports", "inquiries", "commitments"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data
