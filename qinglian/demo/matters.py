"""The demo county's power-list matters: every state, and a few that broke a rule.

In the first village (the one ``demo.meetings`` uses), recorded by the ``village``
account:

- P01 2026年村道硬化工程 (380,000 yuan), finished cleanly in November: all ten
  steps, the supervision committee's review taken, so its resolution (VA06) and
  result (VA07) drafts wait for the committee (as do the other resolutions');
- P07 村文化礼堂修缮, decided: every step up to the resolution's publication;
- P01 村集体冷库建设, open: its plan on the notice board until 20 November;
- P05 2026年村干部误工补贴标准调整, not passed: the representatives voted it down;
- P01 村小学围墙维修, which skipped the party members' meeting: the resolution and
  its publication recorded as exceptions with their reasons, the first reviewed by
  the ``supervisor`` account, the second still open (the workbench's notice);
- P11 村委会办公电脑采购, bought on two quotes (an exception, open), then finished;
- P23 村民建房宅基地申请, its list up 15 working days by the official calendar
  (across National Day), waiting for the township.

In the next villages of the first township, a purchase carried through, a project
and a square under way (none of which makes a disclosure), so the township's matters
page lists several villages.

Everything goes through ``powers.services``, dated by the demo's calendar (all in
2026, none after 20 November); nothing when the county has matters already (a
second run adds nothing).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from qinglian.accounts.models import User
from qinglian.core.calendar import add_working_days
from qinglian.directory.models import Region, RegionLevel, subtree_q
from qinglian.powers.models import Matter, MatterState, Origin, ProcurementMode, StepRecord
from qinglian.powers.procedure import Evidence
from qinglian.powers.services import exception_review, matter_start, step_record

TWO_COMMITTEES = 7
PARTY_MEMBERS = 30
REPRESENTATIVES = 35
VILLAGER_GROUP = 24
OTHER_VILLAGES = 3  # after the first, in the first township


@dataclass
class MattersBuild:
    open: int = 0
    decided: int = 0
    finished: int = 0
    rejected: int = 0
    exceptions: int = 0  # step records kept with problems
    reviewed: int = 0  # of those, reviewed by the supervision committee


@dataclass
class _Recorder:
    """Records the steps of one matter as one actor, drawing attendance from ``rng``."""

    matter: Matter
    actor: Any
    rng: random.Random

    def step(
        self,
        number: int,
        held_on: date,
        content: str = "",
        *,
        explanation: str = "",
        **evidence: Any,
    ) -> StepRecord:
        return step_record(
            actor=self.actor,
            matter=self.matter,
            evidence=Evidence(number=number, held_on=held_on, **evidence),
            content=content,
            as_exception=bool(explanation),
            explanation=explanation,
        )

    def meeting(self, expected: int, *, against: int = 0, abstain: int = 0) -> dict[str, Any]:
        """A meeting of ``expected`` members with its quorum (at least three quarters came)."""
        present = self.rng.randint(-(-expected * 3 // 4), expected)
        return {
            "expected": expected,
            "present": present,
            "votes_for": present - against - abstain,
            "votes_against": against,
            "votes_abstain": abstain,
        }

    def notice(self, number: int, start: date, days: int, content: str = "") -> StepRecord:
        end = start + timedelta(days=days - 1)
        return self.step(number, start, content, publicity_start=start, publicity_end=end)


def _villages(county: Region) -> list[Region]:
    """The first township's villages, the first (``demo.meetings``'s) first."""
    township = (
        Region.objects.filter(subtree_q("path", [county.path]), level=RegionLevel.TOWNSHIP)
        .order_by("path")
        .first()
    )
    if township is None:
        return []
    return list(
        Region.objects.filter(
            subtree_q("path", [township.path]), level=RegionLevel.VILLAGE
        ).order_by("path")[: 1 + OTHER_VILLAGES]
    )


def _start(
    actor: Any, village: Region, code: str, title: str, on: date, amount: int | None = None
) -> Matter:
    return matter_start(
        actor=actor,
        village=village,
        item_code=code,
        title=title,
        origin=Origin.CADRES if code != "P23" else Origin.VILLAGERS,
        started_on=on,
        amount=Decimal(amount) if amount is not None else None,
    )


def _project(
    actor: Any, village: Region, rng: random.Random, title: str, start: date, *, decided: bool
) -> Matter:
    """P07 up to the two committees (open) or to the resolution's publication (decided)."""
    matter = _start(actor, village, "P07", title, start, 150_000)
    r = _Recorder(matter, actor, rng)
    r.step(1, start, "党支部提议立项。")
    r.step(2, start + timedelta(days=2), "两委会议商议，同意立项。", **r.meeting(TWO_COMMITTEES))
    if decided:
        r.step(4, start + timedelta(days=9), "党员大会审议通过。", **r.meeting(PARTY_MEMBERS))
        r.step(
            5,
            start + timedelta(days=13),
            "同意立项，预算15万元。",
            **r.meeting(REPRESENTATIVES, against=1),
        )
        r.notice(6, start + timedelta(days=14), 3, "决议公开。")
    return matter


