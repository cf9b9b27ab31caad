"""A village bookkeeper uploads a month's ledger, is told which row is wrong, fixes it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import xlsxwriter
from playwright.sync_api import Page, expect

from qinglian.finance.spreadsheet import COLUMNS
from tests.e2e.conftest import Village
from tests.e2e.screens import log_in

pytestmark = pytest.mark.browser


def ledger(path: Path, income_subject: str) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, COLUMNS)
    common = ["", "", "", "", ""]
    sheet.write_row(
        1,
        0,
        ["2026-11-03", 1, "11月店面租金", "102", "", "借", 1250, "农商银行基本户", "转账", *common],
    )
    sheet.write_row(
        2, 0, ["2026-11-03", 1, "11月店面租金", income_subject, "", "贷", 1250, "", "", *common]
    )
    workbook.close()
    return path


def test_bookkeeper_fixes_the_row_the_upload_names_and_reads_the_statement(
    desktop: Page, first_township_villages: list[Village], tmp_path: Path
) -> None:
    own = first_township_villages[0]
    log_in(desktop, "village")

    desktop.goto(f"/work/regions/{own.code}/")
    desktop.locator(f"main a[href='/work/finance/{own.code}/']").click()
    desktop.locator(f"main a[href='/work/finance/{own.code}/upload/']").click()

    desktop.locator("#id_month").fill("2026-11")
    desktop.locator("#id_file").set_input_files(str(ledger(tmp_path / "bad.xlsx", "599")))
    desktop.locator("main form button[type=submit]").click()

    errors = desktop.locator(".errorlist table tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("3")  # the spreadsheet row
    expect(errors.first).to_contain_text("科目编码")
    expect(errors.first).to_contain_text("599")
    expect(desktop.locator(".errorlist a[href$='/errors.xlsx']")).to_be_visible()

    desktop.locator("#id_month").fill("2026-11")
    desktop.locator("#id_file").set_input_files(str(ledger(tmp_path / "good.xlsx", "501003")))
    desktop.locator("main form button[type=submit]").click()

    expect(desktop).to_have_url(re.compile(rf"/work/finance/{own.code}/2026-11/$"))
    main = desktop.locator("main")
    expect(main).to_contain_text("501003")
    expect(main).to_contain_text("11月店面租金")
    expect(main).to_contain_text("1250.00")
    expect(desktop.locator("[role=alert]")).to_have_count(0)  # the month reconciles
