"""The demo county's mass mailbox: thirteen months of cases in every state, to 20 November 2026.

First the discipline commissions of the first township and of the county get
their sealing keys, made with the published demo passphrase ``DEMO_PASSPHRASE``
(the command prints it under the accounts), so that whoever tries the demo can
read a real-name reporter's sealed name as a commission officer would. Those
keys use the fast key derivation (``kdf="min"``): a slow one protects nothing
when the passphrase is published, and costs about a second a key.

Then every case goes through the services (``appeal_submit``, ``appeal_accept``,
``appeal_answer``, ``appeal_rate``, ``appeal_reopen``, ``appeal_close``,
``appeal_transfer``), each step dated by the demo's calendar (the services'
``now=``), in the order the steps happened across the county; before each step
the daily escalation job runs for every day since its last run
(``appeals_escalate``), so a case left unanswered escalates when it would have.
About sixty-five cases, most in the first township: the numbers are fixed and do
not grow with the county.

Planted in the first village (``PlantedCase`` rows; ``test_appeals`` asserts each):

- questions about lines of its published monthly lists, answered and published
  beside the line (in the log as ``appeal_answer`` records); one answer is
  found wanting, the case reopened and answered again by the township
  commission (a second published version);
- a report naming its party secretary (the ``village`` account's person): only
  the discipline commission sees it, never that account;
- a real-name report: the reporter's name and phone sealed to both keys;
- a complaint escalated for lateness then answered late, and one so overdue it
  escalated twice and is still unanswered;
- a complaint transferred to a body outside the platform;
- ratings of each kind, closed cases, and cases still within their time.

The second village (the ``village2`` account) has a category with fewer than
three cases this year, which its public figures show as "fewer than 3".

Everything is drawn from ``random.Random`` seeded with the demo seed and dated
by the demo's calendar, never by the clock; only receipts, secrets and key pairs
are random by nature (a predictable secret would be no secret).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from qinglian.accounts.models import User
from qinglian.appeals.models import (
    OPEN_STATES,
    Appeal,
    Body,
    Kind,
    Outcome,
    PublishedAnswer,
    Rating,
    SealingKey,
)
from qinglian.appeals.services import (
    appeal_accept,
    appeal_answer,
    appeal_close,
    appeal_rate,
    appeal_reopen,
    appeal_submit,
    appeal_transfer,
    appeals_escalate,
    sealing_key_create,
)
from qinglian.core.audit import audit_record
from qinglian.core.calendar import add_months
from qinglian.directory.models import Person, Post, Region, RegionLevel, Term, subtree_q
from qinglian.disclosures.models import Disclosure, DisclosureVersion
from qinglian.disclosures.selectors import (
    STATEMENT_ITEM,
    statement_line_key,
    statement_line_label,
)

# Published on purpose, like the accounts' password: it opens the demo's fictional reporters.
DEMO_PASSPHRASE = "qinglian-demo-commission"  # noqa: S105
APPEALS_AS_OF = date(2026, 11, 20)  # the demo's "today" (demo.disclosures, demo.finance)
WINDOW_MONTHS = 13
APPEALS_BUILT_VERB = "demo.appeals_built"
_JOB_TIME = time(6, 30)  # when the daily escalation job runs
_LAST_STEP = time(18, 0)  # nothing after the demo's "today" evening


class Planted:
    LINE_QUESTION = "question about a published line"
    REOPENED = "reopened, answered again by the township"
    REPORT_NAMING_CADRE = "report naming the village's party secretary"
    REAL_NAME_REPORT = "real-name report (identity sealed)"
    ESCALATED_LATE = "escalated, then answered late"
    VERY_OVERDUE = "very overdue: escalated twice, unanswered"
    TRANSFERRED = "transferred outside the platform"
    SMALL_COUNTS = "category with fewer than 3 cases (public figures)"


@dataclass(frozen=True)
class Step:
    after_days: float  # from reception
    action: str  # accept, answer, rate, reopen, close, transfer
    text: str = ""
    code: str = ""  # the rating, the outcome, or the body transferred to


@dataclass(frozen=True)
class Line:
    """A line of a published monthly list, as a villager asks about it."""

    disclosure_id: int
    key: str  # the line's row id on the page (disclosures.selectors.statement_line_key)
    label: str
    summary: str
    amount: str
    handler: str


@dataclass(frozen=True)
class CasePlan:
    village: Region
    received_at: datetime
    kind: str
    category: str
    text: str
    steps: tuple[Step, ...] = ()
    line: Line | None = None
    subject_ids: tuple[int, ...] = ()
    identity: tuple[str, str] | None = None  # (name, phone) of a real-name reporter
    planted: str = ""


@dataclass(frozen=True)
class PlantedCase:
    kind: str
    village: str  # code
    receipt: str
    secret: str  # to follow the case as the villager would (printed by the command)


@dataclass(frozen=True)
class SealingKeyRow:
    region: str  # name and code
    fingerprint: str


@dataclass
class AppealsCounts:
    cases: int = 0
    steps: int = 0
    escalations: int = 0
    published_answers: int = 0
    sealing_keys: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@dataclass
class AppealsBuild:
    counts: AppealsCounts = field(default_factory=AppealsCounts)
    by_state: dict[str, int] = field(default_factory=dict)
    planted: list[PlantedCase] = field(default_factory=list)


# --- when -----------------------------------------------------------------------------


def _at(day: date, at: time = time(10, 0)) -> datetime:
    # Asia/Shanghai keeps no summer time: no hour is ambiguous.
    return datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


def window_start(as_of: date = APPEALS_AS_OF) -> date:
    """The first day of the cases' window: thirteen months before the demo's today."""
    return add_months(as_of, -WINDOW_MONTHS).replace(day=as_of.day)


# --- what the first village's villagers ask about ---------------------------------------------


def _statement_lines(village: Region) -> list[tuple[datetime, list[Line]]]:
    """(published at, expense lines) of each of the village's published monthly lists."""
    disclosures = {
        d.pk: d
        for d in Disclosure.objects.filter(
            village=village, item_code=STATEMENT_ITEM, versions_published__gt=0
        )
    }
    latest: dict[int, DisclosureVersion] = {}
    for version in DisclosureVersion.objects.filter(disclosure_id__in=disclosures).order_by(
        "disclosure_id", "number"
    ):
        latest[version.disclosure_id] = version
    found = []
    for disclosure_id, version in latest.items():
        lines = [
            Line(
                disclosure_id=disclosure_id,
                key=statement_line_key(line["voucher"], group["subject"], position),
                label=statement_line_label(line),
                summary=str(line["summary"]),
                amount=str(line["amount"]),
                handler=str(line.get("handler") or ""),
            )
            for group in version.content.get("expense", [])
            for position, line in enumerate(group.get("lines", []), start=1)
        ]
        first = disclosures[disclosure_id].first_published_at
        if lines and first is not None:
            found.append((first, lines))
    return sorted(found, key=lambda entry: entry[0])


