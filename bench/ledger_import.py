"""How long a month's 100,000-line ledger takes to import, against merely reading the file.

    .venv/bin/python bench/ledger_import.py               # 100,000 lines (50,000 vouchers)
    .venv/bin/python bench/ledger_import.py --rows 10000  # quicker

Makes one month of one village's ledger as .xlsx (balanced two-line vouchers:
expenses paid from the bank, the cash box or the village card, rents and
contracting fees received, with realistic summaries, a few fund accounts, some
counterparties registered by ID number or credit code, some contracts, and one
expense in ten naming the decided power matter that authorised it),
then, in a fresh SQLite file (QINGLIAN_VAR_DIR in a temporary directory;
DATABASE_URL is ignored):

- read: the bare calamine read of the same bytes, every row into memory (the
  baseline: nothing can import a file faster than it can be read);
- import: ``ledger_import_file`` from the bytes to the committed vouchers
  (reading, checking every row, writing all vouchers and lines).

``ratio`` is import seconds over read seconds, both measured in this run, each the
best of ``--repeat`` runs (3; the import goes into a fresh village each time); the
peak RSS is the process's (``ru_maxrss``), the file generation included. The
last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MONTH = date(2025, 3, 1)

EXPENSES = [
    (
        "541",
        "管理费用",
        ["支付村委会办公用品费", "支付村干部误工补贴", "支付村务公开栏制作费", "支付电话网络费"],
    ),
    (
        "551",
        "其他支出",
        ["支付村道路灯维修费", "支付垃圾清运费", "支付防汛物资费", "支付河道保洁费"],
    ),
    ("502003", "租赁成本及费用", ["支付厂房维修材料费", "支付仓库屋顶修缮费"]),
    ("502004", "提供服务的成本", ["支付农机作业燃油费", "支付灌溉用电费"]),
]
INCOMES = [
    ("501003", "租赁收入", ["收取厂房租金", "收取店面租金", "收取仓库租金"]),
    ("511001", "土地承包收入", ["收取鱼塘承包费", "收取耕地承包费", "收取山林承包费"]),
    ("531", "其他收入", ["收到存款利息", "收到废品变卖款"]),
]
SUPPLIERS = [
    "青山建材有限公司",
    "清河县五金交电商店",
    "云岭农机服务社",
    "清河县供电公司",
    "溪口保洁服务队",
]
TENANTS = ["张国强", "李秀英", "王志明", "陈桂兰", "刘建华", "赵美玲"]
MONTH_NAMES = "三月"
PAYERS = [
    ("102", "银行存款", "农商银行基本户", "转账"),
    ("101", "现金", "", "现金"),
    ("102", "银行存款", "村务卡", "村务卡"),
]


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="voucher lines (even)")
    parser.add_argument("--seed", type=int, default=20250301)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="read this often and import into this many fresh villages; the best of each counts",
    )
    return parser.parse_args(argv)


def ledger_xlsx(
    *,
    rows: int,
    seed: int,
    people: list[tuple[str, str]],
    companies: list[tuple[str, str]],
    contracts: list[str],
    matters: list[int],
) -> bytes:
    """A balanced month: ``rows // 2`` two-line vouchers, dates spread over March 2025."""
    import xlsxwriter

    from qinglian.finance.spreadsheet import COLUMNS

    rng = random.Random(seed)
    matter_rng = random.Random(seed + 1)  # its own draws: the rest of the file stays as it was
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    sheet = workbook.add_worksheet("凭证")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    money = workbook.add_format({"num_format": "#,##0.00"})
    sheet.write_row(0, 0, COLUMNS)
    vouchers = rows // 2
    line = 1
    for number in range(1, vouchers + 1):
        day = datetime(2025, 3, 1 + (number - 1) * 31 // vouchers)
        amount = Decimal(rng.randrange(500, 5_000_000)) / 100
        kind = rng.random()
        code_cell = ""
        contract = ""
        matter = 0
        if kind < 0.55:  # an expense, paid by transfer, in cash or with the village card
            code, name, summaries = rng.choice(EXPENSES)
            summary = f"{rng.choice(summaries)}（{MONTH_NAMES}）"
            payer = rng.choice(PAYERS)
            party = rng.choice(SUPPLIERS)
            if rng.random() < 0.2:
                party, code_cell = rng.choice(companies)
            if matter_rng.random() < 0.1:
                matter = matter_rng.choice(matters)
            first = (code, name, "借", "", "")
            second = (payer[0], payer[1], "贷", payer[2], payer[3])
        else:  # an income received in the bank or the cash box
            code, name, summaries = rng.choice(INCOMES)
            party = rng.choice(TENANTS)
            summary = f"{rng.choice(summaries)}（{party}）"
            if rng.random() < 0.3:
                party, code_cell = rng.choice(people)
                contract = rng.choice(contracts)
            receiver = rng.choice(
                [("102", "银行存款", "农商银行基本户", "转账"), ("101", "现金", "", "现金")]
            )
            first = (receiver[0], receiver[1], "借", receiver[2], receiver[3])
            second = (code, name, "贷", "", "")
        for subject, subject_name, direction, account, method in (first, second):
            sheet.write_datetime(line, 0, day, date_format)
            sheet.write_number(line, 1, number)
            sheet.write_string(line, 2, summary)
            sheet.write_string(line, 3, subject)
            sheet.write_string(line, 4, subject_name)
            sheet.write_string(line, 5, direction)
            sheet.write_number(line, 6, float(amount), money)
            sheet.write_string(line, 7, account)
            sheet.write_string(line, 8, method)
            sheet.write_string(line, 9, party)
            sheet.write_string(line, 10, code_cell)
            sheet.write_string(line, 11, "李会计")
            sheet.write_string(line, 12, contract if subject == second[0] else "")
            if matter and subject == first[0]:
                sheet.write_number(line, 13, matter)
            line += 1
    workbook.close()
    return buffer.getvalue()


def main(argv: list[str]) -> dict[str, Any]:
    args = _arguments(argv)
    sys.path.insert(0, str(PROJECT_ROOT))
    var_dir = tempfile.mkdtemp(prefix="qinglian-bench-")
    os.environ["QINGLIAN_VAR_DIR"] = var_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "qinglian.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "b" * 40)
    os.environ.setdefault("PII_HASH_KEY", "bench-only-pii-key")
    import django

    django.setup()
    from django.core.management import call_command
    from python_calamine import CalamineWorkbook
    from stdnum.cn import uscc

    from qinglian.directory.factories import make_id_number
    from qinglian.directory.models import Company, RegionLevel
    from qinglian.directory.services import PersonInput, person_register, region_create
    from qinglian.finance.ledger_import import ledger_import_file
    from qinglian.finance.models import (
        Contract,
        ContractDirection,
        ContractKind,
        Voucher,
        VoucherLine,
    )
    from qinglian.finance.services import fund_account_open
    from qinglian.powers.models import Matter, MatterState, PowerItem

    call_command("migrate", verbosity=0)
    county = region_create(actor=None, code="339901000000", name="清河县", level=RegionLevel.COUNTY)
    town = region_create(
        actor=None, code="339901100000", name="青山镇", level=RegionLevel.TOWNSHIP, parent=county
    )

    def new_village(ordinal: int) -> Any:
        """A village with the file's accounts and contracts (people and companies are shared)."""
        village = region_create(
            actor=None,
            code=f"3399011002{ordinal:02d}",
            name=f"上塘{ordinal}村",
            level=RegionLevel.VILLAGE,
            parent=town,
        )
        for kind, name in (("cash", "现金"), ("bank", "农商银行基本户"), ("card", "村务卡")):
            fund_account_open(actor=None, village=village, kind=kind, name=name, opened_on=MONTH)
        for index in range(1, 6):
            Contract.objects.create(
                village=village,
                number=f"HT-2025-{index:03d}",
                title=f"厂房租赁合同{index}",
                kind=ContractKind.LEASE,
                direction=ContractDirection.RECEIVABLE,
            )
        return village

    first_village = new_village(1)
    people = []
    for index, name in enumerate(TENANTS):
        number = make_id_number("339901", date(1960 + index, 5, 1 + index), 100 + index)
        person_register(
            actor=None, region=first_village, data=PersonInput(name=name, id_number=number)
        )
        people.append((name, number))
    companies = []
    for index, name in enumerate(SUPPLIERS):
        first17 = f"91339901MA2{index:06d}"
        code = first17 + uscc.calc_check_digit(first17)
        Company.objects.create(name=name, credit_code=code, region=town, region_path=town.path)
        companies.append((name, code))
    contracts = [f"HT-2025-{index:03d}" for index in range(1, 6)]
    matters = [
        Matter.objects.create(
            village=first_village,
            item=PowerItem.objects.get(power_list__region__isnull=True, code="P07"),
            title=f"水渠工程{index}",
            origin="cadres",
            started_on=MONTH,
            state=MatterState.DECIDED,
        ).pk
        for index in range(1, 6)
    ]
    started = time.perf_counter()
    content = ledger_xlsx(
        rows=args.rows,
        seed=args.seed,
        people=people,
        companies=companies,
        contracts=contracts,
        matters=matters,
    )
    print(
        f"made a {args.rows:,}-line ledger ({len(content) / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.1f} s",
        flush=True,
    )

    # The machine is shared and noisy: reads and imports take turns (so that both
    # meet the same weather), and each timing is the best of --repeat runs.
    read_seconds = seconds = float("inf")
    for attempt in range(args.repeat):
        started = time.perf_counter()
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        read_rows = list(workbook.get_sheet_by_index(0).iter_rows())
        read_took = time.perf_counter() - started
        del read_rows, workbook
        read_seconds = min(read_seconds, read_took)

        village = first_village if attempt == 0 else new_village(attempt + 1)
        Matter.objects.filter(pk__in=matters).update(village=village)  # the file's matters
        started = time.perf_counter()
        result = ledger_import_file(
            actor=None, village=village, month=MONTH, file_name="2025-03.xlsx", content=content
        )
        took = time.perf_counter() - started
        if result.errors:
            for error in result.errors[:20]:
                print(error)
            raise SystemExit("the generated ledger was refused")
        written = VoucherLine.objects.filter(voucher__village=village).count()
        assert written == args.rows // 2 * 2, written
        authorised = Voucher.objects.filter(village=village, power_matter_id__isnull=False).count()
        assert authorised > 0 or args.rows < 100, authorised
        print(f"run {attempt + 1}: bare read {read_took:.2f} s, import {took:.2f} s", flush=True)
        seconds = min(seconds, took)
    print(f"bare calamine read: {read_seconds:.2f} s (best of {args.repeat})", flush=True)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"import: {result.rows:,} rows, {result.vouchers:,} vouchers, {written:,} lines written "
        f"({authorised:,} naming a power matter) "
        f"in {seconds:.2f} s (best of {args.repeat}); ratio to the bare read "
        f"{seconds / read_seconds:.2f}; "
        f"peak RSS {peak_rss_mb:.0f} MB",
        flush=True,
    )
    if not args.keep:
        shutil.rmtree(var_dir, ignore_errors=True)
    return {
        "rows": result.rows,
        "seconds": round(seconds, 3),
        "read_seconds": round(read_seconds, 3),
        "peak_rss_mb": round(peak_rss_mb, 1),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
