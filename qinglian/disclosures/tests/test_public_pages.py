"""The village page a villager opens from the QR code: what is published, late or missing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.test import Client

from qinglian.disclosures.models import VillagePage, VisitDay, VisitorSeen, VisitSalt
from qinglian.disclosures.services import (
    disclosure_open,
    draft_publish,
    draft_review,
    draft_submit,
    draft_write,
    statement_submit,
)
from qinglian.disclosures.tasks import visitor_keys_forget
from qinglian.disclosures.visits import visits_flush
from qinglian.finance.services import ledger_month_close, voucher_record
from qinglian.finance.tests.ledger_helpers import cash_and_bank, payment, receipt

CSS = Path(__file__).resolve().parents[2] / "core" / "static" / "core" / "site.css"


def publish(draft):
    if draft.state == "draft":
        draft_submit(actor=None, draft=draft)
    draft_review(actor=None, draft=draft, approve=True)
    return draft_publish(actor=None, draft=draft)


def month_of_books(village, month: date, *, publish_it: bool = True):
    _cash, bank = cash_and_bank(village, cash="300", bank="5000")
    voucher = voucher_record(
        actor=None,
        village=village,
        draft=receipt(bank, "3000", on=month.replace(day=5), summary="鱼塘承包费"),
    )
    voucher_record(
        actor=None,
        village=village,
        draft=payment(bank, "650", on=month.replace(day=12), summary="环境整治费"),
    )
    ledger_month_close(actor=None, ledger_month=voucher.ledger_month)
    if publish_it:
        return publish(statement_submit(actor=None, ledger_month=voucher.ledger_month))
    return None


@pytest.fixture
def village(tree):
    return tree.village_a1


def test_the_monthly_list_reads_line_by_line_in_chinese(village):
    with time_machine.travel(date(2025, 4, 8)):
        version = month_of_books(village, date(2025, 3, 1))
        page = Client().get(f"/v/{village.code}/").content.decode()
        assert "月度财务收支明细" in page and "2025年3月" in page
        detail = Client().get(f"/v/{village.code}/d/{version.disclosure_id}/").content.decode()
    assert "环境整治费" in detail and "650.00" in detail and "鱼塘承包费" in detail
    assert "收入" in detail and "支出" in detail and "元" in detail


def test_late_and_missing_items_are_shown_honestly(village):
    with time_machine.travel(date(2025, 4, 20)):  # March's list was due 10 April
        late = month_of_books(village, date(2025, 3, 1))
    with time_machine.travel(date(2025, 6, 15)):  # April's was due 10 May: never published
        page = Client().get(f"/v/{village.code}/").content.decode()
        detail = Client().get(f"/v/{village.code}/d/{late.disclosure_id}/").content.decode()
    assert 'id="overdue"' in page and "逾期未公开" in page
    start = page.index('id="overdue"')
    overdue = page[start : page.index("</section>", start)]
    statement = overdue[overdue.index("月度财务收支明细") :].split("</li>")[0]
    assert "2025年4月 · 应于2025-05-10前公开，尚未公开" in statement
    assert "2024年6月" in statement  # the page looks back twelve months
    assert "2025年3月" not in statement  # published, though late
    assert "逾期：应于2025-04-10前公开" in page
    assert "逾期公开：应于2025-04-10前公开，实际于2025-04-20公开" in detail


def test_a_correction_keeps_the_old_version_visible(village):
    rules = disclosure_open(village=village, item_code="VA02")
    publish(draft_write(actor=None, disclosure=rules, body="财务审批限额 3000 元"))
    publish(
        draft_write(
            actor=None, disclosure=rules, body="财务审批限额 2000 元", change_reason="限额抄错"
        )
    )
    url = f"/v/{village.code}/d/{rules.pk}/"
    current = Client().get(url).content.decode()
    first = Client().get(url + "?v=1").content.decode()
    assert "2000 元" in current and "限额抄错" in current and "?v=1" in current
    assert "3000 元" in first and "这是较早的版本" in first
    assert "已更正" in Client().get(f"/v/{village.code}/").content.decode()
    assert Client().get(url + "?v=3").status_code == 404


def test_drafts_are_not_public(village):
    rules = disclosure_open(village=village, item_code="VA02")
    draft_write(actor=None, disclosure=rules, body="尚未审核的制度")
    assert "尚未审核的制度" not in Client().get(f"/v/{village.code}/").content.decode()
    assert Client().get(f"/v/{village.code}/d/{rules.pk}/").status_code == 404


def test_search_finds_published_lines(village, tree):
    with time_machine.travel(date(2025, 4, 8)):
        month_of_books(village, date(2025, 3, 1))
    found = Client().get(f"/v/{village.code}/search/", {"q": "环境整治"}).content.decode()
    assert "月度财务收支明细" in found
    nothing = Client().get(f"/v/{village.code}/search/", {"q": "不存在的词"}).content.decode()
    assert "没有公开内容提到" in nothing
    other = Client().get(f"/v/{tree.village_a2.code}/search/", {"q": "环境整治"}).content.decode()
    assert "月度财务收支明细" not in other  # one village's search stays in that village


def test_visits_are_counted_without_keeping_who(village):
    with time_machine.travel(date(2025, 5, 1)):
        for agent in ("phone-a", "phone-a", "phone-b"):
            Client(HTTP_USER_AGENT=agent).get(f"/v/{village.code}/")
        visits_flush()
        day = VisitDay.objects.get(village=village)
        assert (day.visits, day.visitors) == (3, 2)
        hashes = set(VisitorSeen.objects.values_list("visitor", flat=True))
        assert len(hashes) == 2 and not any("phone" in h for h in hashes)
        Client().get(f"/v/{village.code}/")
        visits_flush()
        day.refresh_from_db()
        assert (day.visits, day.visitors) == (4, 3)
    with time_machine.travel(date(2025, 5, 2)):
        visitor_keys_forget.call_local()  # the nightly job
    assert not VisitorSeen.objects.exists() and not VisitSalt.objects.exists()
    assert VisitDay.objects.get(village=village).visits == 4  # the counts stay


def test_a_busy_village_page_stays_light(village):
    with time_machine.travel(date(2025, 4, 8)):
        month_of_books(village, date(2025, 3, 1))
    for quarter in range(1, 5):
        for code in ("VA15", "VA16", "VA27", "PA05", "FA07", "FA09"):
            item = disclosure_open(village=village, item_code=code, period_key=f"2024-Q{quarter}")
            publish(draft_write(actor=None, disclosure=item, body="内容" * 200))
    html = Client().get(f"/v/{village.code}/").content
    assert len(html) + len(CSS.read_bytes()) < 100_000
    assert html.count(b'class="panel"') >= 4


@pytest.mark.parametrize("published", [2, 12])
def test_village_page_queries_do_not_grow_with_the_data(
    village, published, django_assert_num_queries
):
    for n in range(published):
        item = disclosure_open(village=village, item_code="VA15", period_key=f"{2010 + n}-Q1")
        publish(draft_write(actor=None, disclosure=item, body=f"第{n}季度"))
    Client().get(f"/v/{village.code}/")  # makes the day's visitor key, renders the page
    # the village with its stored page, its entries in the log and its visits
    with django_assert_num_queries(1):
        Client().get(f"/v/{village.code}/")
    VillagePage.objects.all().delete()
    # that query; the village, its log entries; the body: catalogs, items, disclosures,
    # latest, roster (no cadres here, so no log entries to look up), checkpoint; the
    # page kept (update_or_create: two savepoints, a read, an insert, two releases)
    with django_assert_num_queries(15):
        Client().get(f"/v/{village.code}/")
    with django_assert_num_queries(4):  # village, disclosure, its versions, its log entry
        Client().get(f"/v/{village.code}/d/{item.pk}/")
