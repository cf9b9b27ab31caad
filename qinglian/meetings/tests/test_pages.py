from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from conftest import client_for as _client_for
from qinglian.meetings import services
from qinglian.meetings.models import AttendanceToken, MeetingState, Score, SunshineMeeting
from qinglian.meetings.tests.helpers import in_office, meeting_with_reports
from qinglian.transparency.models import LogEntry


def client_for(user):
    """A client reading the pages in English (the default language is Chinese)."""
    client = _client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def client(db):
    return client_for(None)


@pytest.fixture
def setting(tree):
    return meeting_with_reports(tree.village_a1)


def score_url(s) -> str:
    return reverse("meetings:score", kwargs={"code": s.meeting.village.code, "pk": s.meeting.pk})


def ballot(s, code: str, grade: str = "competent") -> dict[str, str]:
    return {"code": code, f"cadre_{s.secretary.pk}": grade, f"cadre_{s.chair.pk}": grade}


def test_scoring_page_takes_the_code_from_the_qr_address_and_refuses_a_used_code(setting, client):
    s = setting
    code = services.tokens_issue(actor=None, meeting=s.meeting, count=1)[0]
    page = client.get(score_url(s), {"t": code})
    assert page.status_code == 200
    assert f'value="{code}"' in page.content.decode()
    assert "张书记" in page.content.decode() and "李主任" in page.content.decode()
    done = client.post(score_url(s), ballot(s, code))
    assert done.status_code == 200 and b"your scores are counted" in done.content
    again = client.post(score_url(s), ballot(s, code, "incompetent"))
    assert again.status_code == 409
    assert b"already been used" in again.content
    assert Score.objects.count() == 2


def test_scoring_page_refuses_an_unknown_code_and_keeps_the_choices(setting, client):
    answer = client.post(score_url(setting), ballot(setting, "1234567890", "excellent"))
    assert answer.status_code == 200
    assert b"not one of this meeting" in answer.content
    assert b'value="excellent" checked' in answer.content or b"checked" in answer.content


def test_scoring_page_of_a_meeting_not_open_says_so(tree, client):
    s = meeting_with_reports(tree.village_a1, open_it=False)
    page = client.get(score_url(s))
    assert page.status_code == 200 and b"not open" in page.content
    assert client.post(score_url(s), ballot(s, "1234567890")).status_code == 200
    assert not Score.objects.exists()


def test_scoring_page_of_another_village_is_404(setting, tree, client):
    url = reverse("meetings:score", kwargs={"code": tree.village_a2.code, "pk": setting.meeting.pk})
    assert client.get(url).status_code == 404


def test_scoring_is_rate_limited(setting, client, settings):
    settings.MEETINGS_SCORE_RATE = "2/m"
    for _ in range(2):
        client.post(score_url(setting), ballot(setting, "1111111111"))
    assert client.post(score_url(setting), ballot(setting, "1111111111")).status_code == 429


def test_staff_run_a_meeting_from_slips_to_publication(tree, village_cadre):
    staff = client_for(village_cadre)
    secretary = in_office(tree.village_a1, "张书记")
    created = staff.post(
        reverse("meetings_work:create", kwargs={"code": tree.village_a1.code}),
        {"quarter": "2026-Q3", "held_on": "2026-07-10", "place": "村委会"},
    )
    meeting = SunshineMeeting.objects.get()
    assert created.url == reverse("meetings_work:meeting", kwargs={"pk": meeting.pk})

    def post(name: str, data: dict[str, str], pk: int | None = None):
        url = reverse(f"meetings_work:{name}", kwargs={"pk": pk or meeting.pk})
        return staff.post(url, data)

    post("report", {"cadre": str(secretary.pk), "text": "修路两公里"})
    post("inquiry", {"question": "路灯呢？", "answer": "九月修", "answered_by": str(secretary.pk)})
    post("commitment", {"text": "修路灯", "owner": str(secretary.pk), "deadline": "2026-07-31"})
    assert post("advance", {"to": "open"}).status_code == 302
    slips = post("slips", {"count": "3"})
    assert slips.status_code == 200
    codes = re.findall(r'data-code="(\d{10})"', slips.content.decode())
    assert len(codes) == 3 and AttendanceToken.objects.count() == 3
    assert slips.content.decode().count("<svg") == 3
    assert "no-store" in slips["Cache-Control"] or "max-age=0" in slips["Cache-Control"]
    client = client_for(None)
    url = reverse("meetings:score", kwargs={"code": tree.village_a1.code, "pk": meeting.pk})
    client.post(url, {"code": codes[0], f"cadre_{secretary.pk}": "excellent"})
    post(
        "paper",
        {
            "cadre": str(secretary.pk),
            "excellent": "1",
            "competent": "2",
            "basic": "0",
            "incompetent": "0",
        },
    )
    post("advance", {"to": "close"})
    post("advance", {"to": "publish"})
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.PUBLISHED
    assert LogEntry.objects.filter(record_type="sunshine_meeting").count() == 1
    commitment = meeting.commitments.get()
    staff.post(
        reverse("meetings_work:commitment_done", kwargs={"pk": commitment.pk}),
        {"done_on": "2026-08-05", "evidence": "照片"},
    )
    public = client.get(reverse("meetings:village", kwargs={"code": tree.village_a1.code}))
    text = public.content.decode()
    assert "修路两公里" in text and "路灯呢？" in text and "修路灯" in text
    assert "excellent 2 (50%) · competent 2 (50%)" in text and "4 votes" in text
    assert "late" in text  # done on 5 August, due 31 July
    work = staff.get(reverse("meetings_work:meeting", kwargs={"pk": meeting.pk}))
    assert (work.status_code == 200 and "Published" in work.content.decode()) or "published" in (
        work.content.decode()
    )