def _line_asked(
    statements: Sequence[tuple[datetime, list[Line]]], received: datetime, rng: random.Random
) -> Line | None:
    """A line of the latest list published at least three days before ``received``."""
    earlier = [lines for published, lines in statements if published <= received - timedelta(3)]
    if not earlier:
        return None
    lines = earlier[-1]
    return max(rng.sample(lines, min(3, len(lines))), key=lambda line: float(line.amount))


# --- the plans -------------------------------------------------------------------------


ANSWER_LINE = "这笔{amount}元是{summary}的支出，凭证和发票已经村务监督委员会审核，经手人{handler}。"
REASKED = "村里的答复没有说清楚为什么要花这么多钱，请镇纪委核实。"
REANSWERED = (
    "镇纪委核实：该笔支出经村两委会议和村民代表会议讨论通过，有合同、发票和验收记录，"
    "金额与市场价相符。"
)

# (kind, category, what the villager wrote, the answer)
TEMPLATES: tuple[tuple[str, str, str, str], ...] = (
    (
        Kind.QUESTION,
        "finance",
        "财务公开里的招待费是接待谁的？",
        "为上级检查组工作餐，按标准列支，已附菜单和发票。",
    ),
    (
        Kind.QUESTION,
        "welfare",
        "我家老人今年能不能申请低保？需要什么材料？",
        "请带户口本、身份证和收入证明到村便民服务中心申请，村里协助办理。",
    ),
    (
        Kind.QUESTION,
        "homestead",
        "建房审批现在要走哪些程序？",
        "先向村里提出申请，经村民代表会议讨论、公示后报镇政府审批。",
    ),
    (
        Kind.QUESTION,
        "collective_assets",
        "村里鱼塘承包到什么时候？租金多少？",
        "承包期至2028年底，年租金按合同公开在三资栏目中。",
    ),
    (
        Kind.COMPLAINT,
        "livelihood",
        "村东头路灯坏了一个多月没人修。",
        "已联系电工更换灯具，现已恢复照明。",
    ),
    (
        Kind.COMPLAINT,
        "labour",
        "去年修水渠的工钱还没有发完。",
        "经核对工时，剩余工钱已于本月发放到个人账户。",
    ),
    (
        Kind.COMPLAINT,
        "neighbour_dispute",
        "邻居堆放杂物占了公共通道。",
        "村调解委员会已上门调解，杂物已清理。",
    ),
    (
        Kind.COMPLAINT,
        "project",
        "道路硬化工程质量差，刚修好就开裂。",
        "已通知施工方在保修期内返修，村务监督委员会全程监督。",
    ),
    (
        Kind.SUGGESTION,
        "livelihood",
        "建议在村口增设垃圾分类投放点。",
        "采纳建议，已在村口和小学旁增设两处投放点。",
    ),
    (
        Kind.SUGGESTION,
        "disclosure",
        "建议把财务公开的字体放大，老人看不清。",
        "已调整公开栏排版，并在微信群同步发布。",
    ),
    (
        Kind.REPORT,
        "procurement",
        "村里采购的办公用品价格明显偏高。",
        "经初步核实，已责令村里重新询价并退回差价。",
    ),
)


