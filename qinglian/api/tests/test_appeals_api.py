"""The mailbox API: send, replay, conflict, refusals, follow, write, rate, reopen, limits."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.test import Client

from qinglian.appeals.models import Appeal, AppealEvent, Channel, State
from qinglian.appeals.services import appeal_answer, appeal_close, appeal_reassign, appeal_transfer
from qinglian.appeals.tests.helpers import in_office

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
EXE = base64.b64encode(b"MZ\x90\x00").decode()
KEY = "5a1f0c2e-8d4b-4c7a-9e3f-0b6d2a9c1e47"


def send(
    client: Client,
    code: str,
    body: dict[str, Any],
    headers: dict[str, str] | None = None,
    **extra: Any,
):
    return client.post(
        f"/api/v1/villages/{code}/appeals/",
        json.dumps(body),
        content_type="application/json",
        headers=headers,
        **extra,
    )


def post(client: Client, action: str, body: dict[str, Any]):
    return client.post(
        f"/api/v1/appeals/{action}", json.dumps(body), content_type="application/json"
    )


def question(**extra: Any) -> dict[str, Any]:
    return {"kind": "question", "text": "6500元环境整治费是做什么的？", **extra}


@pytest.fixture
def village(tree):
    return tree.village_a1


@pytest.fixture
def sent(village) -> dict[str, Any]:
    response = send(Client(), village.code, question())
    assert response.status_code == 201
    return dict(response.json())


def test_a_case_sent_anonymously_gets_its_receipt_and_secret(village):
    # No login and no CSRF token: a kiosk or mini-program has neither.
    response = send(Client(enforce_csrf_checks=True), village.code, question(category="finance"))
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"receipt", "secret", "status", "due_on"}
    assert len(body["receipt"]) == 12 and len(body["secret"]) == 20
    assert body["status"] == "received" and body["due_on"]
    appeal = Appeal.objects.get(receipt=body["receipt"])
    assert (appeal.channel, appeal.category, appeal.village) == (Channel.API, "finance", village)
    assert body["secret"] not in appeal.secret_hash


def test_the_same_submission_key_twice_makes_one_case_with_the_same_answer(village):
    first = send(Client(), village.code, question(submission_key=KEY))
    again = send(Client(), village.code, question(submission_key=KEY))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Appeal.objects.count() == 1 and AppealEvent.objects.count() == 1


def test_the_idempotency_key_header_works_as_the_submission_key(village):
    first = send(Client(), village.code, question(), headers={"Idempotency-Key": KEY})
    again = send(Client(), village.code, question(submission_key=KEY))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["receipt"] == first.json()["receipt"]
    assert Appeal.objects.count() == 1


def test_a_submission_key_reused_for_other_content_is_409_and_makes_nothing(village):
    assert send(Client(), village.code, question(submission_key=KEY)).status_code == 201
    response = send(Client(), village.code, question(submission_key=KEY, text="完全不同的问题"))
    assert response.status_code == 409
    assert response.json()["field"] == "submission_key" and response.json()["detail"]
    assert Appeal.objects.count() == 1


def test_an_unknown_village_is_404(tree):
    for code in ("999999999999", tree.town_a.code):
        response = send(Client(), code, question())
        assert response.status_code == 404 and response.json()["detail"]
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "rumour", "text": "内容足够长了"}, "kind"),
        ({"kind": "question", "text": "短"}, "text"),
        ({"kind": "question"}, "text"),
        ({"kind": "question", "text": "内容足够长了", "category": "gossip"}, "category"),
        ({"kind": "report", "text": "内容足够长了", "cadres": ["one"]}, "cadres"),
        ({"kind": "report", "text": "内容足够长了", "cadres": [999999]}, "cadres"),
        ({"kind": "question", "text": "内容足够长了", "photos": ["not base64!"]}, "photos"),
        (
            {
                "kind": "question",
                "text": "内容足够长了",
                "photos": [EXE],
            },
            "photos",
        ),
        (
            {
                "kind": "question",
                "text": "内容足够长了",
                "photos": [base64.b64encode(PNG).decode()] * 5,
            },
            "photos",
        ),
        ({"kind": "question", "text": "内容足够长了", "phone": "12345"}, "phone"),
        ({"kind": "question", "text": "内容足够长了", "line": "expense-1"}, "line"),
        ({"kind": "question", "text": "内容足够长了", "disclosure": 999999}, "line"),
        ({"kind": "question", "text": "内容足够长了", "submission_key": "short"}, "submission_key"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_writes_nothing(village, body, field, english):
    response = send(Client(), village.code, body)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]
    assert not Appeal.objects.exists()


def test_a_header_key_that_differs_from_the_body_key_is_refused(village):
    response = send(
        Client(), village.code, question(submission_key=KEY), headers={"Idempotency-Key": KEY[::-1]}
    )
    assert response.status_code == 422 and response.json()["field"] == "submission_key"


def test_photos_and_a_named_cadre_are_taken(tree, village, village_cadre, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cadre = in_office(village_cadre.person, village)
    body = {
        "kind": "complaint",
        "text": "村干部态度很差",
        "cadres": [cadre.pk],
        "photos": [base64.b64encode(PNG).decode()],
    }
    response = send(Client(), village.code, body)
    assert response.status_code == 201
    appeal = Appeal.objects.get(receipt=response.json()["receipt"])
    assert list(appeal.subjects.all()) == [cadre]
    assert appeal.attachments.get().content_type == "image/png"
    assert appeal.assigned_region == tree.town_a


def test_submissions_beyond_the_rate_are_429(village, settings):
    settings.APPEALS_SUBMIT_RATE = "2/m"
    client = Client()
    answers = [send(client, village.code, question(text=f"第{n}个问题内容")) for n in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert answers[2].json()["detail"]
    assert Appeal.objects.count() == 2
    # Another address is not held back.
    assert send(client, village.code, question(), REMOTE_ADDR="10.1.2.3").status_code == 201


def test_behind_the_proxy_the_limit_counts_the_address_it_saw(village, settings):
    settings.BEHIND_TLS_PROXY = True
    settings.APPEALS_SUBMIT_RATE = "1/m"

    def from_address(forwarded: str, text: str) -> Any:
        return send(Client(), village.code, question(text=text), HTTP_X_FORWARDED_FOR=forwarded)

    assert from_address("203.0.113.1", "第一个问题内容").status_code == 201
    # Writing another address in front of the proxy's changes nothing.
    assert from_address("10.9.9.9, 203.0.113.1", "第二个问题内容").status_code == 429
    assert from_address("203.0.113.2", "第三个问题内容").status_code == 201


def test_track_shows_the_case_and_its_public_events_only(
    tree, village, sent, township_commission, english
):
    appeal = Appeal.objects.get(receipt=sent["receipt"])
    appeal_reassign(
        actor=township_commission,
        appeal=appeal,
        body="commission",
        region=tree.town_a,
        reason="内部原因：涉及村干部亲属",
    )
    appeal_transfer(
        actor=township_commission, appeal=appeal, to="县自然资源局", reason="内部理由不公开"
    )
    response = post(Client(), "track", {"receipt": sent["receipt"], "secret": sent["secret"]})
    assert response.status_code == 200
    body = response.json()
    assert body["receipt"] == sent["receipt"] and body["kind"] == "question"
    assert body["state"] == State.TRANSFERRED and body["handled_by"] == "青山镇纪委"
    assert {"category", "outcome", "due_on", "due_estimated", "rating"} <= set(body)
    assert [e["kind"] for e in body["events"]] == ["received", "transferred"]
    assert body["events"][1]["text"] == "县自然资源局"
    assert set(body["events"][0]) == {"at", "kind", "code", "text"}
    text = response.content.decode()
    assert sent["secret"] not in text
    assert "内部" not in text and "reassigned" not in text
    assert AppealEvent.objects.filter(appeal=appeal, public=False).count() == 2


def test_track_costs_two_queries_however_long_the_case(sent, django_assert_num_queries):
    key = {"receipt": sent["receipt"], "secret": sent["secret"]}
    for n in range(5):
        assert post(Client(), "messages", {**key, "text": f"第{n}次补充说明"}).status_code == 201
    with django_assert_num_queries(2):  # the case with its regions, its public events
        response = post(Client(), "track", key)
    assert len(response.json()["events"]) == 6


def test_track_answers_the_same_404_for_an_unknown_receipt_and_a_wrong_secret(sent):
    wrong_secret = str((int(sent["secret"][-1]) + 1) % 10)
    answers = [
        post(
            Client(),
            "track",
            {"receipt": sent["receipt"], "secret": sent["secret"][:-1] + wrong_secret},
        ),
        post(Client(), "track", {"receipt": "000000000000", "secret": sent["secret"]}),
        post(Client(), "track", {"receipt": "12", "secret": ""}),
    ]
    assert {a.status_code for a in answers} == {404}
    assert len({a.content for a in answers}) == 1


def test_track_takes_no_secret_in_the_address(sent):
    query = f"?receipt={sent['receipt']}&secret={sent['secret']}"
    assert Client().get("/api/v1/appeals/track" + query).status_code == 405


def test_the_villager_writes_to_an_open_case_not_to_a_closed_one(village, sent, village_cadre):
    key = {"receipt": sent["receipt"], "secret": sent["secret"]}
    response = post(Client(), "messages", {**key, "text": "补充：是去年十月的费用"})
    assert response.status_code == 201
    assert response.json()["events"][-1]["kind"] == "villager_wrote"
    assert response.json()["events"][-1]["text"] == "补充：是去年十月的费用"
    appeal_close(
        actor=village_cadre,
        appeal=Appeal.objects.get(receipt=sent["receipt"]),
        outcome="resolved",
        text="已经答复过了",
    )
    refused = post(Client(), "messages", {**key, "text": "还有一个问题"})
    assert refused.status_code == 422 and refused.json()["detail"]
    wrong = post(Client(), "messages", {**key, "secret": "1" * 20, "text": "冒名写信"})
    assert wrong.status_code == 404
    assert AppealEvent.objects.filter(kind="villager_wrote").count() == 1


def test_the_villager_rates_once_an_answer_exists_then_reopens_once(
    tree, village, sent, village_cadre, english
):
    key = {"receipt": sent["receipt"], "secret": sent["secret"]}
    early = post(Client(), "rate", {**key, "rating": "satisfied"})
    assert early.status_code == 422 and early.json()["field"] == "rating"
    appeal_answer(
        actor=village_cadre,
        appeal=Appeal.objects.get(receipt=sent["receipt"]),
        text="是垃圾清运的费用",
    )
    assert post(Client(), "rate", {**key, "rating": "great"}).json()["field"] == "rating"
    rated = post(Client(), "rate", {**key, "rating": "dissatisfied"})
    assert rated.status_code == 200 and rated.json()["rating"] == "dissatisfied"
    assert post(Client(), "rate", {**key, "rating": "satisfied"}).status_code == 422
    assert post(Client(), "reopen", {**key, "text": "短"}).json()["field"] == "text"
    reopened = post(Client(), "reopen", {**key, "text": "清运一次不要这么多钱"})
    assert reopened.status_code == 200
    body = reopened.json()
    assert body["state"] == State.RECEIVED and body["rating"] == ""
    assert body["handled_by"] == "青山镇纪委"
    assert body["events"][-1]["kind"] == "reopened"
    assert post(Client(), "reopen", {**key, "text": "还是不满意的"}).status_code == 422


def test_following_beyond_the_rate_is_429_whichever_endpoint(sent, settings):
    settings.APPEALS_TRACK_RATE = "3/m"
    key = {"receipt": sent["receipt"], "secret": sent["secret"]}
    client = Client()
    answers = [
        post(client, "track", key).status_code,
        post(client, "track", {**key, "secret": "0" * 20}).status_code,
        post(client, "messages", {**key, "text": "补充说明一下"}).status_code,
        post(client, "rate", {**key, "rating": "satisfied"}).status_code,
        post(client, "track", key).status_code,
    ]
    assert answers == [200, 404, 201, 429, 429]


def test_the_openapi_document_lists_the_mailbox(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/villages/{code}/appeals/",
        "/api/v1/appeals/track",
        "/api/v1/appeals/messages",
        "/api/v1/appeals/rate",
        "/api/v1/appeals/reopen",
    } <= set(paths)
    submit = paths["/api/v1/villages/{code}/appeals/"]["post"]
    assert {"200", "201", "404", "409", "422", "429"} <= set(submit["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in submit["parameters"])


def test_a_question_about_a_published_line_keeps_the_line_as_published(village):
    from datetime import date

    import time_machine

    from qinglian.disclosures.selectors import statement_lines
    from qinglian.disclosures.tests.test_public_pages import month_of_books

    with time_machine.travel(date(2025, 4, 8)):
        version = month_of_books(village, date(2025, 3, 1))
    key, _line = next(iter(statement_lines(version.content)))
    body = {"kind": "question", "text": "这笔钱是什么？", "disclosure": version.disclosure_id}
    response = send(Client(), village.code, {**body, "line": key})
    assert response.status_code == 201
    appeal = Appeal.objects.get()
    assert appeal.line_key == key and appeal.line_label.startswith("2025-03-")
    refused = send(Client(), village.code, {**body, "line": "line-9-9-9"})
    assert refused.status_code == 422 and refused.json()["field"] == "line"
