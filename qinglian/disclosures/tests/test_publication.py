"""Drafts, the supervision committee's review, publication, corrections (issue 4, part 2)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import DatabaseError, transaction

from conftest import client_for
from qinglian.core.errors import DomainError
from qinglian.disclosures.models import Disclosure, DisclosureVersion, DraftState
from qinglian.disclosures.services import (
    disclosure_open,
    draft_attach,
    draft_publish,
    draft_review,
    draft_submit,
    draft_write,
    statement_submit,
)
from qinglian.finance.models import LedgerMonth
from qinglian.finance.services import ledger_month_close, ledger_month_reopen, voucher_record
from qinglian.finance.tests.ledger_helpers import cash_and_bank, payment, receipt
from qinglian.transparency.models import LogEntry
from qinglian.transparency.services import log_reverify

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40


def published(actor, reviewer, disclosure, **content) -> DisclosureVersion:
    draft = draft_write(actor=actor, disclosure=disclosure, **content)
    draft_submit(actor=actor, draft=draft)
    draft_review(actor=reviewer, draft=draft, approve=True)
    return draft_publish(actor=actor, draft=draft)


@pytest.fixture
def rules(tree):
    """VA02, the village's standing rules: one disclosure, updated by new versions."""
    return disclosure_open(village=tree.village_a1, item_code="VA02")


def test_text_goes_through_review_to_a_frozen_logged_version(
    tree, village_cadre, supervisor, rules
):
    draft = draft_write(actor=village_cadre, disclosure=rules, body="村务监督委员会工作制度……")
    draft_attach(actor=village_cadre, draft=draft, file_name="制度.png", content=PNG)
    draft_submit(actor=village_cadre, draft=draft)
    draft_review(actor=supervisor, draft=draft, approve=True)
    version = draft_publish(actor=village_cadre, draft=draft)

    assert version.number == 1 and version.kind == "text"
    assert version.content["body"] == "村务监督委员会工作制度……"
    assert version.content["attachments"][0]["name"] == "制度.png"
    entry = LogEntry.objects.get(index=version.log_index)
    assert (entry.record_type, entry.record_id) == ("disclosure", "339901100201/VA02/standing/v1")
    rules.refresh_from_db()
    assert rules.is_published and rules.first_published_at == version.published_at
    assert log_reverify() == []  # the logged record rebuilds from the stored version


@pytest.mark.parametrize("stop", ["draft", "submitted", "returned"])
def test_nothing_is_published_unsigned(tree, village_cadre, supervisor, rules, stop):
    draft = draft_write(actor=village_cadre, disclosure=rules, body="制度")
    if stop != "draft":
        draft_submit(actor=village_cadre, draft=draft)
    if stop == "returned":
        draft_review(actor=supervisor, draft=draft, approve=False, comment="缺少印章管理制度")
    with pytest.raises(DomainError):
        draft_publish(actor=village_cadre, draft=draft)
    assert not DisclosureVersion.objects.exists() and not LogEntry.objects.exists()


def test_review_rules(tree, village_cadre, supervisor, rules, english):
    draft = draft_write(actor=village_cadre, disclosure=rules, body="制度")
    with pytest.raises(DomainError, match="awaiting review"):
        draft_review(actor=supervisor, draft=draft, approve=True)
    draft_submit(actor=village_cadre, draft=draft)
    with pytest.raises(DomainError, match="prepared"):
        draft_review(actor=village_cadre, draft=draft, approve=True)
    with pytest.raises(DomainError) as silent:
        draft_review(actor=supervisor, draft=draft, approve=False)
    assert silent.value.field == "comment"

    draft_review(actor=supervisor, draft=draft, approve=False, comment="缺少印章管理制度")
    draft.refresh_from_db()
    assert draft.state == DraftState.RETURNED and draft.review_comment == "缺少印章管理制度"
    draft = draft_write(actor=village_cadre, disclosure=rules, body="制度；印章管理制度")
    assert draft.state == DraftState.DRAFT  # the same draft, written again
    draft_submit(actor=village_cadre, draft=draft)
    with pytest.raises(DomainError, match="no longer be changed"):
        draft_write(actor=village_cadre, disclosure=rules, body="偷偷改")
    draft_review(actor=supervisor, draft=draft, approve=True)
    assert draft_publish(actor=village_cadre, draft=draft).content["body"] == "制度；印章管理制度"