def _first_village_plans(
    village: Region,
    *,
    statements: Sequence[tuple[datetime, list[Line]]],
    secretary_id: int | None,
    reporter: tuple[str, str],
    rng: random.Random,
) -> list[CasePlan]:
    plans: list[CasePlan] = []

    def line_question(day: date, steps: tuple[Step, ...], planted: str) -> None:
        received = _at(day, time(19, 20))
        line = _line_asked(statements, received, rng)
        text, answer = TEMPLATES[0][2], TEMPLATES[0][3]  # a county without lists: plain
        if line is not None:
            text = f"{line.summary}这笔{line.amount}元是做什么用的？"
            answer = ANSWER_LINE.format(
                amount=line.amount, summary=line.summary, handler=line.handler or "会计"
            )
        plans.append(
            CasePlan(
                village,
                received,
                Kind.QUESTION,
                "finance",
                text,
                tuple(
                    Step(s.after_days, s.action, answer, s.code)
                    if s.action == "answer" and not s.text
                    else s
                    for s in steps
                ),
                line=line,
                planted=planted if line is not None or planted != Planted.LINE_QUESTION else "",
            )
        )

    answer, rate, close = "answer", "rate", "close"
    line_question(
        date(2025, 11, 14),
        (
            Step(3, answer),
            Step(5, rate, code=Rating.SATISFIED),
            Step(6, close, "已答复，村民满意。", Outcome.RESOLVED),
        ),
        Planted.LINE_QUESTION,
    )
    line_question(
        date(2026, 2, 16),
        (Step(2, answer), Step(4, rate, code=Rating.BASICALLY_SATISFIED)),
        Planted.LINE_QUESTION,
    )
    line_question(
        date(2026, 6, 15),
        (
            Step(4, answer),
            Step(6, rate, code=Rating.DISSATISFIED),
            Step(6.1, "reopen", REASKED),
            Step(14, answer, REANSWERED),
            Step(16, rate, code=Rating.BASICALLY_SATISFIED),
            Step(17, close, "镇纪委核实后答复，办结。", Outcome.RESOLVED),
        ),
        Planted.REOPENED,
    )
    line_question(date(2026, 10, 16), (Step(1, answer), Step(3, rate, code=Rating.SATISFIED)), "")
    line_question(date(2026, 11, 17), (), "")  # still within its time
    t = {template[1]: template for template in TEMPLATES}
    plans += [
        CasePlan(
            village,
            _at(date(2025, 12, 3)),
            Kind.COMPLAINT,
            "livelihood",
            t["livelihood"][2],
            (Step(30, answer, t["livelihood"][3]), Step(32, rate, code=Rating.DISSATISFIED)),
            planted=Planted.ESCALATED_LATE,
        ),
        CasePlan(
            village,
            _at(date(2026, 8, 20)),
            Kind.COMPLAINT,
            "labour",
            "村里公益岗位的补贴三个月没有发，找了几次都说再等等。",
            planted=Planted.VERY_OVERDUE,
        ),
        CasePlan(
            village,
            _at(date(2026, 3, 10)),
            Kind.COMPLAINT,
            "land_dispute",
            "邻村占用我们组的耕地建养殖棚。",
            (Step(4, "transfer", "涉及跨村土地权属，依法由镇政府处理。", "镇综合行政执法队"),),
            planted=Planted.TRANSFERRED,
        ),
        CasePlan(
            village,
            _at(date(2026, 4, 8)),
            Kind.SUGGESTION,
            "livelihood",
            "建议在村口增设垃圾分类投放点。",
            (
                Step(5, answer, "采纳建议，已增设两处投放点。"),
                Step(6, close, "建议已落实。", Outcome.RESOLVED),
                Step(7, rate, code=Rating.SATISFIED),
            ),
        ),
        CasePlan(
            village,
            _at(date(2026, 9, 1)),
            Kind.SUGGESTION,
            "disclosure",
            "建议把财务公开的字体放大，老人看不清。",
            (
                Step(9, answer, "已调整公开栏排版。"),
                Step(11, rate, code=Rating.BASICALLY_SATISFIED),
            ),
        ),
        CasePlan(
            village,
            _at(date(2026, 10, 25)),
            Kind.COMPLAINT,
            "disclosure",
            "第三季度党员活动情况公开晚了，十月二十日就该公开。",
            (
                Step(3, answer, "确实晚了九天，已补充公开并向镇党委说明原因。"),
                Step(4, rate, code=Rating.SATISFIED),
            ),
        ),
        CasePlan(
            village,
            _at(date(2026, 1, 12)),
            Kind.QUESTION,
            "welfare",
            t["welfare"][2],
            (
                Step(6, answer, t["welfare"][3]),
                Step(7, rate, code=Rating.SATISFIED),
                Step(8, close, "已告知办理流程。", Outcome.RESOLVED),
            ),
        ),
        CasePlan(
            village,
            _at(date(2025, 10, 28)),
            Kind.COMPLAINT,
            "neighbour_dispute",
            t["neighbour_dispute"][2],
            (
                Step(8, answer, t["neighbour_dispute"][3]),
                Step(9, close, "调解成功。", Outcome.RESOLVED),
            ),
        ),
        CasePlan(
            village,
            _at(date(2026, 7, 6), time(21, 5)),
            Kind.REPORT,
            "relatives_conflict",
            "村书记把村里的保洁工程交给他小舅子的公司做，没有公开招标。",
            (
                Step(4, "accept", "已受理，镇纪委将进行初步核实。"),
                Step(
                    60,
                    close,
                    "经初步核实，该工程未按规定比选，已对村书记进行谈话提醒并责令整改。",
                    Outcome.RESOLVED,
                ),
            ),
            subject_ids=(secretary_id,) if secretary_id is not None else (),
            planted=Planted.REPORT_NAMING_CADRE,
        ),
        CasePlan(
            village,
            _at(date(2026, 10, 12), time(8, 40)),
            Kind.REPORT,
            "procurement",
            "村里采购的办公用品价格明显偏高，发票和实物对不上。",
            (Step(6, "accept", "已受理，我们会对您的身份严格保密。"),),
            identity=reporter,
            planted=Planted.REAL_NAME_REPORT,
        ),
    ]
    return plans


