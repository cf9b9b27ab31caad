"""The villager's pages of the mailbox: write, get a receipt and a secret, follow the case."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from qinglian.appeals.models import Appeal, AppealAttachment, AppealEvent, Body, State
from qinglian.appeals.services import (
    appeal_answer,
    appeal_close,
    appeal_reassign,
    appeal_submit,
    appeals_escalate,
    handler_write,
)
from qinglian.appeals.tests.helpers import commission_keys, in_office
from qinglian.disclosures.tests.test_public_pages import month_of_books

SHANGHAI = ZoneInfo("Asia/Shanghai")
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
KEY = "double-tap-key-0123456789"


@pytest.fixture
def village(tree):
    return tree.village_a1


def english() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def ask_url(village: Any) -> str:
    return f"/v/{village.code}/ask/"


def form(**fields: Any) -> dict[str, Any]:
    data = {
        "kind": "question",
        "category": "finance",
        "text": "村里的路灯什么时候修？",
        "anonymous": "on",
        "submission_key": KEY,
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def shown(response: Any) -> tuple[str, str]:
    """The receipt and the secret as the receipt page shows them (digits only)."""
    html = response.content.decode()
    receipt = re.search(r'id="receipt-number">([\d ]+)<', html)
    secret = re.search(r'id="secret-number">(.*?)</p>', html, re.S)
    assert receipt and secret, html
    return receipt[1].replace(" ", ""), re.sub(r"\D", "", secret[1])


def addresses(html: str) -> list[str]:
    return re.findall(r'(?:href|action|src)="([^"]*)"', html)


def track(client: Client, receipt: str, secret: str) -> Any:
    return client.post("/mailbox/track/", {"receipt": receipt, "secret": secret})


# --- intake -------------------------------------------------------------------------------


def test_the_intake_page_offers_kinds_cadres_and_says_who_can_read_a_name(village, village_cadre):
    in_office(village_cadre.person, village, post="party_secretary")
    response = english().get(ask_url(village))
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    for kind in ("question", "complaint", "report", "suggestion"):
        assert f'type="radio" name="kind" value="{kind}"' in html
    assert f'name="subjects" value="{village_cadre.person.pk}"' in html
    assert "王建国 · party branch secretary" in html
    assert "only the discipline commission can read them" in html
    assert "photos may carry the place" in html and "Details only you could know" in html
    assert 'name="anonymous"' in html and re.search(r'name="anonymous"[^>]*checked', html)
    assert re.search(r'<div class="hp" aria-hidden="true">.*name="website"', html)
    key = re.search(r'name="submission_key" value="([^"]+)"', html)
    assert key and len(key[1]) >= 16
    assert english().get("/v/339901100299/ask/").status_code == 404


def test_a_question_is_answered_with_its_receipt_and_secret_in_the_page_not_the_address(village):
    client = english()
    response = client.post(ask_url(village), form())
    assert response.status_code == 200 and not response.has_header("Location")
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    receipt, secret = shown(response)
    assert len(receipt) == 12 and len(secret) == 20
    assert html.count("<span>") >= 5 and f"<span>{secret[:4]}</span>" in html  # groups of four
    assert "Write both numbers down" in html
    for address in addresses(html):
        assert secret[:8] not in address and receipt not in address
    appeal = Appeal.objects.get()
    assert (appeal.receipt, appeal.kind, appeal.category) == (receipt, "question", "finance")
    assert appeal.body == Body.VILLAGE and not appeal.real_name
    assert secret not in appeal.secret_hash
    followed = track(client, receipt, secret)
    assert followed.status_code == 302 and secret not in followed["Location"]
    assert receipt not in followed["Location"]


def test_a_report_with_a_cadre_a_photo_and_a_name_goes_to_the_commission(village, village_cadre):
    cadre = in_office(village_cadre.person, village)
    commission_keys(village.parent)
    response = english().post(
        ask_url(village),
        form(
            kind="report",
            category="cadre_conduct",
            text="村干部收了好处费",
            subjects=[cadre.pk],
            anonymous=None,
            name="李四",
            phone="138 0000 1111",
            file=[SimpleUploadedFile("p.png", PNG, content_type="image/png")],
        ),
    )
    assert response.status_code == 200 and "Receipt number" in response.content.decode()
    appeal = Appeal.objects.get()
    assert appeal.body == Body.COMMISSION and appeal.assigned_region == village.parent
    assert list(appeal.subjects.all()) == [cadre] and appeal.real_name
    assert AppealAttachment.objects.get(appeal=appeal).content_type == "image/png"
    assert "李四" not in response.content.decode()


def refused(village: Any, **fields: Any) -> str:
    response = english().post(ask_url(village), form(**fields))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Receipt number" not in html
    return html


def error_of(html: str, field: str) -> str:
    """The errors shown with one field of the form."""
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', html, re.S)
    return found[1] if found else ""


def test_each_refusal_shows_on_its_field_and_keeps_what_was_typed(
    village, village_cadre, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    in_office(village_cadre.person, village)
    html = refused(village, text="短", category="welfare")
    assert "at least a few words" in error_of(html, "text") and "短</textarea>" in html
    assert '<option value="welfare" selected>' in html
    html = refused(village, anonymous=None, phone="12345", text="请回电话给我")
    assert "11 digits" in error_of(html, "phone")
    assert 'value="12345"' in html and "请回电话给我" in html
    html = refused(village, name="李四", text="署名的信")
    assert "untick" in error_of(html, "anonymous") and 'value="李四"' in html
    html = refused(village, anonymous=None, name="李四", text="署名的信")  # no commission key yet
    assert "without your name" in error_of(html, "name")
    html = refused(village, file=[SimpleUploadedFile("a.exe", b"MZ..")], text="附件不对")
    assert "Attach a PDF, a JPEG or a PNG image" in error_of(html, "file")
    assert "Choose your photos or files again" in html
    five = [SimpleUploadedFile(f"{n}.png", PNG) for n in range(5)]
    assert "at most 4" in error_of(refused(village, file=five, text="附件太多"), "file")
    assert "valid choice" in error_of(refused(village, kind="rumour", text="内容足够"), "kind")
    html = refused(village, subjects=[999], text="点名了不存在的人")
    assert "valid choice" in error_of(html, "subjects")
    assert not Appeal.objects.exists() and not AppealAttachment.objects.exists()


def test_a_robot_filling_the_hidden_field_is_told_all_is_well_and_nothing_is_kept(village):
    response = english().post(ask_url(village), form(website="http://spam.example"))
    assert response.status_code == 200
    receipt, secret = shown(response)
    assert len(receipt) == 12 and len(secret) == 20
    assert not Appeal.objects.exists()


def test_a_double_tap_makes_one_case_and_shows_the_same_receipt(village):
    client = english()
    first = shown(client.post(ask_url(village), form()))
    again = shown(client.post(ask_url(village), form()))
    assert first == again
    assert Appeal.objects.count() == 1 and AppealEvent.objects.count() == 1
    # Back button, other words, same token: a new case once the villager sends again.
    html = client.post(ask_url(village), form(text="另外一个问题的内容")).content.decode()
    assert "already sent with other words" in html
    new_key = re.search(r'name="submission_key" value="([^"]+)"', html)
    assert new_key and new_key[1] != KEY
    shown(client.post(ask_url(village), form(text="另外一个问题的内容", submission_key=new_key[1])))
    assert Appeal.objects.count() == 2


# --- a question about a published line ----------------------------------------------------


@pytest.fixture
def statement(village):
    with time_machine.travel(date(2025, 4, 8)):
        return month_of_books(village, date(2025, 3, 1))


def line_link(html: str) -> tuple[str, str]:
    """The row id and the "ask about this" address of the line 环境整治费."""
    row = re.search(
        r'<tr id="(line-[^"]+)">(?:(?!</tr>).)*环境整治费(?:(?!</tr>).)*</tr>', html, re.S
    )
    assert row, html
    link = re.search(r'<a class="ask" href="([^"]+)"', row[0])
    assert link
    return row[1], link[1].replace("&amp;", "&")


def test_a_villager_asks_about_a_published_line_and_the_answer_shows_beside_it(
    village, statement, village_cadre
):
    page = f"/v/{village.code}/d/{statement.disclosure_id}/"
    row_id, link = line_link(Client().get(page).content.decode())
    assert link == f"/v/{village.code}/ask/?d={statement.disclosure_id}&line={row_id}"
    asking = english().get(link).content.decode()
    assert "2025-03-12 环境整治费 650.00" in asking and f'value="{row_id}"' in asking
    response = Client().post(
        ask_url(village),
        form(text="650元环境整治费给了谁？", d=str(statement.disclosure_id), line=row_id),
    )
    assert response.status_code == 200
    appeal = Appeal.objects.get()
    assert appeal.disclosure_id == statement.disclosure_id and appeal.line_key == row_id
    assert appeal.line_label == "2025-03-12 环境整治费 650.00"

    appeal_answer(
        actor=village_cadre,
        appeal=appeal,
        text="付给保洁公司，发票已公开。",
        public_question="650元环境整治费给了谁？",
    )
    html = english().get(page).content.decode()
    rows = html[html.index(f'id="{row_id}"') :].split("</tr>")
    answer_row = rows[1]  # the row after the line's
    assert 'class="answer"' in answer_row
    assert "A villager asked:" in answer_row and "650元环境整治费给了谁？" in answer_row
    assert "付给保洁公司，发票已公开。" in answer_row
    assert "/log/entries/" in answer_row


def test_a_line_that_is_not_published_is_not_asked_about(village, statement, tree):
    d = statement.disclosure_id
    row_id, _ = line_link(Client().get(f"/v/{village.code}/d/{d}/").content.decode())
    for url in (
        ask_url(village) + f"?d={d}&line=line-99-x-1",  # no such line
        ask_url(tree.village_a2) + f"?d={d}&line={row_id}",  # another village's list
        ask_url(village) + f"?d=abc&line={row_id}",
        ask_url(village) + f"?d=99999999999999999999&line={row_id}",
    ):
        response = english().get(url)
        assert response.status_code == 200 and 'id="asked-line"' not in response.content.decode()
    html = refused(village, d=str(d), line="line-99-x-1")
    assert "published lines any more" in html.replace("&#x27;", "'")
    assert not Appeal.objects.exists()


def test_the_item_page_costs_one_query_more_for_a_monthly_list_whatever_its_answers(
    village, statement, village_cadre, django_assert_num_queries
):
    page = f"/v/{village.code}/d/{statement.disclosure_id}/"
    row_id, _ = line_link(Client().get(page).content.decode())
    for n in range(3):
        appeal = appeal_submit(
            village=village,
            kind="question",
            text=f"第{n}个问题",
            disclosure_id=statement.disclosure_id,
            line_key=row_id,
            line_label="2025-03-12 环境整治费 650.00",
        ).appeal
        appeal_answer(actor=village_cadre, appeal=appeal, text=f"第{n}个回答")
        # village, disclosure, its versions, its log entry, the answers of its lines
        with django_assert_num_queries(5):
            assert Client().get(page).status_code == 200


def test_the_village_page_leads_to_the_mailbox(village):
    html = english().get(f"/v/{village.code}/").content.decode()
    assert 'id="mailbox"' in html
    assert f'href="/v/{village.code}/ask/"' in html and 'href="/mailbox/track/"' in html


# --- following a case ---------------------------------------------------------------------


def sent(village: Any, **fields: Any) -> tuple[Appeal, str, str]:
    done = appeal_submit(
        village=village, **{"kind": "question", "text": "路灯坏了很久了", **fields}
    )
    return done.appeal, done.receipt, done.secret


def test_a_wrong_pair_gets_one_answer_for_every_mistake(village):
    appeal, receipt, secret = sent(village)
    client = english()
    wrong = str((int(secret[-1]) + 1) % 10)
    for pair in ((receipt, secret[:-1] + wrong), ("000000000000", secret), ("12", "34")):
        response = track(client, *pair)
        assert response.status_code == 200
        assert "There is no case with this receipt and secret." in response.content.decode()
    assert client.get(f"/mailbox/cases/{appeal.pk}/")["Location"] == "/mailbox/track/"


def test_the_case_page_shows_the_public_story_and_never_the_internal_one(
    village, township_commission, village_cadre
):
    commission_keys(village.parent)
    appeal, receipt, secret = sent(village, name="李四", phone="13800001111")
    appeal_reassign(
        actor=township_commission,
        appeal=appeal,
        body="commission",
        region=village.parent,
        reason="内部理由不给村民看",
    )
    handler_write(actor=township_commission, appeal=appeal, text="请补充路灯的位置")
    Appeal.objects.filter(pk=appeal.pk).update(due_estimated=True)
    client = english()
    spaced = " ".join(secret[i : i + 4] for i in range(0, 20, 4))
    followed = track(client, receipt.replace("", " ").strip(), spaced)
    assert followed["Location"] == f"/mailbox/cases/{appeal.pk}/"
    response = client.get(followed["Location"])
    html = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert appeal.receipt_display in html and "question" in html
    assert "received" in html and "青山镇 discipline commission" in html
    assert 'id="case-due"' in html and "estimated" in html
    assert "请补充路灯的位置" in html and "青山镇 discipline commission wrote" in html
    assert "内部理由不给村民看" not in html and "reassigned" not in html
    assert "李四" not in html and "13800001111" not in html
    assert "only the discipline commission can read it" in html
    listed = client.get("/mailbox/track/").content.decode()
    assert f'href="/mailbox/cases/{appeal.pk}/"' in listed
    client.post("/mailbox/forget/")
    assert client.get(f"/mailbox/cases/{appeal.pk}/").status_code == 302


def test_the_villager_replies_rates_once_and_reopens_once(village, village_cadre):
    appeal, receipt, secret = sent(village)
    client = english()
    track(client, receipt, secret)
    case = f"/mailbox/cases/{appeal.pk}/"
    assert 'id="rate"' not in client.get(case).content.decode()  # nothing to rate yet
    refused_rating = client.post(case + "rate/", {"rating": "satisfied"})
    assert "once, after it is given" in refused_rating.content.decode()

    assert client.post(case + "write/", {"text": "灯在村口第二根电线杆"}).status_code == 302
    html = client.get(case).content.decode()
    assert "You wrote" in html and "灯在村口第二根电线杆" in html
    assert "Your message was sent." in html
    short = client.post(case + "write/", {"text": "短"}).content.decode()
    assert "at least a few words" in short and "短</textarea>" in short

    appeal_answer(actor=village_cadre, appeal=appeal, text="下周一修好。")
    html = client.get(case).content.decode()
    assert "Answer from 上塘 village committee" in html and "下周一修好。" in html
    assert 'id="rate"' in html and 'id="reopen"' in html
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # three forms on one page, no id twice
    assert client.post(case + "rate/", {"rating": "dissatisfied"}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.rating == "dissatisfied"
    again = client.post(case + "rate/", {"rating": "satisfied"})
    assert again.status_code == 200 and "once" in again.content.decode()
    appeal.refresh_from_db()
    assert appeal.rating == "dissatisfied"

    assert client.post(case + "reopen/", {"text": "灯还是不亮"}).status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == State.RECEIVED and appeal.body == Body.COMMISSION
    html = client.get(case).content.decode()
    assert "You reopened the case; it goes to 青山镇 discipline commission" in html
    assert 'id="reopen"' not in html
    appeal_close(actor=None, appeal=appeal, outcome="resolved", text="已经修好并核实。")
    html = client.get(case).content.decode()
    assert "Closed: resolved" in html and "已经修好并核实。" in html
    assert 'id="reopen"' not in html and 'id="write"' not in html
    refused_again = client.post(case + "reopen/", {"text": "还想再开"}).content.decode()
    assert "reopened once" in refused_again


def test_escalations_show_with_their_code(village):
    with time_machine.travel(datetime(2025, 3, 3, 10, tzinfo=SHANGHAI), tick=False):
        appeal, receipt, secret = sent(village)
    appeals_escalate(today=date(2025, 3, 25))
    appeals_escalate(today=date(2025, 4, 15))
    client = english()
    track(client, receipt, secret)
    html = client.get(f"/mailbox/cases/{appeal.pk}/").content.decode()
    assert "Overdue: passed up to 青山镇 discipline commission" in html
    assert "Very overdue: passed up again, to 清河县 discipline commission" in html
    assert html.index("Overdue: passed up") < html.index("Very overdue")


def test_a_case_opened_elsewhere_is_not_reachable_by_its_number(village):
    mine, receipt, secret = sent(village)
    theirs, *_ = sent(village, text="别人的问题内容")
    client = english()
    track(client, receipt, secret)
    assert client.get(f"/mailbox/cases/{mine.pk}/").status_code == 200
    for path in ("", "write/", "rate/", "reopen/"):
        method = client.get if not path else client.post
        response = method(f"/mailbox/cases/{theirs.pk}/{path}", {"text": "冒充别人"})
        assert response.status_code == 302 and response["Location"] == "/mailbox/track/"
    assert not theirs.events.filter(kind="villager_wrote").exists()


# --- rate limits --------------------------------------------------------------------------


def test_submissions_beyond_the_rate_are_refused_with_429_and_nothing_is_stored(village, settings):
    settings.APPEALS_SUBMIT_RATE = "3/h"
    client = english()
    for n in range(3):
        assert (
            "Receipt number"
            in client.post(
                ask_url(village), form(text=f"第{n}个问题的内容", submission_key=f"{KEY}-{n}")
            ).content.decode()
        )
    limited = client.post(
        ask_url(village), form(text="第四个问题的内容", submission_key=f"{KEY}-x")
    )
    html = limited.content.decode()
    assert limited.status_code == 429 and "Too many tries" in html
    assert "第四个问题的内容" in html  # what was typed is kept
    assert Appeal.objects.count() == 3
    assert client.get(ask_url(village)).status_code == 200  # reading the form is not limited
    other = Client(REMOTE_ADDR="10.1.2.3").post(
        ask_url(village), form(text="另一个地址的问题", submission_key=f"{KEY}-y")
    )
    assert other.status_code == 200 and Appeal.objects.count() == 4


def test_tracking_beyond_the_rate_is_refused_even_with_the_right_pair(village, settings):
    settings.APPEALS_TRACK_RATE = "2/m"
    appeal, receipt, secret = sent(village)
    client = english()
    assert track(client, receipt, "0" * 20).status_code == 200
    assert track(client, receipt, "1" * 20).status_code == 200
    limited = track(client, receipt, secret)
    assert limited.status_code == 429 and "Too many tries" in limited.content.decode()
    assert client.get(f"/mailbox/cases/{appeal.pk}/").status_code == 302


def test_messages_on_a_case_are_limited_like_submissions(village, settings):
    settings.APPEALS_SUBMIT_RATE = "1/h"
    appeal, receipt, secret = sent(village)
    client = english()
    track(client, receipt, secret)
    case = f"/mailbox/cases/{appeal.pk}/"
    assert client.post(case + "write/", {"text": "第一条补充说明"}).status_code == 302
    limited = client.post(case + "write/", {"text": "第二条补充说明"})
    assert limited.status_code == 429 and "第二条补充说明" in limited.content.decode()
    assert appeal.events.filter(kind="villager_wrote").count() == 1


def test_the_village_page_leads_to_the_mailbox_and_its_figures(client, tree):
    page = client.get(f"/v/{tree.village_a1.code}/").content.decode()
    for href in (
        f"/v/{tree.village_a1.code}/ask/",
        "/mailbox/track/",
        f"/v/{tree.village_a1.code}/mailbox/stats/",
    ):
        assert f'href="{href}"' in page
