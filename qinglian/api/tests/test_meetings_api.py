"""The meetings API: published meetings and scoring (public), staff reads and writes (scoped)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from conftest import client_for
from qinglian.core.models import AuditEvent
from qinglian.meetings import services
from qinglian.meetings.models import Commitment, MeetingState, Score, SunshineMeeting
from qinglian.meetings.tests.helpers import HELD_ON, Setting, in_office, meeting_with_reports


def post(client: Client, url: str, body: dict[str, Any]):
    """POST JSON, reading the answer's messages in English (the default is Chinese)."""
    return client.post(
        url, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )


def score_url(s: Setting) -> str:
    return f"/api/v1/villages/{s.meeting.village.code}/meetings/{s.meeting.pk}/scores"


def ballot(s: Setting, code: str, grade: str = "competent") -> dict[str, Any]:
    return {"code": code, "grades": {str(s.secretary.pk): grade, str(s.chair.pk): grade}}


@pytest.fixture
def setting(tree) -> Setting:
    return meeting_with_reports(tree.village_a1)


@pytest.fixture
def published(setting: Setting) -> Commitment:
    """The meeting published with one phone ballot, a question answered and a commitment
    done after its deadline; returns the commitment."""
    s = setting
    services.inquiry_record(
        actor=None,
        meeting=s.meeting,
        question="路灯何时修？",
        answer="九月",
        answered_by_id=s.chair.pk,
    )
    commitment = services.commitment_make(
        actor=None, meeting=s.meeting, text="修路灯", owner_id=s.chair.pk, deadline=date(2026, 8, 1)
    )
    code = services.tokens_issue(actor=None, meeting=s.meeting, count=1)[0]
    services.ballot_cast(
        meeting=s.meeting, code=code, grades={s.secretary.pk: "excellent", s.chair.pk: "basic"}
    )
    services.meeting_close(actor=None, meeting=s.meeting)
    services.meeting_publish(actor=None, meeting=s.meeting)
    return services.commitment_complete(
        actor=None, commitment=commitment, done_on=date(2026, 8, 20), evidence="照片存档"
    )


# Public: published meetings


def test_the_public_list_shows_published_meetings_whole(tree, setting, published):
    draft = services.meeting_create(
        actor=None, village=tree.village_a1, quarter="2026-Q4", held_on=date(2026, 10, 9), place="x"
    )
    answer = Client().get(f"/api/v1/villages/{tree.village_a1.code}/meetings/")
    assert answer.status_code == 200
    meetings = answer.json()
    assert [m["id"] for m in meetings] == [setting.meeting.pk]  # not the draft
    assert draft.pk not in {m["id"] for m in meetings}
    meeting = meetings[0]
    assert (meeting["quarter"], meeting["state"]) == ("2026-Q3", "published")
    results = {r["cadre"]: r for r in meeting["results"]}
    assert results["张书记"]["total"] == 1 and results["张书记"]["satisfied_percent"] == 100
    assert results["李主任"]["satisfied_percent"] == 0
    assert results["张书记"]["report"] == "本季度修路两公里。"
    assert [c["grade"] for c in results["李主任"]["counts"]] == [
        "excellent",
        "competent",
        "basic",
        "incompetent",
    ]
    assert meeting["inquiries"] == [
        {"question": "路灯何时修？", "answer": "九月", "answered_by": "李主任"}
    ]
    [commitment] = meeting["commitments"]
    assert (commitment["owner"], commitment["done_on"], commitment["late"]) == (
        "李主任",
        "2026-08-20",
        True,
    )
    assert "evidence" not in commitment  # the public page does not show it either


def test_the_public_list_of_an_unknown_village_is_404(db):
    assert Client().get("/api/v1/villages/000000000000/meetings/").status_code == 404


def test_the_public_list_costs_a_fixed_number_of_queries(
    tree, setting, published, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7):
        assert Client().get(f"/api/v1/villages/{tree.village_a1.code}/meetings/").status_code == 200


# Public: scoring


def test_a_code_scores_every_cadre_once_and_a_used_code_is_refused(setting):
    code = services.tokens_issue(actor=None, meeting=setting.meeting, count=1)[0]
    # No login, no cookie, no CSRF token: a phone or a mini-program has none.
    client = Client(enforce_csrf_checks=True)
    first = post(client, score_url(setting), ballot(setting, code))
    assert first.status_code == 201 and first.json() == {"scores": 2}
    again = post(client, score_url(setting), ballot(setting, code, "incompetent"))
    assert again.status_code == 422
    assert again.json() == {"detail": "This code has already been used to score.", "field": "code"}
    assert Score.objects.count() == 2
    assert set(Score.objects.values_list("grade", flat=True)) == {"competent"}


def test_a_wrong_code_is_refused_with_a_clear_message(setting):
    answer = post(Client(), score_url(setting), ballot(setting, "1234567890"))
    assert answer.status_code == 422
    assert answer.json()["field"] == "code" and "not one of this meeting" in answer.json()["detail"]
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    ("grades", "field"),
    [
        ({"x": "competent"}, "grades"),
        ({}, "grades"),
    ],
)
def test_a_ballot_must_grade_every_cadre_who_reported(setting, grades, field):
    code = services.tokens_issue(actor=None, meeting=setting.meeting, count=1)[0]
    answer = post(Client(), score_url(setting), {"code": code, "grades": grades})
    assert answer.status_code == 422 and answer.json()["field"] == field
    assert not Score.objects.exists()