def _second_village_plans(village: Region) -> list[CasePlan]:
    """Three finance questions and two cases of other categories this year: the public
    figures show finance 3 and "fewer than 3" for the rest."""
    question = "上个月的财务公开里，办公费支出是买了什么？"
    answered = "购买打印纸和墨盒，发票已公开。"
    plans = [
        CasePlan(
            village,
            _at(day),
            Kind.QUESTION,
            "finance",
            question,
            (Step(days, "answer", answered), *rating),
        )
        for day, days, rating in (
            (date(2026, 3, 11), 2, (Step(3, "rate", code=Rating.SATISFIED),)),
            (date(2026, 5, 19), 4, ()),
            (date(2026, 8, 4), 25, (Step(26, "rate", code=Rating.DISSATISFIED),)),
        )
    ]
    plans += [
        CasePlan(
            village,
            _at(date(2026, 6, 2)),
            Kind.QUESTION,
            "welfare",
            "残疾人补贴今年什么时候发？",
            (Step(3, "answer", "按季度发放，下月初到账。"),),
            planted=Planted.SMALL_COUNTS,
        ),
        CasePlan(
            village,
            _at(date(2026, 9, 14)),
            Kind.COMPLAINT,
            "livelihood",
            "自来水经常停，也不提前通知。",
            (Step(5, "answer", "已要求供水站停水前一天在村群通知。"),),
        ),
    ]
    return plans