def test_a_refused_change_comes_back_as_a_message(setting, village_cadre):
    staff = client_for(village_cadre)
    url = reverse("meetings_work:advance", kwargs={"pk": setting.meeting.pk})
    answer = staff.post(url, {"to": "publish"}, follow=True)
    assert b"Close the scoring before publishing" in answer.content


def test_the_operator_reads_but_does_not_change(setting, admin_operator):
    operator = client_for(admin_operator)
    assert (
        operator.get(
            reverse("meetings_work:meeting", kwargs={"pk": setting.meeting.pk})
        ).status_code
        == 200
    )
    url = reverse("meetings_work:advance", kwargs={"pk": setting.meeting.pk})
    assert operator.post(url, {"to": "close"}).status_code == 404


def test_township_sees_the_two_year_alert_on_the_village_page(tree, township_commission):
    cadre = in_office(tree.village_a1, "孙委员")
    for year in (2025, 2026):
        services.appraisal_record(
            actor=None, village=tree.village_a1, year=year, cadre_id=cadre.pk, rating="incompetent"
        )
    for code in (tree.village_a1.code, tree.town_a.code):
        page = client_for(township_commission).get(
            reverse("meetings_work:village", kwargs={"code": code})
        )
        assert page.status_code == 200
        assert b"two years running" in page.content and "孙委员" in page.content.decode()


def test_public_page_shows_only_published_meetings(setting, client):
    page = client.get(reverse("meetings:village", kwargs={"code": setting.meeting.village.code}))
    assert page.status_code == 200
    assert b"No meeting published yet" in page.content
    assert date(2026, 7, 10).isoformat() not in page.content.decode()


def test_village_page_links_to_its_meetings(tree, client):
    page = client.get(reverse("disclosures:village_page", kwargs={"code": tree.village_a1.code}))
    assert reverse("meetings:village", kwargs={"code": tree.village_a1.code}) in (
        page.content.decode()
    )


def publish_meeting(village, quarter: str, cadres) -> None:
    meeting = services.meeting_create(
        actor=None, village=village, quarter=quarter, held_on=date(2026, 3, 1), place="村委会"
    )
    for cadre in cadres:
        services.report_write(actor=None, meeting=meeting, cadre_id=cadre.pk, text="述职")
    services.inquiry_record(
        actor=None, meeting=meeting, question="问", answer="答", answered_by_id=cadres[0].pk
    )
    services.commitment_make(
        actor=None, meeting=meeting, text="改", owner_id=cadres[0].pk, deadline=date(2026, 4, 1)
    )
    services.meeting_open(actor=None, meeting=meeting)
    for code in services.tokens_issue(actor=None, meeting=meeting, count=2):
        services.ballot_cast(meeting=meeting, code=code, grades={c.pk: "competent" for c in cadres})
    services.paper_tally_enter(
        actor=None, meeting=meeting, cadre_id=cadres[0].pk, counts={"excellent": 3}
    )
    services.meeting_close(actor=None, meeting=meeting)
    services.meeting_publish(actor=None, meeting=meeting)


def test_public_meetings_page_costs_fixed_queries(tree, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    village = tree.village_a1
    cadres = [in_office(village, "甲"), in_office(village, "乙")]
    url = reverse("meetings:village", kwargs={"code": village.code})
    costs = []
    for quarters in (["2025-Q1"], ["2025-Q2", "2025-Q3", "2025-Q4"]):
        for quarter in quarters:
            publish_meeting(village, quarter.replace("2025", "2026"), cadres)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        costs.append(len(queries))
    assert costs == [7, 7]  # the village, the meetings and 3 prefetches, scores, paper


def test_region_page_links_to_the_meetings(tree, township_commission):
    page = client_for(township_commission).get(
        reverse("workbench:region_detail", kwargs={"code": tree.town_a.code})
    )
    assert reverse("meetings_work:village", kwargs={"code": tree.town_a.code}) in (
        page.content.decode()
    )
