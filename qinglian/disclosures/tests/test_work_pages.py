"""The staff path: write, send, review, publish; each step by the role that owns it."""

from __future__ import annotations

from datetime import date

from conftest import client_for
from qinglian.disclosures.models import Disclosure, DisclosureDraft, DraftState
from qinglian.finance.services import ledger_month_close, voucher_record
from qinglian.finance.tests.ledger_helpers import cash_and_bank, receipt
from qinglian.transparency.models import LogEntry


def test_a_text_goes_from_the_cadre_to_the_committee_to_the_village_page(
    tree, village_cadre, supervisor
):
    cadre, committee = client_for(village_cadre), client_for(supervisor)
    code = tree.village_a1.code
    response = cadre.post(
        f"/work/disclosures/{code}/new/",
        {"item": "VA15", "period": "2025-Q1", "table": "姓名,金额\n张小明,680\n李四,680"},
    )
    draft = DisclosureDraft.objects.get()
    assert response["Location"] == f"/work/disclosures/drafts/{draft.pk}/"
    assert draft.table["rows"] == [["张*明", "680"], ["李*", "680"]]
    page = f"/work/disclosures/drafts/{draft.pk}/"
    cadre.post(page + "submit/")
    assert committee.post(page + "publish/").status_code == 404  # not the committee's to publish
    assert cadre.post(page + "review/", {"decision": "sign"}).status_code == 404
    committee.post(page + "review/", {"decision": "return", "comment": "缺少发放日期"})
    draft.refresh_from_db()
    assert draft.state == DraftState.RETURNED
    assert "缺少发放日期" in cadre.get(page).content.decode()
    cadre.post(page + "rewrite/", {"table": "姓名,金额,发放日期\n张小明,680,2025-03-28"})
    cadre.post(page + "submit/")
    committee.post(page + "review/", {"decision": "sign"})
    cadre.post(page + "publish/")
    disclosure = Disclosure.objects.get()
    assert disclosure.is_published and LogEntry.objects.filter(record_type="disclosure").exists()
    public = client_for(None).get(f"/v/{code}/d/{disclosure.pk}/").content.decode()
    assert "张*明" in public and "2025-03-28" in public and "张小明" not in public


def test_a_bad_period_is_said_on_the_form(tree, village_cadre):
    response = client_for(village_cadre).post(
        f"/work/disclosures/{tree.village_a1.code}/new/",
        {"item": "VA15", "period": "2025-03", "body": "低保名单"},
    )
    assert response.status_code == 200
    assert "2025-03" in response.content.decode() and not Disclosure.objects.exists()


def test_the_committee_signs_the_monthly_list_then_the_village_publishes_it(
    tree, village_cadre, supervisor
):
    _cash, bank = cash_and_bank(tree.village_a1, bank="1000")
    voucher = voucher_record(
        actor=None, village=tree.village_a1, draft=receipt(bank, "10", on=date(2025, 3, 1))
    )
    ledger_month_close(actor=None, ledger_month=voucher.ledger_month)
    cadre, committee = client_for(village_cadre), client_for(supervisor)
    sent = cadre.post(f"/work/finance/{tree.village_a1.code}/2025-03/submit/")
    committee.post(sent["Location"] + "review/", {"decision": "sign"})
    cadre.post(sent["Location"] + "publish/")
    assert LogEntry.objects.filter(record_type="monthly_statement").count() == 1
    staff = cadre.get(f"/work/disclosures/{tree.village_a1.code}/").content.decode()
    assert "月度财务收支明细" in staff
