"""Every demo village's disclosures: the catalog's items over the demo's window, a few late.

For every village of the demo county, every item of the catalog in force (domain.md
§15.1) whose due date falls in the window (``months`` months up to 20 November
2026, the demo's "today", the same calendar as the books): monthly, quarterly,
half-yearly and yearly items each period, the standing items once, and a few
events (a road project, the annual audit). Each is posted a few days before its
due date, after the supervision committee signed it the day before, with short
Chinese text or a list; lists of people (minimum-allowance recipients, casual
labour, relief) name the village's own people and are masked by the service,
as any village's list would be. The monthly financial list (FA01) comes from
the books (``demo.finance``) and is left alone here; a village **without books**
(a county built with ``--finance-months 0``, such as the benchmarks' large
county) gets a generated monthly list of the same shape as
``finance.selectors.statement_content`` (income and expense by subject, line by
line, and balances that carry from month to month), published as a ``disclosure``
record: it is not backed by vouchers, and says so nowhere but here.

Planted deviations (``PlantedDisclosure`` rows; the tests assert each):

1. ``late``: the first village posted its party meetings of the third quarter of
   2026 (PA05, due 20 October) nine days late;
2. ``corrected``: the first village corrected its minimum-allowance list of the
   third quarter of 2026 (VA15) six days after posting it, with a public reason;
3. ``missing``: the first village never published its power list (VA05, a
   standing item) nor its certificates issued in October 2026 (VA22, due 10
   November): its page shows both as not published.

Two writers produce the same rows. The services, one call each
(``disclosure_open``, ``draft_write``, ``draft_submit``, ``draft_review``,
``draft_publish``, each with its audit event), take about 20 ms a publication:
the default county's 2,400 publications would add 45 s to ``qinglian demo``. So
the first village publishes through the services (every build exercises them)
and the others are written in bulk: the disclosures, drafts and published
versions as the services leave them, with prepared INSERTs, and the log entries
through ``log_append_many`` in batches, byte for byte what ``draft_publish``
appends (``test_disclosures`` compares the two writers on the same plans); one
audit event records the bulk build instead of four per version.

Everything is drawn from a ``random.Random`` seeded with the demo seed and the
village code and dated by the demo's calendar, never by the clock (publication
times are capped at now).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import connections, models, router, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from qinglian.core.audit import audit_record
from qinglian.core.calendar import add_months, month_end
from qinglian.directory.models import Person, Post, Region, RegionLevel, Term, subtree_q
from qinglian.disclosures.masking import mask_name, mask_numbers, mask_table
from qinglian.disclosures.models import (
    CatalogItem,
    ContentKind,
    Disclosure,
    DisclosureDraft,
    DisclosureVersion,
    DraftState,
    Frequency,
)
from qinglian.disclosures.schedule import event_due, is_periodic, period_from_key, periods_between
from qinglian.disclosures.selectors import STATEMENT_ITEM, catalogs_in_force
from qinglian.disclosures.services import (
    DISCLOSURE_RECORD,
    disclosure_open,
    draft_publish,
    draft_review,
    draft_submit,
    draft_write,
    searchable_text,
)
from qinglian.finance.models import FundAccount
from qinglian.transparency.services import Publication, log_append_many

DEFAULT_DISCLOSURE_MONTHS = 24
MAX_DISCLOSURE_MONTHS = 60
DISCLOSURES_AS_OF = date(2026, 11, 20)  # the demo's "today" (finance.FINANCE_AS_OF)
DISCLOSURES_BUILT_VERB = "demo.disclosures_built"
SERVICES_VILLAGES = 1  # by default the first village goes through the services, the rest in bulk
_BULK_VILLAGES = 100  # villages planned and written together by the bulk writer
_POSTED_AT = time(10, 0)


class PlantedKind:
    LATE = "late"
    CORRECTED = "corrected"
    MISSING = "missing"


# (village ordinal, item, period key)
LATE_ITEM = (0, "PA05", "2026-Q3")
LATE_DAYS = 9
CORRECTED_ITEM = (0, "VA15", "2026-Q3")
CORRECTION_DAYS = 6
MISSING_ITEMS = ((0, "VA05", "standing"), (0, "VA22", "2026-10"))


@dataclass(frozen=True)
class PlantedDisclosure:
    kind: str
    village: str  # code
    item: str
    period: str


@dataclass(frozen=True)
class VersionPlan:
    published_at: datetime
    reviewed_at: datetime
    body: str = ""
    columns: list[str] | None = None
    rows: list[list[str]] | None = None
    statement: dict[str, Any] | None = None  # a generated monthly list (no books)
    change_reason: str = ""


@dataclass(frozen=True)
class DisclosurePlan:
    village: Region
    item: CatalogItem
    period_key: str  # a period's key, "standing", or "" for an event
    event_on: date | None
    title: str
    versions: list[VersionPlan]


@dataclass
class DisclosureCounts:
    villages: int = 0
    disclosures: int = 0
    versions: int = 0
    corrections: int = 0
    statements_generated: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class DisclosuresBuild:
    counts: DisclosureCounts = field(default_factory=DisclosureCounts)
    planted: list[PlantedDisclosure] = field(default_factory=list)
    writer: str = "services"


@dataclass(frozen=True)
class VillageFacts:
    """What a village's lists are made of: its place in the county and its people."""

    region: Region
    ordinal: int  # position in the county, in code order
    villagers: list[str]  # names, in a stable order
    cadres: list[tuple[str, str]]  # (post, name) of the current terms
    with_books: bool