def test_scoring_a_meeting_not_open_or_of_another_village_is_refused(tree):
    s = meeting_with_reports(tree.village_a1, open_it=False)
    code = services.tokens_issue(actor=None, meeting=s.meeting, count=1)[0]
    closed = post(Client(), score_url(s), ballot(s, code))
    assert closed.status_code == 422 and "not open" in closed.json()["detail"]
    elsewhere = f"/api/v1/villages/{tree.village_a2.code}/meetings/{s.meeting.pk}/scores"
    assert post(Client(), elsewhere, ballot(s, code)).status_code == 404
    assert not Score.objects.exists()


def test_scoring_beyond_the_rate_is_429_shared_with_the_page(setting, settings):
    settings.MEETINGS_SCORE_RATE = "2/m"
    client = Client()
    page = f"/v/{setting.meeting.village.code}/meetings/{setting.meeting.pk}/score/"
    client.post(page, {"code": "1111111111"})
    assert post(client, score_url(setting), ballot(setting, "1111111111")).status_code == 422
    assert post(client, score_url(setting), ballot(setting, "1111111111")).status_code == 429


# Staff


def staff_urls(s: Setting, commitment: Commitment) -> list[tuple[str, str, dict[str, Any]]]:
    code = s.meeting.village.code
    return [
        ("get", f"/api/v1/work/villages/{code}/meetings/", {}),
        ("get", f"/api/v1/work/meetings/{s.meeting.pk}", {}),
        ("get", f"/api/v1/work/villages/{code}/appraisals/", {}),
        ("post", f"/api/v1/work/villages/{code}/meetings/", new_meeting()),
        (
            "post",
            f"/api/v1/work/commitments/{commitment.pk}/done",
            {"done_on": "2026-07-20", "evidence": "照片"},
        ),
    ]


def new_meeting(**extra: Any) -> dict[str, Any]:
    return {"quarter": "2026-Q4", "held_on": "2026-10-09", "place": "村委会", **extra}


@pytest.fixture
def commitment(setting: Setting) -> Commitment:
    return services.commitment_make(
        actor=None,
        meeting=setting.meeting,
        text="清理水渠",
        owner_id=setting.chair.pk,
        deadline=date(2026, 8, 31),
    )


def call(client: Client, method: str, url: str, body: dict[str, Any]):
    return post(client, url, body) if method == "post" else client.get(url)


def test_a_villager_without_login_reaches_no_staff_endpoint(setting, commitment):
    answers = [call(Client(), *route).status_code for route in staff_urls(setting, commitment)]
    assert answers == [401] * 5
    assert SunshineMeeting.objects.count() == 1
    commitment.refresh_from_db()
    assert commitment.done_on is None


def test_staff_of_another_township_get_404_everywhere(setting, commitment, outsider):
    client = client_for(outsider)
    answers = [call(client, *route).status_code for route in staff_urls(setting, commitment)]
    assert answers == [404] * 5
    commitment.refresh_from_db()
    assert commitment.done_on is None and SunshineMeeting.objects.count() == 1


def test_the_operator_reads_but_does_not_change(setting, commitment, admin_operator):
    client = client_for(admin_operator)
    answers = [call(client, *route).status_code for route in staff_urls(setting, commitment)]
    assert answers == [200, 200, 200, 404, 404]


def test_staff_list_every_meeting_of_the_village_with_its_state(tree, setting, township_commission):
    services.meeting_create(
        actor=None, village=tree.village_a1, quarter="2026-Q4", held_on=date(2026, 10, 9), place="x"
    )
    client = client_for(township_commission)
    answer = client.get(f"/api/v1/work/villages/{tree.village_a1.code}/meetings/")
    assert answer.status_code == 200
    assert [(m["quarter"], m["state"]) for m in answer.json()] == [
        ("2026-Q4", "draft"),
        ("2026-Q3", "open"),
    ]
    # A township is not a village: its meetings are its villages'.
    assert client.get(f"/api/v1/work/villages/{tree.town_a.code}/meetings/").status_code == 404