def _first_village(village: Region, actor: Any, reviewer: Any, rng: random.Random) -> None:
    # Finished cleanly, the road done in November: its resolution and result are drafts
    # the supervision committee has yet to sign (the result due, not overdue).
    road = _start(actor, village, "P01", "2026年村道硬化工程", date(2026, 7, 6), 380_000)
    r = _Recorder(road, actor, rng)
    r.step(1, date(2026, 7, 6), "党支部提议实施村道硬化，全长2.1公里，宽4.5米。")
    r.step(2, date(2026, 7, 9), "两委会议商议方案，同意提交审议。", **r.meeting(TWO_COMMITTEES))
    r.step(3, date(2026, 7, 10), "村务监督委员会审核方案和预算，无异议。")
    r.notice(4, date(2026, 7, 13), 15, "方案在村务公开栏公示。")
    r.step(5, date(2026, 7, 31), "党员大会审议通过。", **r.meeting(PARTY_MEMBERS, abstain=1))
    r.step(
        6,
        date(2026, 8, 4),
        "同意实施村道硬化工程，预算38万元，由村委会组织公开招标。",
        **r.meeting(REPRESENTATIVES, against=2, abstain=1),
    )
    r.notice(7, date(2026, 8, 5), 3, "决议在村务公开栏公开。")
    r.step(8, date(2026, 8, 17), "公开招标确定施工单位，签订合同后开工。")
    r.step(9, date(2026, 11, 18), "已完工，验收合格，决算37.6万元。")
    r.step(10, date(2026, 11, 19), "会议记录、合同、验收单归档。")

    _project(actor, village, rng, "村文化礼堂修缮", date(2026, 7, 1), decided=True)

    # Open: the plan on the notice board until the demo's "today".
    cold_store = _start(actor, village, "P01", "村集体冷库建设", date(2026, 10, 20), 220_000)
    r = _Recorder(cold_store, actor, rng)
    r.step(1, date(2026, 10, 20), "党支部提议建设村集体冷库，发展果蔬保鲜。")
    r.step(2, date(2026, 10, 28), "两委会议商议方案。", **r.meeting(TWO_COMMITTEES))
    r.step(3, date(2026, 11, 3), "村务监督委员会审核方案。")
    r.notice(4, date(2026, 11, 6), 15, "方案在村务公开栏和各村民小组公示。")

    # Not passed: the representatives voted the allowance down.
    allowance = _start(actor, village, "P05", "2026年村干部误工补贴标准调整", date(2026, 5, 6))
    r = _Recorder(allowance, actor, rng)
    r.step(1, date(2026, 5, 6), "党支部提议调整误工补贴标准。")
    r.step(2, date(2026, 5, 8), "两委会议商议。", **r.meeting(TWO_COMMITTEES, against=2))
    r.step(
        3,
        date(2026, 5, 15),
        "调整误工补贴标准的提议未获通过。",
        expected=REPRESENTATIVES,
        present=27,
        votes_for=12,
        votes_against=11,
        votes_abstain=4,
    )

    # The party members' meeting skipped: what came after is kept as exceptions.
    wall = _start(actor, village, "P01", "村小学围墙维修", date(2026, 8, 3), 160_000)
    r = _Recorder(wall, actor, rng)
    r.step(1, date(2026, 8, 3), "党支部提议维修村小学围墙。")
    r.step(2, date(2026, 8, 5), "两委会议商议方案。", **r.meeting(TWO_COMMITTEES))
    r.notice(4, date(2026, 8, 7), 15, "方案在村务公开栏公示。")
    resolved = r.step(
        6,
        date(2026, 8, 25),
        "同意维修村小学围墙，预算16万元。",
        explanation="开学前须完工，党员多在外务工，未召开党员大会，直接提交村民代表会议。",
        **r.meeting(REPRESENTATIVES, against=1),
    )
    r.step(
        7,
        date(2026, 8, 26),
        "决议公开。",
        explanation="同上，党员大会未召开。",
        publicity_start=date(2026, 8, 26),
        publicity_end=date(2026, 8, 28),
    )
    exception_review(
        actor=reviewer,
        record=resolved,
        comment="未经党员大会审议，程序不完整。要求补开党员大会并公开会议记录。",
    )

    # Bought on two quotes: an exception, then carried through.
    computers = _start(actor, village, "P11", "村委会办公电脑采购", date(2026, 6, 1), 12_000)
    r = _Recorder(computers, actor, rng)
    r.step(1, date(2026, 6, 1), "村委会申请采购办公电脑三台。")
    r.step(2, date(2026, 6, 3), "两委会议商议，同意采购。", **r.meeting(TWO_COMMITTEES))
    r.step(
        3,
        date(2026, 6, 8),
        "两家供应商报价，选定报价较低的一家。",
        explanation="询价三家，一家未在期限内报价。",
        procurement_mode=ProcurementMode.QUOTES,
        quotes=2,
    )
    r.step(4, date(2026, 6, 10), "村务监督委员会审核报价单。")
    r.step(5, date(2026, 6, 12), "签订采购合同。")
    r.step(6, date(2026, 6, 15), "登记固定资产。")
    r.step(7, date(2026, 6, 18), "村主任、监委会主任联签。")
    r.step(8, date(2026, 6, 22), "记账报销。")
    r.notice(9, date(2026, 6, 30), 3, "采购结果随6月财务公开。")

    # The villager group's list up 15 working days by the official calendar.
    homestead = _start(actor, village, "P23", "村民建房宅基地申请", date(2026, 9, 14))
    r = _Recorder(homestead, actor, rng)
    r.step(1, date(2026, 9, 14), "村民提交宅基地建房申请。")
    r.step(2, date(2026, 9, 18), "村民小组会议讨论同意。", **r.meeting(VILLAGER_GROUP))
    list_from = date(2026, 9, 21)
    list_until = add_working_days(list_from, 15)  # a working day more than the 15 needed
    r.step(
        3,
        list_from,
        "申请人、用地面积和位置在村民小组现场公示。",
        publicity_start=list_from,
        publicity_end=list_until,
    )
    r.step(
        4, list_until + timedelta(days=3), "两委会议审查，同意上报。", **r.meeting(TWO_COMMITTEES)
    )


