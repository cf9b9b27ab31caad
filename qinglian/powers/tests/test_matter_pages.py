"""The matters' staff pages and API: what a cadre, the committee and the township see and do."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import client_for
from qinglian.powers.models import Matter, MatterState, Origin, StepRecord
from qinglian.powers.procedure import Evidence
from qinglian.powers.services import matter_start, step_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def matter(tree, village_cadre) -> Matter:
    return matter_start(
        actor=village_cadre,
        village=tree.village_a1,
        item_code="P01",
        title="2026年村道硬化",
        origin=Origin.VILLAGERS,
        started_on=date(2026, 3, 1),
    )


def test_a_cadre_opens_a_matter_from_the_village_page(tree, village_cadre):
    client = client_for(village_cadre)
    page = client.get(f"/work/powers/{tree.village_a1.code}/matters/")
    assert page.status_code == 200
    assert b'id="new-matter"' in page.content
    answer = client.post(
        f"/work/powers/{tree.village_a1.code}/matters/new/",
        {"item": "P07", "title": "文化礼堂修缮", "origin": "cadres", "started_on": "2026-04-01"},
    )
    matter = Matter.objects.get(title="文化礼堂修缮")
    assert answer.status_code == 302 and answer["Location"] == f"/work/powers/matters/{matter.pk}/"
    assert matter.item.code == "P07" and matter.state == MatterState.OPEN


def test_a_refused_step_keeps_what_was_typed_and_names_the_rule(village_cadre, matter, english):
    client = client_for(village_cadre)
    client.post(f"/work/powers/matters/{matter.pk}/record/", {"number": 1, "held_on": "2026-03-01"})
    answer = client.post(
        f"/work/powers/matters/{matter.pk}/record/",
        {
            "number": 6,
            "held_on": "2026-03-20",
            "expected": 30,
            "present": 18,
            "votes_for": 18,
            "content": "同意硬化村道",
        },
    )
    assert answer.status_code == 422
    text = answer.content.decode()
    assert 'id="problems"' in text
    assert "应到30人，实到18人" in text  # below the 2/3 quorum of 20
    assert "（20人）" in text
    assert text.count("尚未登记") == 3  # steps 2, 4 and 5 come first
    assert "同意硬化村道" in text  # what was typed is still there
    assert list(matter.records.values_list("number", flat=True)) == [1]


def test_an_exception_shows_on_the_matter_the_workbench_and_the_exceptions_page(
    village_cadre, supervisor, township_commission, outsider, matter, english
):
    client_for(village_cadre).post(
        f"/work/powers/matters/{matter.pk}/record/",
        {
            "number": 2,
            "held_on": "2026-03-03",
            "expected": 7,
            "present": 7,
            "votes_for": 7,
            "as_exception": "on",
            "explanation": "支部提议补录",
        },
    )
    record = StepRecord.objects.get(matter=matter)
    assert record.problems
    for reviewer in (supervisor, township_commission):
        client = client_for(reviewer)
        assert b'id="procedure-exceptions"' in client.get("/work/").content
        listing = client.get("/work/powers/exceptions/").content.decode()
        assert matter.title in listing and "支部提议补录" in listing
    assert b'id="procedure-exceptions"' not in client_for(outsider).get("/work/").content
    assert matter.title not in client_for(outsider).get("/work/powers/exceptions/").content.decode()
    reviewed = client_for(supervisor).post(
        f"/work/powers/exceptions/{record.pk}/review/", {"comment": "已要求补开支委会"}
    )
    assert reviewed.status_code == 302
    assert b'id="procedure-exceptions"' not in client_for(township_commission).get("/work/").content
    page = client_for(township_commission).get(f"/work/powers/matters/{matter.pk}/")
    assert "已要求补开支委会" in page.content.decode()


def test_only_the_village_records_and_the_chart_is_on_the_matter_page(
    village_cadre, township_commission, matter
):
    page = client_for(township_commission).get(f"/work/powers/matters/{matter.pk}/")
    assert page.status_code == 200
    assert b'id="step-form"' not in page.content
    assert b"<svg" in page.content
    refused = client_for(township_commission).post(
        f"/work/powers/matters/{matter.pk}/record/", {"number": 1, "held_on": "2026-03-01"}
    )
    assert refused.status_code == 404
    assert (
        b'id="step-form"'
        in client_for(village_cadre).get(f"/work/powers/matters/{matter.pk}/").content
    )


def test_the_api_refuses_a_broken_step_with_its_problems_then_keeps_the_exception(
    village_cadre, matter
):
    client = client_for(village_cadre)
    url = f"/api/v1/work/matters/{matter.pk}/steps"
    body = {"number": 2, "held_on": "2026-03-03", "expected": 7, "present": 4, "votes_for": 4}
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 422
    assert {p["code"] for p in refused.json()["problems"]} == {"earlier_step_missing"}
    kept = client.post(
        url,
        {**body, "as_exception": True, "explanation": "支部提议在会上口头作出"},
        content_type="application/json",
    )
    assert kept.status_code == 201
    assert kept.json()["problems"][0]["code"] == "earlier_step_missing"
    detail = client.get(f"/api/v1/work/matters/{matter.pk}").json()
    assert detail["exceptions"] == 1
    assert [s["status"] for s in detail["steps"][:3]] == ["pending", "exception", "not_required"]
    assert detail["steps"][1]["records"][0]["explanation"] == "支部提议在会上口头作出"


def test_the_api_lists_the_township_s_matters_and_its_open_exceptions(
    tree, village_cadre, township_commission, outsider, matter
):
    step_record(
        actor=village_cadre,
        matter=matter,
        evidence=Evidence(number=2, held_on=date(2026, 3, 3), expected=7, present=7, votes_for=7),
        as_exception=True,
        explanation="补录",
    )
    township = client_for(township_commission)
    listed = township.get(f"/api/v1/work/regions/{tree.town_a.code}/matters/").json()
    assert [m["id"] for m in listed] == [matter.pk]
    assert [e["matter"] for e in township.get("/api/v1/work/exceptions/").json()] == [matter.pk]
    assert client_for(outsider).get("/api/v1/work/exceptions/").json() == []
    assert (
        client_for(outsider).get(f"/api/v1/work/regions/{tree.town_a.code}/matters/").status_code
        == 404
    )


def test_the_matter_s_chart_says_how_each_step_stands(village_cadre, matter):
    step_record(
        actor=village_cadre,
        matter=matter,
        evidence=Evidence(number=1, held_on=date(2026, 3, 1)),
    )
    step_record(
        actor=village_cadre,
        matter=matter,
        evidence=Evidence(
            number=4,
            held_on=date(2026, 3, 5),
            publicity_start=date(2026, 3, 5),
            publicity_end=date(2026, 3, 19),
        ),
        as_exception=True,
        explanation="先公示",
    )
    svg = client_for(village_cadre).get(f"/work/powers/matters/{matter.pk}/").content.decode()
    svg = svg[svg.index("<svg") : svg.index("</svg>")]
    assert 'data-step="PR" data-kind="proposal" data-status="done"' in svg
    assert 'data-step="PP" data-kind="publicity" data-status="exception"' in svg
    assert 'data-step="CO" data-kind="meeting" data-status="pending"' in svg
    assert "2026-03-01完成" in svg and "例外 2026-03-05" in svg


def test_villagers_follow_a_matter_on_its_chart_without_the_names(tree, village_cadre, matter):
    step_record(
        actor=village_cadre,
        matter=matter,
        evidence=Evidence(number=2, held_on=date(2026, 3, 3), expected=7, present=6, votes_for=6),
        attendees="王建国、李四、张三",
        as_exception=True,
        explanation="支部提议补录",
    )
    anonymous = client_for(None)
    listing = anonymous.get(f"/v/{tree.village_a1.code}/powers/matters/").content.decode()
    assert matter.title in listing and "1项例外" in listing
    page = anonymous.get(f"/v/{tree.village_a1.code}/powers/matters/{matter.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "应到7人，实到6人" in text and "尚未登记" in text  # the exception's rule, said
    assert "王建国" not in text and "支部提议补录" not in text  # names and reasons stay inside
    assert 'data-status="exception"' in text
    other = anonymous.get(f"/v/{tree.village_a2.code}/powers/matters/{matter.pk}/")
    assert other.status_code == 404  # a matter is shown under its own village only


def test_the_matter_pages_cost_the_same_queries_however_many_records(tree, village_cadre, matter):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff, anonymous = client_for(village_cadre), client_for(None)
    pages = (
        (staff, f"/work/powers/matters/{matter.pk}/"),
        (anonymous, f"/v/{tree.village_a1.code}/powers/matters/{matter.pk}/"),
        (anonymous, f"/v/{tree.village_a1.code}/powers/matters/"),
    )

    def counts() -> list[int]:
        found = []
        for client, url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    step_record(
        actor=village_cadre, matter=matter, evidence=Evidence(number=1, held_on=date(2026, 3, 1))
    )
    few = counts()
    for number in (2, 3, 5, 6):
        step_record(
            actor=village_cadre,
            matter=matter,
            evidence=Evidence(
                number=number,
                held_on=date(2026, 3, number),
                expected=30,
                present=25,
                votes_for=25,
            ),
            documents=[("签到表.png", b"\x89PNG\r\n\x1a\n" + bytes(32))],
            as_exception=True,
            explanation="补录",
        )
    assert counts() == few


def test_a_step_without_a_date_is_sent_back_on_its_field(village_cadre, matter):
    answer = client_for(village_cadre).post(
        f"/work/powers/matters/{matter.pk}/record/", {"number": 1, "content": "支部提议"}
    )
    assert answer.status_code == 422
    assert "请填写该步骤的日期。" in answer.content.decode()
    assert not matter.records.exists()