def test_staff_read_a_meeting_whole_before_publication(setting, commitment, village_cadre):
    code = services.tokens_issue(actor=None, meeting=setting.meeting, count=3)[0]
    services.ballot_cast(
        meeting=setting.meeting,
        code=code,
        grades={setting.secretary.pk: "excellent", setting.chair.pk: "incompetent"},
    )
    services.paper_tally_enter(
        actor=None, meeting=setting.meeting, cadre_id=setting.chair.pk, counts={"competent": 4}
    )
    answer = client_for(village_cadre).get(f"/api/v1/work/meetings/{setting.meeting.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["state"] == "open" and body["tokens"] == {"issued": 3, "used": 1}
    assert body["paper_total"] == 4
    chair = next(r for r in body["results"] if r["cadre_id"] == setting.chair.pk)
    assert chair["total"] == 5 and chair["satisfied_percent"] == 80
    [c] = body["commitments"]
    assert (c["id"], c["done_on"], c["evidence"]) == (commitment.pk, None, "")


def test_a_writer_creates_a_meeting_and_a_second_one_for_the_quarter_is_422(
    tree,
    setting,
    supervisor,
):
    client = client_for(supervisor)
    url = f"/api/v1/work/villages/{tree.village_a1.code}/meetings/"
    created = post(client, url, new_meeting())
    assert created.status_code == 201
    meeting = SunshineMeeting.objects.get(pk=created.json()["id"])
    assert (meeting.quarter, meeting.state, meeting.village) == (
        "2026-Q4",
        "draft",
        tree.village_a1,
    )
    assert AuditEvent.objects.filter(verb="meeting.created", actor=supervisor).count() == 1
    again = post(client, url, new_meeting())
    assert again.status_code == 422
    assert again.json() == {
        "detail": "The village already has a meeting for this quarter.",
        "field": "quarter",
    }
    wrong_year = post(client, url, new_meeting(quarter="2027-Q1"))
    assert wrong_year.status_code == 422 and wrong_year.json()["field"] == "held_on"
    assert post(client, url, new_meeting(held_on="soon")).json()["field"] == "held_on"


def test_a_writer_marks_a_commitment_done_once_and_lateness_shows(
    setting,
    commitment,
    village_cadre,
):
    client = client_for(village_cadre)
    url = f"/api/v1/work/commitments/{commitment.pk}/done"
    late = post(client, url, {"done_on": "2026-09-03", "evidence": "验收单"})
    assert late.status_code == 200
    assert (late.json()["done_on"], late.json()["late"], late.json()["evidence"]) == (
        "2026-09-03",
        True,
        "验收单",
    )
    commitment.refresh_from_db()
    assert commitment.done_on == date(2026, 9, 3)
    again = post(client, url, {"done_on": "2026-08-01", "evidence": "再来"})
    assert again.status_code == 422 and "already recorded" in again.json()["detail"]
    before = post(
        client,
        f"/api/v1/work/commitments/{commitment.pk}/done",
        {"done_on": str(HELD_ON), "evidence": " "},
    )
    assert before.status_code == 422


def test_appraisals_and_the_two_year_alert_reach_the_township_not_another(
    tree, township_commission, outsider
):
    other = in_office(tree.village_a1, "周委员")
    for year in (2025, 2026):
        services.appraisal_record(
            actor=None, village=tree.village_a1, year=year, cadre_id=other.pk, rating="incompetent"
        )
    client = client_for(township_commission)
    village = client.get(f"/api/v1/work/villages/{tree.village_a1.code}/appraisals/").json()
    assert [(a["year"], a["cadre"], a["rating"]) for a in village["appraisals"]] == [
        (2026, "周委员", "incompetent"),
        (2025, "周委员", "incompetent"),
    ]
    assert village["alerts"] == [
        {
            "village": tree.village_a1.code,
            "cadre_id": other.pk,
            "cadre": "周委员",
            "years": [2025, 2026],
        }
    ]
    township = client.get(f"/api/v1/work/villages/{tree.town_a.code}/appraisals/").json()
    assert township["appraisals"] == [] and len(township["alerts"]) == 1
    assert (
        client_for(outsider)
        .get(f"/api/v1/work/villages/{tree.village_a1.code}/appraisals/")
        .status_code
        == 404
    )


def test_the_openapi_document_lists_the_meetings(db):
    answer = Client().get("/api/v1/openapi.json")
    assert answer.status_code == 200
    paths = answer.json()["paths"]
    assert {
        "/api/v1/villages/{code}/meetings/",
        "/api/v1/villages/{code}/meetings/{pk}/scores",
        "/api/v1/work/villages/{code}/meetings/",
        "/api/v1/work/meetings/{pk}",
        "/api/v1/work/commitments/{pk}/done",
        "/api/v1/work/villages/{code}/appraisals/",
    } <= set(paths)
    scores = paths["/api/v1/villages/{code}/meetings/{pk}/scores"]["post"]
    assert {"201", "404", "422", "429"} <= set(scores["responses"])
    assert MeetingState.PUBLISHED  # the states the API reports are the model's


def test_a_meeting_whole_costs_the_same_queries_however_many_commitments(
    setting, village_cadre, django_assert_num_queries
):
    client = client_for(village_cadre)
    url = f"/api/v1/work/meetings/{setting.meeting.pk}"
    client.get(url)  # the session and the user's roles are read the same way each time

    def make(n: int) -> None:
        for i in range(n):
            services.commitment_make(
                actor=None,
                meeting=setting.meeting,
                text=f"承诺{i}",
                owner_id=setting.chair.pk,
                deadline=date(2026, 8, 31),
            )

    make(1)
    with django_assert_num_queries(11) as few:
        assert client.get(url).status_code == 200
    make(5)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(url).json()["commitments"]) == 6