# --- when -----------------------------------------------------------------------------


def _aware(day: date, at: time = _POSTED_AT) -> datetime:
    # The demo's time zone (Asia/Shanghai) keeps no summer time: no hour is ambiguous.
    return datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


def _posted(day: date, now: datetime) -> tuple[datetime, datetime]:
    """Published at 10:00 that day, signed by the committee the afternoon before."""
    published = min(_aware(day), now)
    return published, min(_aware(day - timedelta(days=1), time(16, 0)), published)


# --- what: short texts and lists, item by item -------------------------------------------

_MONEY_STEP = Decimal("0.01")


def _yuan(amount: float | int | Decimal) -> str:
    return str(Decimal(amount).quantize(_MONEY_STEP))


def _group(rng: random.Random) -> str:
    return f"第{'一二三四五六'[rng.randrange(6)]}村民小组"


def _names(rng: random.Random, facts: VillageFacts, low: int, high: int) -> list[str]:
    pool = facts.villagers or ["村民"]
    return rng.sample(pool, min(len(pool), rng.randint(low, high)))


Content = tuple[str, list[str] | None, list[list[str]] | None]


def _procurement(rng: random.Random, facts: VillageFacts, period: str) -> Content:
    goods = [
        ("办公用品", "清河县文博办公用品店", 200, 900),
        ("垃圾清运服务", "清河县洁美环境服务有限公司", 1500, 3000),
        ("路灯维修材料", "清河县鑫达五金店", 300, 1800),
        ("防汛物资（编织袋、雨衣）", "清河县利民农资店", 800, 2500),
        ("村部饮用水", "清河县清泉饮用水店", 100, 300),
    ]
    rows = [
        [f"{period}-{rng.randint(3, 26):02d}", what, seller, _yuan(rng.randint(low, high)), "询价"]
        for what, seller, low, high in rng.sample(goods, rng.randint(1, 3))
    ]
    return "", ["日期", "采购内容", "供应商", "金额（元）", "方式"], rows


def _casual_labour(rng: random.Random, facts: VillageFacts, period: str) -> Content:
    jobs = ("清理沟渠", "割除路边杂草", "搬运防汛物资", "疏通排水沟", "村道保洁")
    rows = []
    for name in _names(rng, facts, 2, 5):
        days = rng.randint(1, 6)
        rate = rng.choice((120, 150, 160))
        rows.append([name, rng.choice(jobs), str(days), str(rate), _yuan(days * rate)])
    return "", ["姓名", "工作内容", "天数", "日工资（元）", "金额（元）"], rows


def _seals(rng: random.Random, facts: VillageFacts, period: str) -> Content:
    a, b, c = rng.randint(3, 12), rng.randint(0, 3), rng.randint(0, 4)
    body = (
        f"本月用印共{a + b + c}次：出具证明{a}次，合同协议{b}次，其他材料{c}次。"
        "每次用印均经审批并登记，登记簿存村部备查。"
    )
    return body, None, None


def _certificates(rng: random.Random, facts: VillageFacts, period: str) -> Content:
    kinds = ("居住证明", "家庭经济状况证明", "亲属关系证明", "土地承包情况证明", "其他证明")
    rows = [[kind, str(rng.randint(0, 6))] for kind in kinds]
    return "", ["证明类别", "份数"], rows


def _party_meetings(rng: random.Random, facts: VillageFacts, period: str) -> Content:
    year, quarter = int(period[:4]), int(period[-1])
    month = (quarter - 1) * 3 + 1
    topics = (
        "学习党的创新理论",
        "村级重大事项讨论",
        "党员积分评定",
        "文明新风宣讲",
        "防汛安全部署",
    )
    rows = [
        [f"{year}-{month:02d}-{rng.randint(5, 25):02d}", "支部党员大会", rng.choice(topics), "23"],
        [f"{year}-{month + 1:02d}-{rng.randint(5, 25):02d}", "支委会", rng.choice(topics), "5"],
        [f"{year}-{month + 2:02d}-{rng.randint(5, 25):02d}", "主题党日", rng.choice(topics), "21"],
    ]
    return "", ["日期", "会议", "主题", "参加人数"], rows


def _minimum_allowance(rng: random.Random, facts: VillageFacts, period: str) -> Content:
    rows = []
    for name in _names(rng, facts, 3, 7):
        members = rng.randint(1, 3)
        rows.append([name, _group(rng), str(members), str(members * 310), "城乡低保"])
    return "", ["户主姓名", "村民小组", "保障人数", "月保障金（元）", "类别"], rows