def _other_village_plans(
    village: Region, *, cases: int, start: date, rng: random.Random
) -> list[CasePlan]:
    """A few ordinary cases at random over the window: mostly answered in time."""
    plans: list[CasePlan] = []
    span = (APPEALS_AS_OF - start).days
    for _ in range(cases):
        kind, category, text, answer = TEMPLATES[rng.randrange(len(TEMPLATES))]
        received = _at(start + timedelta(days=rng.randrange(span)), time(rng.randint(7, 21)))
        age = (_at(APPEALS_AS_OF) - received).days
        luck = rng.random()
        steps: list[Step] = []
        if kind == Kind.REPORT:
            steps = [Step(rng.randint(3, 8), "accept", "已受理。")]
            if age > 50:
                steps.append(Step(rng.randint(30, 50), "close", answer, Outcome.RESOLVED))
        elif luck < 0.12 and age < 12:
            steps = []  # still within its time
        else:
            days = rng.randint(1, 9) if luck < 0.85 else rng.randint(24, 35)
            steps = [Step(days, "answer", answer)]
            if rng.random() < 0.65:
                rating = rng.choices(Rating.values, weights=(55, 30, 15))[0]
                steps.append(Step(days + rng.randint(1, 4), "rate", code=rating))
            if rng.random() < 0.4:
                steps.append(Step(days + 5, "close", "已办结。", Outcome.RESOLVED))
        plans.append(CasePlan(village, received, kind, category, text, tuple(steps)))
    return plans


# --- writing ----------------------------------------------------------------------------


def _accounts() -> dict[str, User]:
    return {
        user.username: user
        for user in User.objects.filter(username__in=("village", "village2", "township", "county"))
    }


def _reporter(village: Region) -> tuple[str, str]:
    """A villager of ``village`` who holds no post, with their phone (or a made-up one)."""
    cadres = Term.objects.filter(village=village).values("person_id")
    person = (
        Person.objects.filter(region=village)
        .exclude(pk__in=cadres)
        .exclude(phone="")
        .order_by("pk")
        .first()
    )
    if person is None:
        return "李春花", "13800001234"
    return person.name, person.phone


