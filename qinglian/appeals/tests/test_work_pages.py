"""The staff pages of the mailbox: the queue, a case and each of its forms, the keys."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import client_for, make_user
from qinglian.accounts.models import Role
from qinglian.appeals.models import (
    Appeal,
    AppealAttachment,
    AppealEvent,
    AppealNotice,
    Body,
    NoticeKind,
    PublishedAnswer,
    SealedIdentity,
    SealingKey,
    State,
)
from qinglian.appeals.services import (
    Upload,
    appeal_answer,
    appeal_close,
    appeal_submit,
)
from qinglian.appeals.tests.helpers import PASSPHRASE, commission_keys, in_office
from qinglian.core.models import AuditEvent

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def english(user: Any) -> Client:
    """A logged-in client that reads the pages in English (the default is Chinese)."""
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def receipts_in(html: str) -> list[str]:
    """Receipts in the order the queue's table lists them."""
    table = html[html.index('id="cases"') :]
    return [
        r.replace(" ", "") for r in re.findall(r'/work/appeals/\d+/">(\d{4} \d{4} \d{4})<', table)
    ]


def question(village: Any, text: str = "村口路灯什么时候修好？", **extra: Any) -> Appeal:
    return appeal_submit(village=village, kind="question", text=text, **extra).appeal


@pytest.fixture
def report_naming_cadre(tree, village_cadre) -> Appeal:
    """A real-name report naming A1's cadre, sealed to the township's and county's keys."""
    commission_keys(tree.town_a, tree.county)
    cadre = in_office(village_cadre.person, tree.village_a1)
    return appeal_submit(
        village=tree.village_a1,
        kind="report",
        text="村书记收受工程老板好处",
        subject_ids=[cadre.pk],
        name="李四",
        phone="13800001111",
    ).appeal


@pytest.fixture
def published_line(tree) -> Any:
    """A published item of village A1 that villagers can ask about."""
    from qinglian.disclosures.services import (
        disclosure_open,
        draft_publish,
        draft_review,
        draft_submit,
        draft_write,
    )

    disclosure = disclosure_open(village=tree.village_a1, item_code="VA02")
    draft = draft_write(actor=None, disclosure=disclosure, body="村规民约")
    draft_submit(actor=None, draft=draft)
    draft_review(actor=None, draft=draft, approve=True)
    draft_publish(actor=None, draft=draft)
    return disclosure


# --- the queue ------------------------------------------------------------------------------


def test_the_queue_lists_overdue_first_then_soonest_due_then_answered_and_closed(
    tree, township_commission, village_cadre
):
    today = timezone.localdate()
    cases = {name: question(tree.village_a1, f"第{name}个问题内容") for name in "abcdef"}

    def due(name: str, days: int, **fields: Any) -> None:
        Appeal.objects.filter(pk=cases[name].pk).update(
            due_on=today + timedelta(days=days), **fields
        )

    due("a", 9, due_estimated=True)
    due("b", -3)
    due("c", 2)
    due("d", -10)
    appeal_answer(actor=village_cadre, appeal=cases["e"], text="已经答复了")
    appeal_close(actor=village_cadre, appeal=cases["f"], outcome="resolved", text="已经办结了")

    response = english(township_commission).get("/work/appeals/")
    html = response.content.decode()
    order = [cases[name].receipt for name in "dbca"]
    listed = receipts_in(html)
    assert listed[:4] == order
    assert set(listed[4:]) == {cases["e"].receipt, cases["f"].receipt}
    overdue_cell = re.search(r'<span class="late">([^<]*)</span>', html)
    assert overdue_cell and "overdue" in overdue_cell.group(1)
    assert (today - timedelta(days=10)).isoformat() in overdue_cell.group(1)
    assert html.count('<span class="late">') == 2
    assert "estimated</abbr>" in html