def _other_village(index: int, village: Region, actor: Any, rng: random.Random) -> None:
    """A purchase carried through, or a project or a plan under way: matters that make no
    disclosure, so these villages' calendars stay as ``demo.disclosures`` left them."""
    if index % 3 == 0:
        purchase = _start(actor, village, "P11", "村卫生室设备采购", date(2026, 4, 7), 9_600)
        r = _Recorder(purchase, actor, rng)
        r.step(1, date(2026, 4, 7), "村卫生室申请采购血压计、体温计等设备。")
        r.step(2, date(2026, 4, 9), "两委会议商议，同意采购。", **r.meeting(TWO_COMMITTEES))
        r.step(
            3,
            date(2026, 4, 16),
            "三家供应商报价，选定最低价。",
            procurement_mode=ProcurementMode.QUOTES,
            quotes=3,
        )
        r.step(4, date(2026, 4, 17), "村务监督委员会审核报价单。")
        r.step(5, date(2026, 4, 20), "签订采购合同。")
        r.step(6, date(2026, 4, 27), "登记固定资产。")
        r.step(7, date(2026, 4, 28), "村主任、监委会主任联签。")
        r.step(8, date(2026, 4, 30), "记账报销。")
        r.notice(9, date(2026, 5, 8), 3, "采购结果随4月财务公开。")
    elif index % 3 == 1:
        _project(
            actor, village, rng, f"{village.name}农田灌溉渠改造", date(2026, 9, 7), decided=False
        )
    else:
        square = _start(
            actor, village, "P01", f"{village.name}文化广场建设", date(2026, 10, 12), 260_000
        )
        r = _Recorder(square, actor, rng)
        r.step(1, date(2026, 10, 12), "党支部提议建设村文化广场。")
        r.step(2, date(2026, 10, 15), "两委会议商议方案。", **r.meeting(TWO_COMMITTEES))
        r.notice(4, date(2026, 10, 19), 15, "方案在村务公开栏公示。")


@transaction.atomic
def demo_matters_build(*, county: Region, seed: int) -> MattersBuild:
    build = MattersBuild()
    villages = _villages(county)
    # The books' road works (demo.finance, P07 from March 2025) are matters too; a
    # county whose first village has a matter of 2026 has been built already.
    if not villages or Matter.objects.filter(village=villages[0], started_on__year=2026).exists():
        return build
    rng = random.Random(f"qinglian-demo:{seed}:matters")
    accounts = {
        user.username: user
        for user in User.objects.filter(username__in=("village", "village2", "supervisor"))
    }
    _first_village(villages[0], accounts.get("village"), accounts.get("supervisor"), rng)
    for index, village in enumerate(villages[1:]):
        _other_village(index, village, accounts.get("village2") if index == 0 else None, rng)
    matters = Matter.objects.filter(village__in=villages)
    states = {state: matters.filter(state=state).count() for state in MatterState.values}
    build.open = states[MatterState.OPEN]
    build.decided = states[MatterState.DECIDED]
    build.finished = states[MatterState.FINISHED]
    build.rejected = states[MatterState.REJECTED]
    exceptions = StepRecord.objects.filter(matter__in=matters).exclude(problems=[])
    build.exceptions = exceptions.count()
    build.reviewed = exceptions.filter(review__isnull=False).count()
    return build