def _secretary(village: Region, accounts: dict[str, User]) -> int | None:
    """The person of the ``village`` account, else the village's party secretary or head."""
    user = accounts.get("village")
    if user is not None and user.person_id is not None:
        return user.person_id
    term = (
        Term.objects.filter(
            village=village,
            ended_on__isnull=True,
            post__in=(Post.DUAL_HEAD, Post.PARTY_SECRETARY),
        )
        .order_by("pk")
        .first()
    )
    return term.person_id if term is not None else None


def _next_escalation_day(cases: Iterable[Appeal], *, after: date) -> date | None:
    """The first day after ``after`` on which the daily job would escalate one of ``cases``:
    the day after its due date (after its very-overdue date once escalated). The job
    changes nothing on the other days, so the demo runs it on these only."""
    days = [
        day + timedelta(days=1)
        for case in cases
        if case.state in OPEN_STATES
        and case.escalation_level < 2
        and (day := case.very_overdue_on if case.escalation_level else case.due_on) is not None
    ]
    return min((day for day in days if day > after), default=None)


def _run(
    plans: Sequence[CasePlan], *, handlers: dict[tuple[str, int], User], build: AppealsBuild
) -> None:
    """Every case's submission and steps in the order they happened; the daily job between.

    ``cases`` keeps each case as the last service returned it (and as the escalation job
    left it, read back after it escalated something), so choosing who acts and when the
    job has work costs no query.
    """
    last = _at(APPEALS_AS_OF, _LAST_STEP)
    cases: dict[int, Appeal] = {}  # by plan index
    secrets: dict[int, tuple[str, str]] = {}
    events: list[tuple[datetime, int, int, Callable[[], None]]] = []

    def submit(index: int, plan: CasePlan) -> Callable[[], None]:
        def run() -> None:
            submitted = appeal_submit(
                village=plan.village,
                kind=plan.kind,
                category=plan.category,
                text=plan.text,
                subject_ids=plan.subject_ids,
                disclosure_id=plan.line.disclosure_id if plan.line else None,
                line_key=plan.line.key if plan.line else "",
                line_label=plan.line.label if plan.line else "",
                name=plan.identity[0] if plan.identity else "",
                phone=plan.identity[1] if plan.identity else "",
                now=plan.received_at,
            )
            cases[index] = submitted.appeal
            secrets[index] = (submitted.receipt, submitted.secret)

        return run

    def step(index: int, item: Step, at: datetime) -> Callable[[], None]:
        def run() -> None:
            appeal = cases[index]
            # The village's account, or the commission the case is with (None: no account).
            actor = handlers.get((appeal.body, appeal.assigned_region_id))
            if item.action == "accept":
                appeal = appeal_accept(actor=actor, appeal=appeal, text=item.text, now=at)
            elif item.action == "answer":
                appeal = appeal_answer(actor=actor, appeal=appeal, text=item.text, now=at)
            elif item.action == "rate":
                appeal = appeal_rate(appeal=appeal, rating=item.code, now=at)
            elif item.action == "reopen":
                appeal = appeal_reopen(appeal=appeal, text=item.text, now=at)
            elif item.action == "close":
                appeal = appeal_close(
                    actor=actor, appeal=appeal, outcome=item.code, text=item.text, now=at
                )
            elif item.action == "transfer":
                appeal = appeal_transfer(
                    actor=actor, appeal=appeal, to=item.code, reason=item.text, now=at
                )
            else:
                raise ValueError(f"unknown step {item.action!r}")
            cases[index] = appeal
            build.counts.steps += 1

        return run

    for index, plan in enumerate(plans):
        events.append((plan.received_at, index, 0, submit(index, plan)))
        for order, item in enumerate(plan.steps, start=1):
            at = plan.received_at + timedelta(days=item.after_days)
            if at <= last:
                events.append((at, index, order, step(index, item, at)))
    events.sort(key=lambda event: event[:3])
    ran = date.min  # the last day the daily job ran
    for at, _index, _order, run in [*events, (last, -1, 0, lambda: None)]:
        # The daily job, on each day before this step on which a case could escalate.
        while (day := _next_escalation_day(cases.values(), after=ran)) is not None and _at(
            day, _JOB_TIME
        ) <= at:
            escalated = appeals_escalate(day, now=_at(day, _JOB_TIME))
            if escalated:
                build.counts.escalations += escalated
                fresh = Appeal.objects.in_bulk([case.pk for case in cases.values()])
                cases.update({index: fresh[case.pk] for index, case in cases.items()})
            ran = day
        run()
    build.counts.cases = len(cases)
    for index, plan in enumerate(plans):
        if plan.planted:
            receipt, secret = secrets[index]
            build.planted.append(PlantedCase(plan.planted, plan.village.code, receipt, secret))