def test_the_queue_filters_by_state_kind_village_and_overdue_as_a_plain_form(
    tree, township_commission, village_cadre
):
    in_a1, in_a2 = question(tree.village_a1), question(tree.village_a2, "下塘村的问题")
    report = appeal_submit(village=tree.village_a1, kind="report", text="举报的内容").appeal
    answered = question(tree.village_a1, "已答复的问题")
    appeal_answer(actor=village_cadre, appeal=answered, text="答复内容")
    Appeal.objects.filter(pk=in_a2.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    client = client_for(township_commission)

    def listed(**query: str) -> set[str]:
        response = client.get("/work/appeals/", query)
        assert response.status_code == 200 and "<html" in response.content.decode()
        return set(receipts_in(response.content.decode()))

    everyone = {c.receipt for c in (in_a1, in_a2, report, answered)}
    assert listed() == everyone
    assert listed(state="open") == everyone - {answered.receipt}
    assert listed(state="answered") == {answered.receipt}
    assert listed(kind="report") == {report.receipt}
    assert listed(village=tree.village_a2.code) == {in_a2.receipt}
    assert listed(overdue="on") == {in_a2.receipt}
    # A village outside the user's reach is not a choice: the filter is ignored.
    assert listed(village=tree.village_b1.code) == everyone


def test_with_htmx_the_queue_sends_only_its_table(tree, village_cadre):
    case = question(tree.village_a1)
    response = client_for(village_cadre).get(
        "/work/appeals/", {"state": "open"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="queue-filters"' not in html
    assert receipts_in(html) == [case.receipt]
    assert "HX-Request" in response["Vary"]
    full = client_for(village_cadre).get("/work/appeals/", {"state": "open"})
    assert 'hx-target="#queue-table"' in full.content.decode()
    # Going back to a page htmx no longer holds asks for the whole page again.
    restored = client_for(village_cadre).get(
        "/work/appeals/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert 'id="queue-filters"' in restored.content.decode()


@pytest.mark.parametrize("count", [2, 15])
def test_the_queue_costs_the_same_queries_however_many_cases(
    tree, township_commission, count, django_assert_num_queries
):
    for n in range(count):
        case = question(tree.village_a1 if n % 2 else tree.village_a2, f"第{n}个问题内容")
        AppealNotice.objects.create(
            appeal=case,
            region=tree.village_a1,
            body=Body.VILLAGE,
            kind=NoticeKind.REMINDER,
            due_on=case.due_on,
            created_at=timezone.now(),
        )
    client = client_for(township_commission)
    # session, user, role assignments, villages to filter by, count, page, notices
    with django_assert_num_queries(7):
        response = client.get("/work/appeals/")
    assert len(receipts_in(response.content.decode())) == count


def test_notices_show_only_cases_the_user_may_see(
    tree, village_cadre, cadre_relative, report_naming_cadre
):
    mine = question(tree.village_a1, "路灯坏了谁来修")
    moved_on = question(tree.village_a1, "已经交给镇里的问题")
    for case, region, body in (
        (mine, tree.village_a1, Body.VILLAGE),
        (moved_on, tree.village_a1, Body.VILLAGE),
        (report_naming_cadre, tree.town_a, Body.COMMISSION),
    ):
        AppealNotice.objects.create(
            appeal=case,
            region=region,
            body=body,
            kind=NoticeKind.REMINDER,
            due_on=case.due_on,
            created_at=timezone.now(),
        )
    Appeal.objects.filter(pk=moved_on.pk).update(body=Body.COMMISSION, assigned_region=tree.town_a)

    def noticed(user: Any) -> set[str]:
        html = client_for(user).get("/work/appeals/").content.decode()
        if 'id="notices"' not in html:
            return set()
        section = html[html.index('id="notices"') : html.index('id="queue-filters"')]
        return {r.replace(" ", "") for r in re.findall(r">(\d{4} \d{4} \d{4})<", section)}

    assert noticed(village_cadre) == {mine.receipt}
    relative = make_user("relative", Role.TOWN_DISCIPLINE, tree.town_a, person=cadre_relative)
    # The cadre's brother on the commission sees the village's notices, not the report's.
    assert noticed(relative) == {mine.receipt, moved_on.receipt}
    officer = make_user("officer", Role.TOWN_DISCIPLINE, tree.town_a)
    assert noticed(officer) == {mine.receipt, moved_on.receipt, report_naming_cadre.receipt}


def test_the_queue_shows_fifty_cases_a_page_and_its_pages_keep_the_filters(tree, village_cadre):
    for n in range(51):
        question(tree.village_a1, f"第{n}个问题内容")
    client = client_for(village_cadre)
    first = client.get("/work/appeals/", {"state": "open"}).content.decode()
    assert len(receipts_in(first)) == 50
    assert 'href="?state=open&amp;page=2"' in first
    second = client.get("/work/appeals/", {"state": "open", "page": "2"}).content.decode()
    assert len(receipts_in(second)) == 1


def test_the_workbench_links_to_the_queue_for_those_who_handle_cases(
    tree, village_cadre, township_commission, admin_operator
):
    assert "/work/appeals/" in client_for(village_cadre).get("/work/").content.decode()
    assert "/work/appeals/" not in client_for(admin_operator).get("/work/").content.decode()
    # Each region held leads to its mailbox figures.
    home = client_for(township_commission).get("/work/").content.decode()
    assert f'href="/work/appeals/stats/{tree.town_a.code}/"' in home
    # The keys are the commission's: only its officers are shown the way to them.
    assert (
        "/work/appeals/keys/"
        not in client_for(village_cadre).get("/work/appeals/").content.decode()
    )
    assert (
        "/work/appeals/keys/"
        in client_for(township_commission).get("/work/appeals/").content.decode()
    )


# --- the case page --------------------------------------------------------------------------


def test_the_case_page_shows_the_case_its_files_and_every_event_never_the_name(
    tree, township_commission, report_naming_cadre
):
    commission = english(township_commission)
    commission.post(
        f"/work/appeals/{report_naming_cadre.pk}/reassign/",
        {"to": f"commission:{tree.town_a.code}", "reason": "内部记录的理由"},
    )
    AppealAttachment.objects.create(
        appeal=report_naming_cadre,
        file="appeals/x.png",
        content_type="image/png",
        sha256="0",
        size=9,
    )
    html = commission.get(f"/work/appeals/{report_naming_cadre.pk}/").content.decode()
    assert "村书记收受工程老板好处" in html and "王建国" in html  # text, cadre concerned
    assert "report of misconduct" in html and "village page (QR code)" in html
    assert "Yes: the name and phone are sealed" in html
    assert "李四" not in html and "13800001111" not in html
    events = html[html.index('id="case-events"') :]
    assert "内部记录的理由" in events and "internal" in events and "township" in events
    assert f"/work/appeals/attachments/{report_naming_cadre.attachments.get().pk}/" in html


def test_the_case_page_of_a_village_question_is_for_the_village_and_those_above_it(
    tree, village_cadre, other_village_cadre, supervisor, township_commission, county_officer,
    outsider, admin_operator,
):  # fmt: skip
    case = question(tree.village_a1)
    for user, status in (
        (village_cadre, 200),
        (supervisor, 200),
        (township_commission, 200),
        (county_officer, 200),
        (other_village_cadre, 404),
        (outsider, 404),
        (admin_operator, 404),
    ):
        assert client_for(user).get(f"/work/appeals/{case.pk}/").status_code == status


def test_a_relative_of_the_cadre_named_never_opens_the_case_whatever_their_role(
    tree, cadre_relative, report_naming_cadre
):
    relative = make_user("relative", Role.TOWN_DISCIPLINE, tree.town_a, person=cadre_relative)
    client = client_for(relative)
    assert client.get(f"/work/appeals/{report_naming_cadre.pk}/").status_code == 404
    reveal = client.post(
        f"/work/appeals/{report_naming_cadre.pk}/reveal/",
        {"passphrase": PASSPHRASE, "reason": "想看看是谁"},
    )
    assert reveal.status_code == 404
    assert not AppealEvent.objects.filter(kind="identity_revealed").exists()


def test_an_attachment_is_served_to_those_who_see_the_case(
    tree, village_cadre, other_village_cadre, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    case = question(tree.village_a1, uploads=[Upload("photo.png", PNG)])
    url = f"/work/appeals/attachments/{case.attachments.get().pk}/"
    response = client_for(village_cadre).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
    assert client_for(other_village_cadre).get(url).status_code == 404


# --- the forms ------------------------------------------------------------------------------


def test_the_commission_accepts_a_report_and_a_village_question_is_answered_instead(
    tree, township_commission, village_cadre, report_naming_cadre
):
    client = english(township_commission)
    response = client.post(f"/work/appeals/{report_naming_cadre.pk}/accept/", {"text": "已受理"})
    assert response["Location"] == f"/work/appeals/{report_naming_cadre.pk}/"
    report_naming_cadre.refresh_from_db()
    assert report_naming_cadre.state == State.ACCEPTED
    assert "Accepted for handling" in client.get(response["Location"]).content.decode()

    case = question(tree.village_a1)
    cadre = english(village_cadre)
    assert "/accept/" not in cadre.get(f"/work/appeals/{case.pk}/").content.decode()
    refused = cadre.post(f"/work/appeals/{case.pk}/accept/", {"text": ""})
    assert refused.status_code == 200
    assert "Only reports and cases with a discipline commission" in refused.content.decode()
    case.refresh_from_db()
    assert case.state == State.RECEIVED


def test_an_answer_about_a_published_line_is_published_with_the_question_as_edited(
    tree, village_cadre, published_line
):
    case = question(
        tree.village_a1,
        "我是李四，这6500元是什么钱？",
        disclosure_id=published_line.pk,
        line_key="row-3",
        line_label="环境整治费 6500元",
    )
    client = english(village_cadre)
    page = client.get(f"/work/appeals/{case.pk}/").content.decode()
    assert "The answer will be public" in page
    assert 'name="public_question"' in page and "我是李四，这6500元是什么钱？</textarea>" in page
    assert f"/v/{tree.village_a1.code}/d/{published_line.pk}/" in page and "环境整治费" in page
    response = client.post(
        f"/work/appeals/{case.pk}/answer/",
        {"text": "是三个月的垃圾清运费", "public_question": "这6500元是什么钱？"},
    )
    assert response.status_code == 302
    published = PublishedAnswer.objects.get(appeal=case)
    assert (published.question, published.answer) == ("这6500元是什么钱？", "是三个月的垃圾清运费")


def test_an_answer_too_short_is_refused_on_its_field_and_the_committee_may_not_answer(
    tree, village_cadre, supervisor
):
    case = question(tree.village_a1)
    response = english(village_cadre).post(f"/work/appeals/{case.pk}/answer/", {"text": "好"})
    html = response.content.decode()
    assert response.status_code == 200 and "Please write at least a few words." in html
    assert 'name="public_question"' not in html  # not about a published line
    assert (
        client_for(supervisor)
        .post(f"/work/appeals/{case.pk}/answer/", {"text": "委员会来回答"})
        .status_code
        == 403
    )
    case.refresh_from_db()
    assert case.state == State.RECEIVED and not case.events.filter(kind="answered").exists()


def test_the_handler_writes_to_the_villager_until_the_case_is_closed(tree, village_cadre):
    case = question(tree.village_a1)
    client = english(village_cadre)
    response = client.post(f"/work/appeals/{case.pk}/write/", {"text": "请问是哪一盏路灯？"})
    assert response.status_code == 302
    event = case.events.get(kind="handler_wrote")
    assert event.public and event.actor == village_cadre and event.text == "请问是哪一盏路灯？"
    appeal_close(actor=village_cadre, appeal=case, outcome="resolved", text="路灯已经修好")
    refused = client.post(f"/work/appeals/{case.pk}/write/", {"text": "还有一件事"})
    assert refused.status_code == 200 and "This case is closed." in refused.content.decode()
    assert case.events.filter(kind="handler_wrote").count() == 1


def test_closing_takes_an_outcome_and_an_explanation(tree, village_cadre):
    case = question(tree.village_a1)
    client = english(village_cadre)
    refused = client.post(f"/work/appeals/{case.pk}/close/", {"outcome": "resolved", "text": "好"})
    assert "Please write at least a few words." in refused.content.decode()
    unknown = client.post(
        f"/work/appeals/{case.pk}/close/", {"outcome": "gone", "text": "已办结了"}
    )
    assert unknown.status_code == 200 and 'id="close-form"' in unknown.content.decode()
    case.refresh_from_db()
    assert case.state == State.RECEIVED
    response = client.post(
        f"/work/appeals/{case.pk}/close/", {"outcome": "out_of_scope", "text": "不属于村务范围"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.outcome) == (State.CLOSED, "out_of_scope")


def test_the_commission_takes_a_village_question_and_a_report_stays_with_it(
    tree, township_commission, village_cadre, report_naming_cadre
):
    case = question(tree.village_a1)
    commission = english(township_commission)
    page = commission.get(f"/work/appeals/{case.pk}/").content.decode()
    assert f"commission:{tree.town_a.code}" in page
    assert f"commission:{tree.county.code}" not in page  # the county is not in their reach
    assert (
        english(village_cadre)
        .post(f"/work/appeals/{case.pk}/reassign/", {"to": "village", "reason": "还给村里"})
        .status_code
        == 403
    )
    response = commission.post(
        f"/work/appeals/{case.pk}/reassign/",
        {"to": f"commission:{tree.town_a.code}", "reason": "涉及村干部作风"},
    )
    assert response["Location"] == f"/work/appeals/{case.pk}/"
    case.refresh_from_db()
    assert (case.body, case.assigned_region) == (Body.COMMISSION, tree.town_a)
    event = case.events.get(kind="reassigned")
    assert not event.public and event.text == "涉及村干部作风"
    assert client_for(village_cadre).get(f"/work/appeals/{case.pk}/").status_code == 404

    refused = commission.post(
        f"/work/appeals/{report_naming_cadre.pk}/reassign/",
        {"to": "village", "reason": "让村里自己处理"},
    )
    assert refused.status_code == 200
    assert "stays with a discipline commission" in refused.content.decode()
    report_naming_cadre.refresh_from_db()
    assert report_naming_cadre.body == Body.COMMISSION


def test_handing_a_case_up_beyond_ones_reach_goes_back_to_the_queue(
    tree, township_commission, county_officer
):
    case = question(tree.village_a1)
    county = client_for(county_officer)
    county.post(
        f"/work/appeals/{case.pk}/reassign/",
        {"to": f"commission:{tree.county.code}", "reason": "县纪委直接办理"},
    )
    case.refresh_from_db()
    assert case.assigned_region == tree.county
    assert client_for(township_commission).get(f"/work/appeals/{case.pk}/").status_code == 404
    assert county.get(f"/work/appeals/{case.pk}/").status_code == 200


def test_a_case_is_transferred_with_a_reason(tree, township_commission, report_naming_cadre):
    client = english(township_commission)
    url = f"/work/appeals/{report_naming_cadre.pk}/transfer/"
    refused = client.post(url, {"to": "县自然资源局", "reason": ""})
    assert refused.status_code == 200 and 'id="transfer-form"' in refused.content.decode()
    assert client.post(url, {"to": "县自然资源局", "reason": "属于土地执法"}).status_code == 302
    report_naming_cadre.refresh_from_db()
    assert report_naming_cadre.state == State.TRANSFERRED
    assert report_naming_cadre.transferred_to == "县自然资源局"


# --- reading a reporter's name --------------------------------------------------------------


def test_a_wrong_passphrase_is_refused_and_the_right_one_shows_the_name_once(
    tree, township_commission, report_naming_cadre
):
    client = english(township_commission)
    url = f"/work/appeals/{report_naming_cadre.pk}/reveal/"
    wrong = client.post(url, {"passphrase": "not the passphrase", "reason": "核实线索需要"})
    html = wrong.content.decode()
    assert wrong.status_code == 200
    assert "The passphrase does not open this case&#x27;s sealed identity." in html
    assert "李四" not in html and "no-store" in wrong["Cache-Control"]
    assert not AppealEvent.objects.filter(kind="identity_revealed").exists()

    right = client.post(url, {"passphrase": PASSPHRASE, "reason": "核实线索需要"})
    html = right.content.decode()
    assert right.status_code == 200 and "李四" in html and "13800001111" in html
    assert "no-store" in right["Cache-Control"]
    event = AppealEvent.objects.get(kind="identity_revealed")
    assert (event.actor, event.text, event.public) == (township_commission, "核实线索需要", False)
    assert AuditEvent.objects.filter(verb="appeals.identity_revealed").count() == 1
    # Nothing keeps the name: the case page does not show it afterwards.
    assert "李四" not in client.get(f"/work/appeals/{report_naming_cadre.pk}/").content.decode()


def test_a_village_cadre_posting_a_reveal_gets_404_and_the_committee_403(
    tree, village_cadre, supervisor, report_naming_cadre
):
    body = {"passphrase": PASSPHRASE, "reason": "想知道是谁"}
    url = f"/work/appeals/{report_naming_cadre.pk}/reveal/"
    assert client_for(village_cadre).post(url, body).status_code == 404
    named = question(tree.village_a1, "村里的路灯问题", name="张三", phone="13900002222")
    assert SealedIdentity.objects.filter(appeal=named).count() == 2
    # The committee sees the village's question, but reading names is the commission's.
    assert client_for(supervisor).post(f"/work/appeals/{named.pk}/reveal/", body).status_code == 403
    assert (
        "/reveal/" not in client_for(supervisor).get(f"/work/appeals/{named.pk}/").content.decode()
    )
    assert not AppealEvent.objects.filter(kind="identity_revealed").exists()


# --- the commission's keys ------------------------------------------------------------------


def test_a_commission_makes_its_key_and_a_new_key_retires_the_old_one(
    tree, township_commission, village_cadre
):
    client = english(township_commission)
    page = client.get("/work/appeals/keys/")
    assert "No key yet" in page.content.decode() and "no-store" in page["Cache-Control"]
    assert "stored nowhere" in page.content.decode()
    mismatch = client.post(
        "/work/appeals/keys/new/",
        {"region": tree.town_a.code, "passphrase": PASSPHRASE, "passphrase_again": "другое"},
    )
    assert "The two passphrases differ." in mismatch.content.decode()
    short = client.post(
        "/work/appeals/keys/new/",
        {"region": tree.town_a.code, "passphrase": "short", "passphrase_again": "short"},
    )
    assert short.status_code == 200 and not SealingKey.objects.exists()
    for _ in range(2):
        response = client.post(
            "/work/appeals/keys/new/",
            {"region": tree.town_a.code, "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE},
            follow=True,
        )
        assert response.redirect_chain == [("/work/appeals/keys/", 302)]
        assert "is in use: fingerprint" in response.content.decode()
    old, new = SealingKey.objects.order_by("pk")
    assert old.retired_at is not None and new.retired_at is None
    assert new.created_by == township_commission
    html = client.get("/work/appeals/keys/").content.decode()
    assert new.fingerprint in html and old.fingerprint not in html and PASSPHRASE not in html
    # A county's key is the county's own: the township's officer cannot make it.
    client.post(
        "/work/appeals/keys/new/",
        {"region": tree.county.code, "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE},
    )
    assert not SealingKey.objects.filter(region=tree.county).exists()
    assert client_for(village_cadre).get("/work/appeals/keys/").status_code == 404