def _relief(rng: random.Random, facts: VillageFacts, period: str) -> Content:
    kinds = (("残疾人两项补贴", 180, 180), ("临时救助", 500, 2000), ("医疗救助", 800, 3000))
    rows = []
    for name in _names(rng, facts, 1, 4):
        kind, low, high = rng.choice(kinds)
        rows.append([name, kind, _yuan(rng.randrange(low, high + 1, 10))])
    return "", ["姓名", "项目", "金额（元）"], rows


def _requests(rng: random.Random, facts: VillageFacts, period: str) -> Content:
    got = rng.randint(2, 15)
    done = got - rng.randint(0, 2)
    return (
        f"本季度受理群众诉求{got}件（道路和水利{rng.randint(0, got)}件），已办结{done}件，"
        f"其余正在办理，办理结果已逐件回复当事人。",
        None,
        None,
    )


def _customs(rng: random.Random, facts: VillageFacts, period: str) -> Content:
    return (
        f"本季度红白理事会参与操办婚事{rng.randint(0, 4)}起、丧事{rng.randint(0, 3)}起，"
        "均按村规民约简办，未发现大操大办。",
        None,
        None,
    )


def _contract_money(rng: random.Random, facts: VillageFacts, period: str) -> Content:
    rows = []
    for what in ("机动地承包", "鱼塘承包", "店面租赁"):
        due = rng.randrange(2000, 20000, 100)
        rows.append([what, _yuan(due), _yuan(due if rng.random() < 0.85 else due // 2)])
    return "", ["合同", "应收（元）", "实收（元）"], rows


def _transfers(rng: random.Random, facts: VillageFacts, period: str) -> Content:
    rows = []
    for what in ("村级组织运转经费", "村庄保洁经费"):
        got = rng.randrange(10000, 40000, 500)
        used = rng.randrange(0, got, 100)
        rows.append([what, _yuan(got), _yuan(used), _yuan(got - used)])
    return "", ["资金名称", "收到（元）", "使用（元）", "结余（元）"], rows


def _party_dues(rng: random.Random, facts: VillageFacts, period: str) -> Content:
    got = rng.randrange(600, 1600, 10)
    return f"本半年应收党费{got}元，实收{got}元，已全额上缴镇党委。", None, None


def _assets(rng: random.Random, facts: VillageFacts, period: str) -> Content:
    rows = [
        ["村办公楼", "非经营性", "在用", "无"],
        ["临街店面", "经营性", "出租", "无"],
        ["仓库", "经营性", "出租", rng.choice(("无", "新签租赁合同"))],
    ]
    return "", ["资产", "类别", "状态", "本期变动"], rows


def _debts(rng: random.Random, facts: VillageFacts, period: str) -> Content:
    rows = [
        ["应收款", _yuan(rng.randrange(0, 30000, 100)), "店面租金、承包费"],
        ["应付款", _yuan(rng.randrange(0, 20000, 100)), "工程尾款"],
    ]
    return "", ["项目", "余额（元）", "说明"], rows


def _yearly_text(code: str) -> Callable[[random.Random, VillageFacts, str], Content]:
    texts = {
        "PA02": (
            "{year}年目标：党员积分制管理全覆盖，村道硬化工程完工，"
            "集体经营性收入增长{n}%。已全部完成。"
        ),
        "PA06": (
            "{year}年度民主评议党员：参评党员{m}名，评为优秀{k}名、合格{rest}名，无不合格党员。"
        ),
        "PA08": "{year}年度村干部述职述廉评议会已召开，村民代表测评满意率{p}%。",
        "VA03": (
            "{year}年工作计划：完成村道硬化、整治沟渠两处、扩大机动地发包，"
            "村级集体经营性收入力争增长{n}%。"
        ),
        "VA19": (
            "{year}年误工补贴标准：村民小组长每月300元，"
            "村民代表每次会议50元；村干部报酬按县定标准发放。"
        ),
        "VA24": "{year}年度村委会成员民主评议：参加村民代表{m}人，满意率{p}%，评议结果已报镇党委。",
        "VA25": (
            "{year}年度村务监督委员会列席村两委会议{k}次，"
            "审核财务收支{m}笔，提出意见{n}条，均已整改。"
        ),
        "FA02": (
            "{year}年财务预算：收入预计{m}万元（发包及上交收入为主），"
            "支出预计{k}万元，经村民代表会议通过。"
        ),
        "FA03": "{year}年财务决算：总收入{m}万元，总支出{k}万元，预算执行率{p}%。",
        "FA05": "{year}年末集体资源：耕地承包到户，机动地{n}亩已发包，林地{m}亩，鱼塘1处已发包。",
        "FA08": "{year}年收益分配方案：提取公积公益金30%，其余用于村级公益事业，不向个人分配现金。",
    }
    template = texts[code]

    def make(rng: random.Random, facts: VillageFacts, period: str) -> Content:
        m = rng.randint(20, 60)
        k = rng.randint(1, m // 3)
        values = {
            "year": period[:4],
            "n": rng.randint(3, 15),
            "m": m,
            "k": k,
            "rest": m - k,
            "p": rng.randint(92, 99),
        }
        return template.format(**values), None, None

    return make


_MAKERS: dict[str, Callable[[random.Random, VillageFacts, str], Content]] = {
    "VA09": _procurement,
    "VA20": _casual_labour,
    "VA21": _seals,
    "VA22": _certificates,
    "PA05": _party_meetings,
    "VA15": _minimum_allowance,
    "VA16": _relief,
    "VA27": _requests,
    "VA28": _customs,
    "FA07": _contract_money,
    "FA09": _transfers,
    "PA04": _party_dues,
    "FA04": _assets,
    "FA06": _debts,
    **{
        code: _yearly_text(code)
        for code in (
            "PA02",
            "PA06",
            "PA08",
            "VA03",
            "VA19",
            "VA24",
            "VA25",
            "FA02",
            "FA03",
            "FA05",
            "FA08",
        )
    },
}

_POST_NAMES: dict[str, str] = {
    Post.PARTY_SECRETARY: "党支部书记",
    Post.COMMITTEE_CHAIR: "村委会主任",
    Post.DUAL_HEAD: "党支部书记、村委会主任",
    Post.PARTY_COMMITTEE_MEMBER: "党支部委员",
    Post.COMMITTEE_MEMBER: "村委会委员",
    Post.SUPERVISION_CHAIR: "村务监督委员会主任",
    Post.SUPERVISION_MEMBER: "村务监督委员会委员",
    Post.BOOKKEEPER: "报账员",
    Post.DISCIPLINE_SUPERVISOR: "村级纪检监督员",
    Post.INFO_OFFICER: "信息员",
}
_DUTIES: dict[str, str] = {
    Post.PARTY_SECRETARY: "主持党支部全面工作",
    Post.COMMITTEE_CHAIR: "主持村委会全面工作",
    Post.DUAL_HEAD: "主持村两委全面工作",
    Post.SUPERVISION_CHAIR: "主持村务监督委员会工作",
    Post.BOOKKEEPER: "村级财务报账",
}


def _standing(facts: VillageFacts, code: str) -> Content:
    name = facts.region.name
    if code == "VA04":
        rows = [
            [_POST_NAMES.get(post, post), person, _DUTIES.get(post, "协助分管工作"), "村委会办公室"]
            for post, person in facts.cadres
        ]
        if rows:
            return "", ["职务", "成员", "分工", "联系方式"], rows
    texts = {
        "PA01": f"{name}党支部设书记1名、委员2名，下设党小组3个。支部书记主持全面工作，"
        "组织委员负责党员发展和教育管理，宣传委员负责宣传和意识形态工作。",
        "VA01": f"《{name}村民自治章程》和《{name}村规民约》经村民代表会议讨论通过，"
        "内容包括村民权利义务、村务管理、集体资产管理、移风易俗、环境卫生等。",
        "VA02": "村务监督委员会工作制度、民主评议制度、“四议两公开”议事决策制度、"
        "印章管理制度、财务管理制度、档案管理制度（全文存村部，可随时查阅）。",
        "VA04": f"{name}村两委和村务监督委员会成员名单见村部公开栏。",
        "VA05": "村级小微权力清单共28项，每项列明办理依据、流程和责任人，附运行流程图和负面清单。",
    }
    return texts[code], None, None


def _event_text(code: str, rng: random.Random, facts: VillageFacts, on: date) -> Content:
    if code == "VA08":
        metres = rng.randrange(600, 2400, 50)
        price = rng.randrange(300, 900) * 1000
        return (
            f"村道硬化工程（长{metres}米、宽4.5米）已通过镇村联合验收，"
            f"合同价{price}元，结算价{price - rng.randrange(0, 20) * 1000}元。"
            "施工单位、监理意见和验收记录存村部备查。",
            None,
            None,
        )
    return (
        f"镇农村集体“三资”管理服务中心对本村{on.year - 1}年度财务收支进行了审计："
        f"收支凭证齐全，发现问题{rng.randint(0, 3)}个（票据不规范等），已全部整改。",
        None,
        None,
    )


# --- a generated monthly financial list (villages without books) ------------------------


@dataclass
class _Balances:
    cash: Decimal
    bank: Decimal
    card: Decimal


_INCOME = (
    ("511", "发包及上交收入", ("机动地承包费", "鱼塘承包费", "店面租金")),
    ("522", "补助收入", ("镇拨村级组织运转经费", "村庄保洁经费补助")),
)
_EXPENSE = (
    ("541", "管理费用", ("村干部报酬", "办公用品", "电费", "电话费")),
    ("551", "其他支出", ("垃圾清运服务费", "沟渠清理零工工资", "路灯维修")),
)
_PAYEES = (
    "国网清河县供电公司",
    "中国电信清河分公司",
    "清河县洁美环境服务有限公司",
    "清河县文博办公用品店",
)


def _statement(
    rng: random.Random, facts: VillageFacts, month: date, balances: _Balances
) -> dict[str, Any]:
    """One month's list, shaped like ``finance.selectors.statement_content``."""
    number = 0
    last_day = month_end(month).day

    def side(
        groups: Sequence[tuple[str, str, tuple[str, ...]]], low: int, high: int
    ) -> list[dict[str, Any]]:
        nonlocal number
        out = []
        for code, name, summaries in groups:
            lines: list[dict[str, Any]] = []
            for summary in rng.sample(summaries, rng.randint(1, len(summaries))):
                number += 1
                amount = Decimal(rng.randrange(low, high)) / 100
                lines.append(
                    {
                        "voucher": number,
                        "date": month.replace(day=rng.randint(1, last_day)).isoformat(),
                        "summary": summary,
                        "subject": code,
                        "amount": _yuan(amount),
                        "counterparty": rng.choice(_PAYEES) if code != "511" else "",
                        "payment_method": "transfer",
                        "handler": "报账员",
                    }
                )
            total = sum((Decimal(line["amount"]) for line in lines), Decimal(0))
            out.append({"subject": code, "name": name, "total": _yuan(total), "lines": lines})
        return out

    income = side(_INCOME, 200_000, 1_500_000)
    expense = side(_EXPENSE, 20_000, 400_000)
    income_total = sum((Decimal(g["total"]) for g in income), Decimal(0))
    expense_total = sum((Decimal(g["total"]) for g in expense), Decimal(0))
    opening = _Balances(balances.cash, balances.bank, balances.card)
    balances.bank += income_total - expense_total
    accounts = [
        ("现金", "cash", opening.cash, Decimal(0), Decimal(0), balances.cash),
        ("农商银行基本户", "bank", opening.bank, income_total, expense_total, balances.bank),
        ("村务卡", "card", opening.card, Decimal(0), Decimal(0), balances.card),
    ]
    return {
        "village": facts.region.code,
        "village_name": facts.region.name,
        "month": f"{month:%Y-%m}",
        "revision": 1,
        "income": income,
        "expense": expense,
        "income_total": _yuan(income_total),
        "expense_total": _yuan(expense_total),
        "accounts": [
            {
                "name": name,
                "kind": kind,
                "opening": _yuan(o),
                "receipts": _yuan(r),
                "payments": _yuan(p),
                "closing": _yuan(c),
            }
            for name, kind, o, r, p, c in accounts
        ],
        "corrections": [],
    }


# --- the plan of one village --------------------------------------------------------------


def window_start_for(as_of: date, months: int) -> date:
    """The same day ``months`` months before ``as_of`` (or that month's last day)."""
    start = add_months(as_of, -months)
    return start.replace(day=min(as_of.day, month_end(start).day))


def village_plans(
    facts: VillageFacts,
    items: Sequence[CatalogItem],
    *,
    seed: int,
    months: int,
    as_of: date = DISCLOSURES_AS_OF,
    now: datetime | None = None,
    planted: list[PlantedDisclosure] | None = None,
) -> list[DisclosurePlan]:
    """What the village publishes: every item due in the ``months`` months up to ``as_of``.

    Decided by the seed and the village code alone; periods and due dates come
    from the village's catalog through ``schedule``.
    """
    now = now or timezone.now()
    rng = random.Random(f"qinglian-demo:{seed}:disclosures:{facts.region.code}")
    window_start = window_start_for(as_of, months)
    ordinal = facts.ordinal
    plans: list[DisclosurePlan] = []
    planted = [] if planted is None else planted

    def plan(
        item: CatalogItem,
        key: str,
        posted_on: date,
        content: Content,
        *,
        event_on: date | None = None,
        statement: dict[str, Any] | None = None,
    ) -> None:
        code = facts.region.code
        if (ordinal, item.code, key) in MISSING_ITEMS:
            planted.append(PlantedDisclosure(PlantedKind.MISSING, code, item.code, key))
            return
        if (ordinal, item.code, key) == LATE_ITEM:
            planted.append(PlantedDisclosure(PlantedKind.LATE, code, item.code, key))
        published_at, reviewed_at = _posted(posted_on, now)
        body, columns, rows = content
        versions = [VersionPlan(published_at, reviewed_at, body, columns, rows, statement)]
        if (ordinal, item.code, key) == CORRECTED_ITEM and rows:
            planted.append(PlantedDisclosure(PlantedKind.CORRECTED, code, item.code, key))
            fixed = [list(row) for row in rows]
            members = int(fixed[0][2])
            old, new = fixed[0][3], str((members + 1) * 310)
            fixed[0][2], fixed[0][3] = str(members + 1), new
            reason = (
                f"{mask_name(fixed[0][0])}户保障人数录入有误，应为{members + 1}人，"
                f"月保障金由{old}元更正为{new}元。"
            )
            second, signed = _posted(posted_on + timedelta(days=CORRECTION_DAYS), now)
            versions.append(VersionPlan(second, signed, body, columns, fixed, None, reason))
        plans.append(DisclosurePlan(facts.region, item, key, event_on, item.title_zh, versions))

    for item in items:
        if is_periodic(item.frequency):
            if item.code == STATEMENT_ITEM and facts.with_books:
                continue  # the books publish it (demo.finance)
            balances = _Balances(
                Decimal(rng.randrange(10, 31) * 100),
                Decimal(rng.randrange(60, 460) * 1000),
                Decimal(rng.randrange(2, 6) * 1000),
            )
            scan_from = add_months(window_start, -13)
            for period in periods_between(item.frequency, scan_from, as_of, item.due_day):
                if not window_start < period.due_on <= as_of:
                    continue
                if (ordinal, item.code, period.key) == LATE_ITEM:
                    posted_on = period.due_on + timedelta(days=LATE_DAYS)
                else:
                    posted_on = period.due_on - timedelta(days=rng.randint(1, 7))
                if item.code == STATEMENT_ITEM:
                    statement = _statement(rng, facts, period.start, balances)
                    plan(item, period.key, posted_on, ("", None, None), statement=statement)
                elif item.code in _MAKERS:
                    plan(item, period.key, posted_on, _MAKERS[item.code](rng, facts, period.key))
        elif item.frequency == Frequency.STANDING:
            posted_on = window_start + timedelta(days=rng.randint(3, 20))
            plan(item, "standing", posted_on, _standing(facts, item.code))
        elif item.code in ("VA08", "FA10"):
            if item.code == "VA08":
                happened = as_of - timedelta(days=rng.randint(60, 240))
            else:  # the audit of the year before, each April
                happened = date(as_of.year, 4, rng.randint(8, 25))
                if happened > as_of:
                    happened = date(as_of.year - 1, 4, happened.day)
            if not window_start < happened <= as_of:
                continue
            due = event_due(happened, item.event_days)
            posted_on = happened + timedelta(days=rng.randint(1, (due - happened).days or 1))
            plan(
                item,
                "",
                posted_on,
                _event_text(item.code, rng, facts, happened),
                event_on=happened,
            )
    return plans


# --- writing: through the services, or in bulk ------------------------------------------


def _publish_with_services(plan: DisclosurePlan) -> int:
    disclosure = disclosure_open(
        village=plan.village,
        item_code=plan.item.code,
        period_key=plan.period_key if plan.event_on is None else "",
        event_on=plan.event_on,
        title=plan.title,
    )
    for version in plan.versions:
        draft = draft_write(
            actor=None,
            disclosure=disclosure,
            body=version.body,
            columns=version.columns,
            rows=version.rows,
            change_reason=version.change_reason,
        )
        draft = draft_submit(actor=None, draft=draft)
        draft = draft_review(actor=None, draft=draft, approve=True, reviewed_at=version.reviewed_at)
        draft_publish(actor=None, draft=draft, published_at=version.published_at)
    return len(plan.versions)


def _period_fields(plan: DisclosurePlan) -> tuple[str, date | None, date | None, date | None]:
    """Period key, start, end and due date as ``disclosure_open`` sets them."""
    item = plan.item
    if is_periodic(item.frequency):
        period = period_from_key(item.frequency, plan.period_key, item.due_day)
        return period.key, period.start, period.end, period.due_on
    if item.frequency == Frequency.STANDING:
        return "standing", None, None, None
    assert plan.event_on is not None
    due = event_due(plan.event_on, item.event_days) if item.frequency == Frequency.EVENT else None
    return f"E{plan.event_on.isoformat()}-1", plan.event_on, plan.event_on, due


def _draft_content(version: VersionPlan) -> tuple[str, str, dict[str, Any]]:
    """Kind, masked text and masked list, as ``draft_write`` stores them."""
    if version.statement is not None:
        return ContentKind.STATEMENT, "", version.statement
    if version.columns is not None or version.rows is not None:
        columns = [str(c).strip()[:40] for c in version.columns or []]
        rows = [[str(cell).strip()[:200] for cell in row] for row in version.rows or []]
        return (
            ContentKind.TABLE,
            mask_numbers(""),
            {
                "columns": columns,
                "rows": mask_table(columns, rows),
            },
        )
    return ContentKind.TEXT, mask_numbers(version.body.strip()), {}


_DISCLOSURE_COLUMNS = [
    "village",
    "item_code",
    "category",
    "title",
    "period_key",
    "period_start",
    "period_end",
    "due_on",
    "first_published_at",
    "last_published_at",
    "versions_published",
    "search_text",
    "created_at",
]
_DRAFT_COLUMNS = [
    "disclosure",
    "state",
    "kind",
    "body",
    "table",
    "change_reason",
    "source",
    "prepared_at",
    "submitted_at",
    "reviewed_at",
    "review_comment",
]
_VERSION_COLUMNS = [
    "disclosure",
    "number",
    "draft",
    "kind",
    "content",
    "change_reason",
    "published_at",
    "record_type",
    "record_id",
    "log_index",
]


def _insert(model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """One prepared INSERT run over the rows: model instances cost more than the database."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    names = []
    for name in columns:
        column = model._meta.get_field(name).column  # type: ignore[union-attr]
        assert column is not None
        names.append(quote(column))
    # Table and column names come from the models, quoted; values travel as parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table), ", ".join(names), ", ".join(["%s"] * len(columns))
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


@dataclass(frozen=True)
class _Version:
    plan: DisclosurePlan
    number: int
    kind: str
    body: str
    table: dict[str, Any]
    content: dict[str, Any]

    @property
    def record_id(self) -> str:
        plan = self.plan
        return f"{plan.village.code}/{plan.item.code}/{_period_fields(plan)[0]}/v{self.number}"


def _write_in_bulk(plans: Sequence[DisclosurePlan]) -> int:
    """The rows the services would leave, a few INSERTs per table; the log in one batch."""
    if not plans:
        return 0
    connection = connections[router.db_for_write(Disclosure)]
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value
    day = ops.adapt_datefield_value

    def json_value(value: dict[str, Any]) -> Any:
        return ops.adapt_json_value(value, None)

    now = stamp(timezone.now())
    disclosure_rows: list[tuple[Any, ...]] = []
    versions: list[_Version] = []
    for plan in plans:
        key, start, end, due = _period_fields(plan)
        title = (plan.title.strip() or plan.item.title_zh)[:200]
        content: dict[str, Any] = {}
        for number, version in enumerate(plan.versions, start=1):
            kind, body, table = _draft_content(version)
            if kind == ContentKind.STATEMENT:
                content = table
            else:  # what ``services.version_content`` makes of the draft
                content = {
                    "village": plan.village.code,
                    "village_name": plan.village.name,
                    "item": plan.item.code,
                    "title": title,
                    "period": key,
                    "version": number,
                    "kind": kind,
                    "body": body,
                    "table": table,
                    "attachments": [],
                    "change_reason": version.change_reason.strip(),
                    "reviewed_on": version.reviewed_at.date().isoformat(),
                }
            versions.append(_Version(plan, number, kind, body, table, content))
        disclosure_rows.append(
            (
                plan.village.pk,
                plan.item.code,
                plan.item.category,
                title,
                key,
                day(start),
                day(end),
                day(due),
                stamp(plan.versions[0].published_at),
                stamp(plan.versions[-1].published_at),
                len(plan.versions),
                searchable_text(title, content),
                now,
            )
        )
    village_ids = {plan.village.pk for plan in plans}
    last_draft = DisclosureDraft.objects.aggregate(last=Max("pk"))["last"] or 0
    _insert(Disclosure, _DISCLOSURE_COLUMNS, disclosure_rows)
    disclosure_ids = {
        (village_id, code, key): pk
        for village_id, code, key, pk in Disclosure.objects.filter(
            village_id__in=village_ids
        ).values_list("village_id", "item_code", "period_key", "pk")
    }
    owner = [
        disclosure_ids[(v.plan.village.pk, v.plan.item.code, _period_fields(v.plan)[0])]
        for v in versions
    ]
    _insert(
        DisclosureDraft,
        _DRAFT_COLUMNS,
        [
            (
                disclosure_id,
                DraftState.PUBLISHED,
                v.kind,
                v.body,
                json_value(v.table),
                v.plan.versions[v.number - 1].change_reason.strip(),
                "",
                now,
                now,
                stamp(v.plan.versions[v.number - 1].reviewed_at),
                "",
            )
            for v, disclosure_id in zip(versions, owner, strict=True)
        ],
    )
    drafts: dict[int, list[int]] = defaultdict(list)
    for disclosure_id, pk in (
        DisclosureDraft.objects.filter(disclosure__village_id__in=village_ids, pk__gt=last_draft)
        .order_by("pk")
        .values_list("disclosure_id", "pk")
    ):
        drafts[disclosure_id].append(pk)
    entries = log_append_many(
        [
            Publication(
                record_type=DISCLOSURE_RECORD,
                record_id=v.record_id,
                region_path=v.plan.village.path,
                content=v.content,
                published_at=v.plan.versions[v.number - 1].published_at,
            )
            for v in versions
        ]
    )
    _insert(
        DisclosureVersion,
        _VERSION_COLUMNS,
        [
            (
                disclosure_id,
                v.number,
                drafts[disclosure_id][v.number - 1],
                v.kind,
                json_value(v.content),
                v.plan.versions[v.number - 1].change_reason.strip(),
                stamp(entry.published_at),
                entry.record_type,
                entry.record_id,
                entry.index,
            )
            for v, disclosure_id, entry in zip(versions, owner, entries, strict=True)
        ],
    )
    return len(entries)


# --- the county -----------------------------------------------------------------------------


def _villages(county: Region) -> list[Region]:
    return list(
        Region.objects.filter(subtree_q("path", [county.path]), level=RegionLevel.VILLAGE)
        .annotate(has_books=Exists(FundAccount.objects.filter(village=OuterRef("pk"))))
        .select_related("parent")
        .order_by("path")
    )


def _facts(villages: Sequence[Region], ordinals: dict[int, int]) -> Iterator[VillageFacts]:
    """Each village's people (two queries for the lot)."""
    ids = [v.pk for v in villages]
    villagers: dict[int, list[str]] = defaultdict(list)
    for region_id, name in (
        Person.objects.filter(region_id__in=ids).order_by("pk").values_list("region_id", "name")
    ):
        villagers[region_id].append(name)
    cadres: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rank = {post: position for position, post in enumerate(Post.values)}
    for village_id, post, name in sorted(
        Term.objects.filter(village_id__in=ids, ended_on__isnull=True).values_list(
            "village_id", "post", "person__name"
        ),
        key=lambda row: (row[0], rank.get(row[1], len(rank)), row[2]),
    ):
        cadres[village_id].append((post, name))
    for village in villages:
        cadre_names = {name for _post, name in cadres[village.pk]}
        yield VillageFacts(
            region=village,
            ordinal=ordinals[village.pk],
            villagers=[n for n in villagers[village.pk] if n not in cadre_names],
            cadres=cadres[village.pk],
            with_books=bool(getattr(village, "has_books", False)),
        )


def _already_published(villages: Sequence[Region]) -> set[int]:
    """Villages that published anything but the monthly list already (a second run skips them)."""
    return set(
        Disclosure.objects.filter(village__in=villages)
        .exclude(item_code=STATEMENT_ITEM)
        .values_list("village_id", flat=True)
        .distinct()
    )


@transaction.atomic
def demo_disclosures_build(
    *,
    county: Region,
    seed: int,
    months: int = DEFAULT_DISCLOSURE_MONTHS,
    writer: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DisclosuresBuild:
    """Publish every village's disclosures over the ``months`` months up to 20 November 2026.

    ``writer``: "services" or "bulk" for every village; by default the first
    ``SERVICES_VILLAGES`` through the services, the others in bulk. Villages that published
    anything besides their monthly lists already are skipped, so a second run
    adds nothing.
    """
    villages = _villages(county)
    if writer not in (None, "services", "bulk"):
        raise ValueError(f"unknown writer {writer!r}")
    build = DisclosuresBuild(writer=writer or "services, then bulk")
    if months <= 0 or not villages:
        return build
    ordinals = {village.pk: position for position, village in enumerate(villages)}
    done = _already_published(villages)
    todo = [v for v in villages if v.pk not in done]
    if not todo:
        return build
    catalogs = catalogs_in_force(todo, DISCLOSURES_AS_OF)
    items_of: dict[int, list[CatalogItem]] = defaultdict(list)
    for item in CatalogItem.objects.filter(
        catalog_id__in={c.pk for c in catalogs.values()}
    ).order_by("order"):
        items_of[item.catalog_id].append(item)
    now = timezone.now()
    counts = build.counts
    written = 0
    through_services = len(todo) if writer == "services" else 0 if writer else SERVICES_VILLAGES
    chunks = [todo[:through_services]] if through_services else []
    chunks += [
        todo[start : start + _BULK_VILLAGES]
        for start in range(through_services, len(todo), _BULK_VILLAGES)
    ]
    for number, chunk in enumerate(chunks):
        services = number == 0 and through_services > 0
        plans: list[DisclosurePlan] = []
        for facts in _facts(chunk, ordinals):
            catalog = catalogs.get(facts.region.pk)
            plans += village_plans(
                facts,
                items_of[catalog.pk] if catalog else [],
                seed=seed,
                months=months,
                now=now,
                planted=build.planted,
            )
        if services:
            # A generated monthly list has no books behind it: no service publishes it.
            generated = [plan for plan in plans if plan.versions[0].statement is not None]
            counts.versions += _write_in_bulk(generated) if generated else 0
            counts.versions += sum(
                _publish_with_services(plan) for plan in plans if plan.versions[0].statement is None
            )
        else:
            counts.versions += _write_in_bulk(plans)
        counts.disclosures += len(plans)
        counts.corrections += sum(len(plan.versions) - 1 for plan in plans)
        counts.statements_generated += sum(
            1 for plan in plans if plan.versions[0].statement is not None
        )
        written += len(chunk)
        if progress is not None:
            progress(written, len(todo))
    counts.villages = len(todo)
    audit_record(
        actor=None,
        verb=DISCLOSURES_BUILT_VERB,
        target=county,
        region_path=county.path,
        data={
            **counts.as_dict(),
            "seed": seed,
            "months": months,
            "writer": build.writer,
            "planted": [asdict(row) for row in build.planted],
        },
    )
    return build