def test_a_published_version_cannot_be_edited(tree, village_cadre, supervisor, rules, english):
    version = published(village_cadre, supervisor, rules, body="第一版")
    version.content = {"body": "改过的"}
    with pytest.raises(DatabaseError), transaction.atomic():
        version.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        DisclosureVersion.objects.filter(pk=version.pk).update(change_reason="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        DisclosureVersion.objects.filter(pk=version.pk).delete()
    with pytest.raises(DomainError, match="only be added while"):
        draft_attach(actor=village_cadre, draft=version.draft, file_name="x.png", content=PNG)
    with pytest.raises(DomainError) as no_reason:
        draft_write(actor=village_cadre, disclosure=rules, body="第二版")
    assert no_reason.value.field == "change_reason"
    version.refresh_from_db()
    assert version.content["body"] == "第一版"


def test_a_correction_is_a_new_version_and_the_old_one_stays(
    tree, village_cadre, supervisor, rules
):
    first = published(village_cadre, supervisor, rules, body="财务审批限额 3000 元")
    second = published(
        village_cadre,
        supervisor,
        rules,
        body="财务审批限额 2000 元",
        change_reason="限额抄错，以镇政府文件为准",
    )
    assert (first.number, second.number) == (1, 2)
    assert second.content["change_reason"] == "限额抄错，以镇政府文件为准"
    assert list(rules.versions.values_list("content__body", flat=True)) == [
        "财务审批限额 3000 元",
        "财务审批限额 2000 元",
    ]
    rules.refresh_from_db()
    assert rules.versions_published == 2 and rules.first_published_at == first.published_at
    assert LogEntry.objects.count() == 2 and log_reverify() == []


def test_lists_are_masked_before_anyone_reviews_them(tree, village_cadre):
    allowance = disclosure_open(village=tree.village_a1, item_code="VA15", period_key="2025-Q1")
    draft = draft_write(
        actor=village_cadre,
        disclosure=allowance,
        columns=["姓名", "身份证号", "联系电话", "金额"],
        rows=[
            ["张三", "330102199001011234", "13812345678", "680"],
            ["欧阳小明", "33010219900101123X", "", "680"],
        ],
    )
    assert draft.kind == "table"
    assert draft.table["rows"] == [
        ["张*", "3301**********1234", "138****5678", "680"],
        ["欧**明", "3301**********123X", "", "680"],
    ]


def test_list_shape_errors_name_the_row(tree, village_cadre, english):
    allowance = disclosure_open(village=tree.village_a1, item_code="VA15", period_key="2025-Q1")
    with pytest.raises(DomainError, match="Row 2 has 1 values"):
        draft_write(
            actor=village_cadre,
            disclosure=allowance,
            columns=["姓名", "金额"],
            rows=[["张三", "680"], ["李四"]],
        )
    assert not allowance.drafts.exists()


def test_periods_and_events(tree, english):
    march = disclosure_open(village=tree.village_a1, item_code="FA01", period_key="2025-03")
    assert (march.period_start, march.period_end, march.due_on) == (
        date(2025, 3, 1),
        date(2025, 3, 31),
        date(2025, 4, 10),
    )
    again = disclosure_open(village=tree.village_a1, item_code="FA01", period_key="2025-03")
    assert again.pk == march.pk
    with pytest.raises(DomainError, match="not a period of this item"):
        disclosure_open(village=tree.village_a1, item_code="FA01", period_key="2025-Q1")
    with pytest.raises(DomainError, match="not in the village's disclosure catalog"):
        disclosure_open(village=tree.village_a1, item_code="ZZ99", period_key="2025")
    with pytest.raises(DomainError, match="Only a village"):
        disclosure_open(village=tree.town_a, item_code="FA01", period_key="2025-03")
    with time_machine.travel(date(2025, 6, 1)):
        first = disclosure_open(
            village=tree.village_a1, item_code="VA08", event_on=date(2025, 5, 20), title="道路硬化"
        )
        second = disclosure_open(
            village=tree.village_a1, item_code="VA08", event_on=date(2025, 5, 20)
        )
        with pytest.raises(DomainError, match="future"):
            disclosure_open(village=tree.village_a1, item_code="VA08", event_on=date(2025, 6, 2))
    assert (first.period_key, second.period_key) == ("E2025-05-20-1", "E2025-05-20-2")
    assert first.due_on == date(2025, 5, 23) and first.title == "道路硬化"


# --- the monthly financial list ---------------------------------------------------------


@pytest.fixture
def closed_march(tree, village_cadre) -> LedgerMonth:
    cash, bank = cash_and_bank(tree.village_a1, cash="500", bank="10000")
    voucher = voucher_record(
        actor=village_cadre,
        village=tree.village_a1,
        draft=receipt(bank, "3000", on=date(2025, 3, 5)),
    )
    voucher_record(
        actor=village_cadre,
        village=tree.village_a1,
        draft=payment(cash, "120", on=date(2025, 3, 9)),
    )
    return ledger_month_close(actor=village_cadre, ledger_month=voucher.ledger_month)


def test_the_monthly_list_is_published_only_after_review(
    tree, village_cadre, supervisor, closed_march
):
    draft = statement_submit(actor=village_cadre, ledger_month=closed_march)
    assert draft.state == DraftState.SUBMITTED and draft.kind == "statement"
    with pytest.raises(DomainError):
        draft_publish(actor=village_cadre, draft=draft)
    draft_review(actor=supervisor, draft=draft, approve=True)
    version = draft_publish(actor=village_cadre, draft=draft)

    closed_march.refresh_from_db()
    assert closed_march.published_revision == closed_march.revision
    entry = LogEntry.objects.get(index=version.log_index)
    assert entry.record_type == "monthly_statement"
    assert version.content["income_total"] == "3000.00"
    assert version.content["expense"][0]["lines"][0]["amount"] == "120.00"
    march = Disclosure.objects.get(item_code="FA01", period_key="2025-03")
    assert march.due_on == date(2025, 4, 10) and march.is_published
    assert log_reverify() == []


def test_books_changed_after_review_are_not_published(
    tree, village_cadre, supervisor, closed_march, english
):
    draft = statement_submit(actor=village_cadre, ledger_month=closed_march)
    draft_review(actor=supervisor, draft=draft, approve=True)
    ledger_month_reopen(actor=village_cadre, ledger_month=closed_march, reason="漏记一笔")
    ledger_month_close(actor=village_cadre, ledger_month=closed_march)
    with pytest.raises(DomainError, match="changed after the review"):
        draft_publish(actor=village_cadre, draft=draft)
    assert not DisclosureVersion.objects.exists()


def test_a_corrected_month_is_a_new_version_with_the_public_reason(
    tree, village_cadre, supervisor, closed_march
):
    draft = statement_submit(actor=village_cadre, ledger_month=closed_march)
    draft_review(actor=supervisor, draft=draft, approve=True)
    first = draft_publish(actor=village_cadre, draft=draft)
    ledger_month_reopen(actor=village_cadre, ledger_month=closed_march, reason="漏记一笔租金")
    cash = closed_march.village.fund_accounts.get(kind="cash")
    voucher_record(
        actor=village_cadre,
        village=tree.village_a1,
        draft=receipt(cash, "200", on=date(2025, 3, 20)),
        reason="补记3月20日租金",
    )
    ledger_month_close(actor=village_cadre, ledger_month=closed_march)
    again = statement_submit(actor=village_cadre, ledger_month=closed_march)
    assert again.change_reason == "漏记一笔租金; 补记3月20日租金"
    draft_review(actor=supervisor, draft=again, approve=True)
    second = draft_publish(actor=village_cadre, draft=again)
    assert (first.number, second.number) == (1, 2)
    assert first.content["income_total"] == "3000.00"
    assert second.content["income_total"] == "3200.00"
    assert second.change_reason == again.change_reason


def test_the_admin_shows_a_published_version_but_refuses_to_change_it(
    tree, village_cadre, supervisor, rules, admin_operator
):
    version = published(village_cadre, supervisor, rules, body="第一版")
    client = client_for(admin_operator)
    url = f"/admin/disclosures/disclosureversion/{version.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "第一版" in page.content.decode()
    assert 'name="content"' not in page.content.decode()  # shown, not editable
    assert client.post(url, {"content": '{"body": "改过的"}', "number": 1}).status_code == 403
    assert client.post(url.replace("change", "delete"), {"post": "yes"}).status_code == 403
    parent = f"/admin/disclosures/disclosure/{rules.pk}/change/"
    assert client.post(parent, {"title": "改过的标题"}).status_code == 403
    version.refresh_from_db()
    rules.refresh_from_db()
    assert version.content["body"] == "第一版" and rules.title != "改过的标题"