def _villages(county: Region) -> list[Region]:
    return list(
        Region.objects.filter(subtree_q("path", [county.path]), level=RegionLevel.VILLAGE)
        .select_related("parent")
        .order_by("path")
    )


@transaction.atomic
def demo_appeals_build(*, county: Region, seed: int) -> AppealsBuild:
    """The commissions' keys and the county's cases; nothing when the county has cases
    or keys already (a second run adds nothing)."""
    build = AppealsBuild()
    area = subtree_q("village_path", [county.path])
    keyed = SealingKey.objects.filter(subtree_q("region__path", [county.path])).exists()
    villages = _villages(county)
    if keyed or Appeal.objects.filter(area).exists() or len(villages) < 2:
        return build
    rng = random.Random(f"qinglian-demo:{seed}:appeals")
    first, second = villages[0], villages[1]
    first_town = first.parent
    assert first_town is not None
    accounts = _accounts()
    for region, owner in ((first_town, "township"), (county, "county")):
        sealing_key_create(
            actor=accounts.get(owner), region=region, passphrase=DEMO_PASSPHRASE, kdf="min"
        )
        build.counts.sealing_keys += 1
    plans = _first_village_plans(
        first,
        statements=_statement_lines(first),
        secretary_id=_secretary(first, accounts),
        reporter=_reporter(first),
        rng=rng,
    )
    plans += _second_village_plans(second)
    start = window_start()
    for village in villages[2:]:
        in_first_town = village.parent_id == first_town.pk
        plans += _other_village_plans(
            village,
            cases=rng.randint(5, 7) if in_first_town else rng.randint(2, 3),
            start=start,
            rng=rng,
        )
        if len(plans) >= 80:  # a large county: the figures need no more
            break
    handlers: dict[tuple[str, int], User] = {
        (str(body), region.pk): accounts[username]
        for body, region, username in (
            (Body.VILLAGE, first, "village"),
            (Body.VILLAGE, second, "village2"),
            (Body.COMMISSION, first_town, "township"),
            (Body.COMMISSION, county, "county"),
        )
        if username in accounts
    }
    _run(plans, handlers=handlers, build=build)
    cases = Appeal.objects.filter(area)
    build.by_state = dict(Counter(cases.values_list("state", flat=True)))
    build.counts.published_answers = PublishedAnswer.objects.filter(appeal__in=cases).count()
    audit_record(
        actor=None,
        verb=APPEALS_BUILT_VERB,
        target=county,
        region_path=county.path,
        data={
            **build.counts.as_dict(),
            "seed": seed,
            "by_state": build.by_state,
            "planted": [row.kind for row in build.planted],
        },
    )
    return build


def demo_sealing_keys() -> list[SealingKeyRow]:
    """The demo county's commission keys in use, county first."""
    from qinglian.demo.layout import COUNTY_CODE

    county = Region.objects.filter(code=COUNTY_CODE).first()
    if county is None:
        return []
    keys = SealingKey.objects.filter(
        subtree_q("region__path", [county.path]), retired_at__isnull=True
    ).select_related("region")
    return [
        SealingKeyRow(f"{key.region.name} {key.region.code}", key.fingerprint)
        for key in keys.order_by("region__path")
    ]
