"""Every URL pattern, requested as every persona, answers as the matrix says.

The matrix below names each non-admin route with its method, its arguments and
the expected status per persona. Admin routes are derived from the registered
ModelAdmins by rule (see ``admin_expectation``). A route that is in neither
fails ``test_every_route_is_in_the_matrix``: a new URL cannot ship untested.

Objects used as arguments all lie in village A1 (上塘村), so personas outside
it (village2, outsider) must be refused with 404, never 403.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from conftest import Tree, client_for, make_user
from qinglian.appeals.models import DeadlineRule
from qinglian.appeals.services import Upload, appeal_submit
from qinglian.appeals.tests.helpers import PASSPHRASE, commission_keys, in_office
from qinglian.core.audit import audit_record
from qinglian.directory.factories import PersonFactory, make_id_number
from qinglian.directory.models import Company, Household, Term
from qinglian.disclosures.services import (
    catalog_adopt,
    disclosure_open,
    draft_attach,
    draft_publish,
    draft_review,
    draft_submit,
    draft_write,
)
from qinglian.finance import factories as finance_factories
from qinglian.finance.drafts import ImportSource
from qinglian.finance.models import Threshold
from qinglian.finance.services import ledger_import_refused, voucher_attach, voucher_record
from qinglian.finance.tests.ledger_helpers import cash_and_bank, receipt
from qinglian.meetings.services import (
    appraisal_record,
    commitment_make,
    meeting_create,
    report_write,
)
from qinglian.powers.procedure import Evidence
from qinglian.powers.services import matter_start, power_list_adopt, step_record
from qinglian.transparency.records import cadre_term_content
from qinglian.transparency.services import log_append

PERSONAS = [
    "anonymous",
    "nobody",
    "admin",
    "county",
    "township",
    "village",
    "village2",
    "supervisor",
    "outsider",
]
LOGGED_IN = [p for p in PERSONAS if p != "anonymous"]
A1_READERS = {"admin", "county", "township", "village", "supervisor"}


def statuses(default: int, **by_persona: int) -> dict[str, int]:
    return {persona: by_persona.get(persona, default) for persona in PERSONAS}


def staff_page_in_a1() -> dict[str, int]:
    """A workbench page about village A1: login first, then scope (404 outside)."""
    return {
        persona: 302 if persona == "anonymous" else 200 if persona in A1_READERS else 404
        for persona in PERSONAS
    }


def staff_api_in_a1() -> dict[str, int]:
    return {
        persona: 401 if persona == "anonymous" else 200 if persona in A1_READERS else 404
        for persona in PERSONAS
    }


def village_case_in_a1(allowed: int) -> dict[str, int]:
    """A case village A1 handles: its handlers, its committee and the commissions above.

    Not the operator: operators do not read cases."""
    return statuses(
        404, anonymous=302, county=allowed, township=allowed, village=allowed, supervisor=allowed
    )


def commission_case_in_a1(allowed: int) -> dict[str, int]:
    """A report naming A1's cadre: the township and county commissions only (the cadre is
    recused; nobody else in the village, nor the operator, sees a commission's case)."""
    return statuses(404, anonymous=302, county=allowed, township=allowed)


def meeting_writers(allowed: int) -> dict[str, int]:
    """A change to A1's sunshine meetings: its cadres and supervision committee, and the
    township and county staff above; not the operator."""
    return statuses(
        404, anonymous=302, county=allowed, township=allowed, village=allowed, supervisor=allowed
    )


def meeting_writers_api(allowed: int) -> dict[str, int]:
    """The same writers through the API: 401 without login, 404 for the others."""
    return {**meeting_writers(allowed), "anonymous": 401}


@dataclass
class Route:
    expect: dict[str, int]
    method: str = "get"
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = lambda objects: {}
    body: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    json_body: bool = False
    query: dict[str, str] = field(default_factory=dict)


def village_handling(body: dict[str, str]) -> Route:
    """An action on village A1's question: its handlers and the commissions above act;
    its supervision committee sees the case but may not act (403)."""
    return Route(
        statuses(404, anonymous=302, county=302, township=302, village=302, supervisor=403),
        method="post",
        kwargs=lambda o: {"pk": o["appeal_question"].pk},
        body=lambda o: body,
    )


MATRIX: dict[str, Route] = {
    "home": Route(statuses(200)),
    "healthz": Route(statuses(200)),
    "set_language": Route(statuses(302), method="post", body=lambda o: {"language": "en"}),
    "accounts:login": Route(statuses(302, anonymous=200)),
    "accounts:logout": Route(statuses(302), method="post"),
    "workbench:home": Route(statuses(200, anonymous=302)),
    "workbench:region_detail": Route(
        staff_page_in_a1(), kwargs=lambda o: {"code": o["village"].code}
    ),
    "workbench:people_list": Route(
        staff_page_in_a1(), kwargs=lambda o: {"code": o["village"].code}
    ),
    "workbench:person_detail": Route(staff_page_in_a1(), kwargs=lambda o: {"pk": o["person"].pk}),
    "workbench:person_new": Route(statuses(200, anonymous=302, nobody=404)),
    "disclosures:village_page": Route(statuses(200), kwargs=lambda o: {"code": o["village"].code}),
    "disclosures:search": Route(statuses(200), kwargs=lambda o: {"code": o["village"].code}),
    "disclosures:category": Route(
        statuses(200), kwargs=lambda o: {"code": o["village"].code, "category": "village"}
    ),
    "disclosures:disclosure": Route(
        statuses(200),
        kwargs=lambda o: {
            "code": o["village"].code,
            "pk": o["by_label"]["disclosures.disclosure"].pk,
        },
    ),
    # A published version's attachment is public; a draft's stays with the staff.
    "disclosures:attachment": Route(
        statuses(200),
        kwargs=lambda o: {"code": o["village"].code, "pk": o["published_attachment"].pk},
    ),
    # The mailbox's villager pages are public; a case opens only to the browser that gave
    # its receipt and secret (no one here has): the others are sent to the tracking form.
    "appeals:ask": Route(statuses(200), kwargs=lambda o: {"code": o["village"].code}),
    "appeals:track": Route(statuses(200)),
    "appeals:forget": Route(statuses(302), method="post"),
    "appeals:case": Route(statuses(302), kwargs=lambda o: {"pk": o["appeal"].pk}),
    **{
        f"appeals:{action}": Route(
            statuses(302),
            method="post",
            kwargs=lambda o: {"pk": o["appeal"].pk},
            body=lambda o: {"text": "矩阵里的回复", "rating": "satisfied"},
        )
        for action in ("case_write", "case_rate", "case_reopen")
    },
    "disclosures_work:village": Route(
        staff_page_in_a1(), kwargs=lambda o: {"code": o["village"].code}
    ),
    "disclosures_work:draft_new": Route(
        statuses(404, anonymous=302, admin=200, village=200),
        kwargs=lambda o: {"code": o["village"].code},
    ),
    "disclosures_work:draft": Route(staff_page_in_a1(), kwargs=lambda o: {"pk": o["draft"].pk}),
    "disclosures_work:attachment": Route(
        staff_page_in_a1(), kwargs=lambda o: {"pk": o["draft_attachment"].pk}
    ),
    # Those who prepare the village's disclosures write, attach, send and publish.
    **{
        f"disclosures_work:{action}": Route(
            statuses(404, anonymous=302, admin=302, village=302),
            method="post",
            kwargs=lambda o: {"pk": o["draft"].pk},
        )
        for action in ("draft_rewrite", "draft_attach", "draft_submit", "draft_publish")
    },
    # Only the supervision committee reviews.
    "disclosures_work:draft_review": Route(
        statuses(404, anonymous=302, supervisor=302),
        method="post",
        kwargs=lambda o: {"pk": o["draft"].pk},
    ),
    # The village's code and its printable sign are as public as its page.
    **{
        f"disclosures:{name}": Route(statuses(200), kwargs=lambda o: {"code": o["village"].code})
        for name in ("village_qr_svg", "village_qr_png", "village_sign")
    },
    # All signs of A1's township in one PDF: staff over that township or above it only.
    "disclosures_work:township_signs": Route(
        statuses(404, anonymous=302, admin=200, county=200, township=200),
        kwargs=lambda o: {"code": o["village"].parent.code},
    ),
    # Timeliness of A1's township, page and workbook: staff over the township or above it
    # (a village's own staff reach their village's, not the township's).
    **{
        f"disclosures_work:{name}": Route(
            statuses(404, anonymous=302, admin=200, county=200, township=200),
            kwargs=lambda o: {"code": o["village"].parent.code},
        )
        for name in ("timeliness", "timeliness_xlsx")
    },
    # The power list: staff read the list in force over their region (whoever holds no role
    # has none); the village's list and its flowcharts are as public as the village page.
    "powers_work:home": Route(statuses(200, anonymous=302, nobody=404)),
    "powers_work:region": Route(staff_page_in_a1(), kwargs=lambda o: {"code": o["village"].code}),
    "powers_work:item": Route(
        staff_page_in_a1(), kwargs=lambda o: {"code": o["village"].code, "item_code": "P01"}
    ),
    # Matters: read over the region; steps recorded by the village's cadres only; exceptions
    # reviewed by the supervision committee and the township and county above.
    "powers_work:matters": Route(staff_page_in_a1(), kwargs=lambda o: {"code": o["village"].code}),
    "powers_work:matter_new": Route(
        statuses(404, anonymous=302, village=302),
        method="post",
        kwargs=lambda o: {"code": o["village"].code},
    ),
    "powers_work:matter": Route(staff_page_in_a1(), kwargs=lambda o: {"pk": o["matter"].pk}),
    "powers_work:step_new": Route(
        statuses(404, anonymous=302, village=422),
        method="post",
        kwargs=lambda o: {"pk": o["matter"].pk},
    ),
    "powers_work:exceptions": Route(statuses(200, anonymous=302)),
    "powers_work:exception_review": Route(
        statuses(404, anonymous=302, county=302, township=302, supervisor=302),
        method="post",
        kwargs=lambda o: {"pk": o["exception"].pk},
    ),
    "powers:village_list": Route(statuses(200), kwargs=lambda o: {"code": o["village"].code}),
    "powers:village_matters": Route(statuses(200), kwargs=lambda o: {"code": o["village"].code}),
    "powers:village_matter": Route(
        statuses(200), kwargs=lambda o: {"code": o["village"].code, "pk": o["matter"].pk}
    ),
    "powers:village_item": Route(
        statuses(200), kwargs=lambda o: {"code": o["village"].code, "item_code": "P01"}
    ),
    # The mailbox: the queue is for those who handle or see cases (not the operator).
    "appeals_work:queue": Route(statuses(200, anonymous=302, nobody=404, admin=404)),
    "appeals_work:case": Route(
        commission_case_in_a1(200), kwargs=lambda o: {"pk": o["appeal_report"].pk}
    ),
    "appeals_work:attachment": Route(
        village_case_in_a1(200), kwargs=lambda o: {"pk": o["appeal_attachment"].pk}
    ),
    "appeals_work:accept": Route(
        commission_case_in_a1(302),
        method="post",
        kwargs=lambda o: {"pk": o["appeal_report"].pk},
    ),
    # The village's handlers answer its question; its committee sees it but may not (403).
    "appeals_work:answer": village_handling({"text": "路灯下周修好"}),
    "appeals_work:write": village_handling({"text": "请问是哪一盏路灯？"}),
    "appeals_work:close": village_handling({"outcome": "resolved", "text": "路灯已修好"}),
    # Only a commission officer over the case's handling region gives it to others.
    "appeals_work:reassign": Route(
        statuses(404, anonymous=302, county=302, township=302, village=403, supervisor=403),
        method="post",
        kwargs=lambda o: {"pk": o["appeal_question"].pk},
        body=lambda o: {"to": f"commission:{o['village'].parent.code}", "reason": "涉及多个村"},
    ),
    "appeals_work:transfer": Route(
        commission_case_in_a1(302),
        method="post",
        kwargs=lambda o: {"pk": o["appeal_report"].pk},
        body=lambda o: {"to": "县自然资源局", "reason": "属于土地执法事项"},
    ),
    # Reading the reporter's name: the commissions the name is sealed to (the page shows it).
    "appeals_work:reveal": Route(
        commission_case_in_a1(200),
        method="post",
        kwargs=lambda o: {"pk": o["appeal_report"].pk},
        body=lambda o: {"passphrase": PASSPHRASE, "reason": "核实线索需要联系举报人"},
    ),
    # Sealing keys: officers of a township or county commission, each for their own.
    "appeals_work:keys": Route(
        statuses(404, anonymous=302, county=200, township=200, outsider=200)
    ),
    "appeals_work:key_create": Route(
        statuses(404, anonymous=302, county=200, township=200, outsider=200), method="post"
    ),
    # The mailbox's public figures (small counts hidden) are as public as the village page.
    "appeals_stats:public": Route(statuses(200), kwargs=lambda o: {"code": o["village"].code}),
    # The mailbox's figures of A1 and its monthly record: staff over A1 (what each counts
    # differs: reports only for the commission; see appeals/stats.py).
    "appeals_stats_work:region": Route(
        staff_page_in_a1(), kwargs=lambda o: {"code": o["village"].code}
    ),
    "appeals_stats_work:record": Route(
        staff_page_in_a1(), kwargs=lambda o: {"code": o["village"].code, "month": "2026-01"}
    ),
    # Sunshine report meetings: the published meetings and the scoring page are public
    # (scoring needs a code from a slip); the staff pages are for staff over A1, and
    # changes for the village's cadres and committee and the commissions above (not
    # the operator).
    "meetings:village": Route(statuses(200), kwargs=lambda o: {"code": o["village"].code}),
    "meetings:score": Route(
        statuses(200), kwargs=lambda o: {"code": o["village"].code, "pk": o["meeting"].pk}
    ),
    "meetings_work:village": Route(
        staff_page_in_a1(), kwargs=lambda o: {"code": o["village"].code}
    ),
    "meetings_work:meeting": Route(staff_page_in_a1(), kwargs=lambda o: {"pk": o["meeting"].pk}),
    **{
        f"meetings_work:{action}": Route(
            meeting_writers(302), method="post", kwargs=lambda o: {"code": o["village"].code}
        )
        for action in ("create", "appraisal")
    },
    **{
        f"meetings_work:{action}": Route(
            meeting_writers(302), method="post", kwargs=lambda o: {"pk": o["meeting"].pk}
        )
        for action in ("report", "inquiry", "commitment", "paper", "advance")
    },
    "meetings_work:commitment_done": Route(
        meeting_writers(302), method="post", kwargs=lambda o: {"pk": o["commitment"].pk}
    ),
    # Slips are issued and shown once, on the answer to the POST.
    "meetings_work:slips": Route(
        meeting_writers(200),
        method="post",
        kwargs=lambda o: {"pk": o["meeting"].pk},
        body=lambda o: {"count": "2"},
    ),
    "log:checkpoint": Route(statuses(200)),
    "log:vkey": Route(statuses(200)),
    "log:hash_tile": Route(statuses(200), kwargs=lambda o: {"level": 0, "path": "000.p/1"}),
    "log:entry_tile": Route(statuses(200), kwargs=lambda o: {"path": "000.p/1"}),
    "log:entry": Route(statuses(200), kwargs=lambda o: {"index": 0}),
    "log:inclusion_proof": Route(statuses(200), query={"index": "0", "size": "1"}),
    "log:consistency_proof": Route(statuses(200), query={"old": "1", "new": "1"}),
    "finance:template": Route(statuses(200, anonymous=302, nobody=404)),
    # The marked file is the upload itself (full ID numbers): bookkeepers only.
    "finance:import_errors": Route(
        statuses(404, anonymous=302, admin=200, village=200),
        kwargs=lambda o: {"pk": o["by_label"]["finance.ledgerimport"].pk},
    ),
    "finance:ledger": Route(staff_page_in_a1(), kwargs=lambda o: {"code": o["village"].code}),
    "finance:asset_change": Route(
        statuses(404, anonymous=302, admin=200, village=200),
        kwargs=lambda o: {"pk": o["by_label"]["finance.asset"].pk},
    ),
    "finance:resource_change": Route(
        statuses(404, anonymous=302, admin=200, village=200),
        kwargs=lambda o: {"pk": o["by_label"]["finance.resource"].pk},
    ),
    "finance:voucher": Route(
        staff_page_in_a1(), kwargs=lambda o: {"pk": o["by_label"]["finance.voucher"].pk}
    ),
    "finance:attachment": Route(
        staff_page_in_a1(), kwargs=lambda o: {"pk": o["by_label"]["finance.voucherattachment"].pk}
    ),
    "finance:voucher_attach": Route(
        statuses(404, anonymous=302, admin=302, village=302),
        method="post",
        kwargs=lambda o: {"pk": o["by_label"]["finance.voucher"].pk},
    ),
    # The supervision committee signs its review; the bookkeepers sign too.
    "finance:voucher_sign": Route(
        statuses(404, anonymous=302, admin=302, village=302, supervisor=302),
        method="post",
        kwargs=lambda o: {"pk": o["by_label"]["finance.voucher"].pk},
    ),
    "finance:contracts": Route(staff_page_in_a1(), kwargs=lambda o: {"code": o["village"].code}),
    "finance:property": Route(staff_page_in_a1(), kwargs=lambda o: {"code": o["village"].code}),
    "finance:statement": Route(
        staff_page_in_a1(), kwargs=lambda o: {"code": o["village"].code, "month": "2026-01"}
    ),
    # Only those who keep A1's books may upload, close, reopen or publish there.
    **{
        f"finance:{page}": Route(
            statuses(404, anonymous=302, admin=200, village=200),
            kwargs=lambda o: {"code": o["village"].code},
        )
        for page in ("upload", "account_new", "contract_new", "asset_new", "resource_new")
    },
    **{
        f"finance:{action}": Route(
            statuses(404, anonymous=302, admin=302, village=302),
            method="post",
            kwargs=lambda o: {"code": o["village"].code, "month": "2026-01"},
        )
        for action in ("month_close", "month_reopen", "month_submit")
    },
    "api:village_ledger": Route(
        staff_api_in_a1(), kwargs=lambda o: {"code": o["village"].code, "month": "2026-01"}
    ),
    "api:village_statement": Route(
        staff_api_in_a1(), kwargs=lambda o: {"code": o["village"].code, "month": "2026-01"}
    ),
    "api:region_contracts": Route(staff_api_in_a1(), kwargs=lambda o: {"code": o["village"].code}),
    "api:openapi-json": Route(statuses(200)),
    "api:api-root": Route(statuses(404)),
    "api:village_list": Route(statuses(200)),
    "api:village_people": Route(staff_api_in_a1(), kwargs=lambda o: {"code": o["village"].code}),
    # The mailbox is anonymous: everyone sends a case and follows one with its receipt and
    # secret (a cookie or a role changes nothing); rating and reopening wait for an answer.
    "api:appeal_create": Route(
        statuses(201),
        method="post",
        json_body=True,
        kwargs=lambda o: {"code": o["village"].code},
        body=lambda o: {"kind": "question", "text": "矩阵测试的问题"},
    ),
    "api:appeal_follow": Route(
        statuses(200), method="post", json_body=True, body=lambda o: o["appeal_key"]
    ),
    "api:appeal_message": Route(
        statuses(201),
        method="post",
        json_body=True,
        body=lambda o: {**o["appeal_key"], "text": "矩阵测试的补充"},
    ),
    "api:appeal_rating": Route(
        statuses(422),
        method="post",
        json_body=True,
        body=lambda o: {**o["appeal_key"], "rating": "satisfied"},
    ),
    "api:appeal_reopening": Route(
        statuses(422),
        method="post",
        json_body=True,
        body=lambda o: {**o["appeal_key"], "text": "矩阵测试的理由"},
    ),
    # The power list and the published meetings are as public as the village's pages;
    # scoring needs a code from a slip (the matrix's meeting is not open: 422 for all).
    "api:village_powers": Route(statuses(200), kwargs=lambda o: {"code": o["village"].code}),
    "api:village_power_item": Route(
        statuses(200), kwargs=lambda o: {"code": o["village"].code, "item_code": "P01"}
    ),
    "api:village_meetings": Route(statuses(200), kwargs=lambda o: {"code": o["village"].code}),
    "api:meeting_score": Route(
        statuses(422),
        method="post",
        json_body=True,
        kwargs=lambda o: {"code": o["village"].code, "pk": o["meeting"].pk},
        body=lambda o: {"code": "1234567890", "grades": {}},
    ),
    # Meetings for staff: staff over A1 read; the meetings' writers change (not the operator).
    "api:work_village_meetings": Route(
        staff_api_in_a1(), kwargs=lambda o: {"code": o["village"].code}
    ),
    "api:work_meeting": Route(staff_api_in_a1(), kwargs=lambda o: {"pk": o["meeting"].pk}),
    "api:work_village_appraisals": Route(
        staff_api_in_a1(), kwargs=lambda o: {"code": o["village"].code}
    ),
    "api:work_meeting_create": Route(
        meeting_writers_api(201),
        method="post",
        json_body=True,
        kwargs=lambda o: {"code": o["village"].code},
        body=lambda o: {"quarter": "2026-Q2", "held_on": "2026-06-01", "place": "村委会"},
    ),
    "api:work_commitment_done": Route(
        meeting_writers_api(200),
        method="post",
        json_body=True,
        kwargs=lambda o: {"pk": o["commitment"].pk},
        body=lambda o: {"done_on": "2026-03-25", "evidence": "矩阵测试的照片"},
    ),
    # Matters over the API: as the pages (readers over A1; cadres record; reviewers review).
    "api:work_region_matters": Route(
        staff_api_in_a1(), kwargs=lambda o: {"code": o["village"].code}
    ),
    "api:work_matter": Route(staff_api_in_a1(), kwargs=lambda o: {"pk": o["matter"].pk}),
    "api:work_matter_start": Route(
        statuses(404, anonymous=401, village=201),
        method="post",
        json_body=True,
        kwargs=lambda o: {"code": o["village"].code},
        body=lambda o: {
            "item": "P05",
            "title": "误工补贴标准",
            "origin": "cadres",
            "started_on": "2026-02-01",
        },
    ),
    "api:work_matter_step": Route(
        statuses(404, anonymous=401, village=201),
        method="post",
        json_body=True,
        kwargs=lambda o: {"pk": o["matter"].pk},
        body=lambda o: {
            "number": 3,
            "held_on": "2026-01-07",
            "content": "监委会审核",
            "as_exception": True,
            "explanation": "支部提议补录中",
        },
    ),
    "api:work_exceptions": Route(statuses(200, anonymous=401)),
    "api:work_exception_review": Route(
        statuses(404, anonymous=401, county=201, township=201, supervisor=201),
        method="post",
        json_body=True,
        kwargs=lambda o: {"pk": o["exception"].pk},
        body=lambda o: {"comment": "要求补开党员大会"},
    ),
    "api:person_create": Route(
        # Only directory editors over A1 may register there; others learn nothing (422
        # "not in your area", the same answer as for a code that does not exist).
        statuses(422, anonymous=401, admin=201, village=201),
        method="post",
        json_body=True,
        body=lambda o: {
            "region_code": o["village"].code,
            "name": "矩阵测试",
            "id_number": make_id_number("339901", date(1990, 6, 1), 777),
        },
    ),
}

# Admin: which pages exist per registered model, and what an in-scope operator gets.
ADMIN_ACTIONS = {"changelist", "add", "history", "delete", "change"}
ADMIN_REFUSED_TO_OPERATOR = {
    ("directory.person", "add"),  # people are registered through the workbench
    ("core.auditevent", "add"),  # audit events are written by services only
    ("core.auditevent", "delete"),
    # Disclosures change through drafts, review and publication only.
    *(
        (f"disclosures.{model}", action)
        for model in ("disclosure", "disclosureversion")
        for action in ("add", "delete")
    ),
    # A power list version in force is never changed nor deleted: a new one is adopted.
    ("powers.powerlist", "delete"),
    # Meetings are created and moved on the workbench; commitments and appraisals are
    # recorded there too. The admin shows them (and corrects an unpublished meeting's day).
    *(
        (f"meetings.{model}", action)
        for model in ("sunshinemeeting", "commitment", "annualappraisal")
        for action in ("add", "delete")
    ),
    # The books change through the finance services only; the admin shows them.
    *(
        (f"finance.{model}", action)
        for model in ("fundaccount", "ledgermonth", "voucher", "contract", "asset", "resource")
        for action in ("add", "delete")
    ),
}
ADMIN_SITE_ROUTES = {
    # route: (operator status, status for everyone else)
    "admin:index": (200, 302),
    "admin:login": (302, 200),
    "admin:logout": (405, 302),  # logging out takes a POST
    "admin:password_change": (200, 302),
    "admin:password_change_done": (200, 302),
    "admin:autocomplete": (403, 302),
    "admin:jsi18n": (200, 302),
    "admin:app_list": (200, 302),
}


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield name, prefix + str(pattern.pattern)


ALL_ROUTES = sorted(set(walk(get_resolver().url_patterns)))
ADMIN_MODEL_ROUTE = re.compile(r"^admin:(?P<app>[a-z]+)_(?P<model>[a-z]+)_(?P<action>[a-z]+)$")


def admin_expectation(name: str, pattern: str) -> tuple[dict[str, int], dict[str, str]] | None:
    """Expected statuses and URL arguments for an admin route, or None if no rule covers it."""
    everyone_else = 302  # the admin sends non-operators to its login page
    if name in ADMIN_SITE_ROUTES:
        operator, others = ADMIN_SITE_ROUTES[name]
        kwargs = {"app_label": "directory"} if name == "admin:app_list" else {}
        return statuses(others, admin=operator), kwargs
    if name == "admin:view_on_site":
        # No model has a public URL yet, so even the operator gets 404.
        return statuses(everyone_else, admin=404), {"content_type_id": "CT", "object_id": "OBJECT"}
    if name == "admin:auth_user_password_change":
        return statuses(everyone_else, admin=200), {"id": "USER"}
    if name == "admin:None":
        if pattern.endswith("<path:object_id>/"):
            return statuses(302), {"object_id": "OBJECT"}
        if pattern.endswith("(?P<url>.*)$"):
            return statuses(everyone_else, admin=404), {"url": "no-such-page/"}
        return None
    match = ADMIN_MODEL_ROUTE.match(name)
    if not match or match["action"] not in ADMIN_ACTIONS:
        return None
    label = f"{match['app']}.{match['model']}"
    operator = 403 if (label, match["action"]) in ADMIN_REFUSED_TO_OPERATOR else 200
    kwargs = {} if match["action"] in {"changelist", "add"} else {"object_id": "OBJECT"}
    return statuses(everyone_else, admin=operator), kwargs


def test_every_route_is_in_the_matrix():
    missing = [
        f"{name} ({pattern})"
        for name, pattern in ALL_ROUTES
        if name not in MATRIX and admin_expectation(name, pattern) is None
    ]
    assert not missing, "routes with no entry in the authorization matrix: " + ", ".join(missing)


@pytest.fixture
def personas(
    tree: Tree,
    admin_operator,
    county_officer,
    township_commission,
    village_cadre,
    cadre_relative,
    other_village_cadre,
    supervisor,
    outsider,
) -> dict[str, Any]:
    return {
        "anonymous": None,
        "nobody": make_user("nobody", None, None),
        "admin": admin_operator,
        "county": county_officer,
        "township": township_commission,
        "village": village_cadre,
        "village2": other_village_cadre,
        "supervisor": supervisor,
        "outsider": outsider,
    }


@pytest.fixture
def objects(tree: Tree, personas: dict[str, Any], settings, tmp_path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    village = tree.village_a1
    person = PersonFactory.create(region=village, name="矩阵人")
    household = Household.objects.create(village=village, number="A-001")
    term = Term.objects.create(
        person=person, village=village, post="bookkeeper", started_on=date(2023, 1, 1)
    )
    company = Company.objects.create(
        name="矩阵公司",
        credit_code="91339901MA0000001Y",
        region=village,
        region_path=village.path,
        legal_representative=person,
    )
    with transaction.atomic():
        event = audit_record(
            actor=None, verb="matrix.seeded", target=village, region_path=village.path
        )
        log_append(
            record_type="cadre_term",
            record_id=str(term.pk),
            region_path=village.path,
            content=cadre_term_content(str(term.pk)) or {},
            published_at=datetime(2026, 1, 5, tzinfo=UTC),
        )
    cadre = personas["village"]
    finance = finance_objects(village, person, company)
    published = disclosure_objects(tree)
    by_label = {
        **finance,
        "directory.region": village,
        "directory.person": person,
        "directory.household": household,
        "directory.term": term,
        "directory.relativedeclaration": cadre.person.declared.first(),
        "directory.company": company,
        "accounts.user": cadre,
        "accounts.roleassignment": cadre.role_assignments.first(),
        "core.auditevent": event,
    }
    by_label.update(published.pop("disclosure_by_label"))
    appeals = appeal_objects(tree, cadre)
    by_label["appeals.deadlinerule"] = appeals.pop("deadline_rule")
    submitted = appeal_submit(village=village, kind="question", text="矩阵里的一个问题")
    meeting = meeting_create(
        actor=None, village=village, quarter="2026-Q1", held_on=date(2026, 3, 20), place="村委会"
    )
    report_write(actor=None, meeting=meeting, cadre_id=cadre.person.pk, text="一季度述职")
    commitment = commitment_make(
        actor=None,
        meeting=meeting,
        text="修好村口路灯",
        owner_id=cadre.person.pk,
        deadline=date(2026, 4, 30),
    )
    by_label["meetings.sunshinemeeting"] = meeting
    by_label["meetings.commitment"] = commitment
    by_label["meetings.annualappraisal"] = appraisal_record(
        actor=None, village=village, year=2025, cadre_id=cadre.person.pk, rating="competent"
    )
    appeal_key = {"receipt": submitted.receipt, "secret": submitted.secret}
    matter = matter_start(
        actor=cadre,
        village=village,
        item_code="P01",
        title="矩阵里的道路硬化",
        origin="villagers",
        started_on=date(2026, 1, 5),
    )
    exception = step_record(
        actor=cadre,
        matter=matter,
        evidence=Evidence(number=2, held_on=date(2026, 1, 6), expected=7, present=7, votes_for=7),
        as_exception=True,
        explanation="支部提议未记录",
    )
    return {
        "village": village,
        "person": person,
        "by_label": by_label,
        "appeal_key": appeal_key,
        **published,
        **appeals,
        "appeal": appeals["appeal_question"],
        "meeting": meeting,
        "commitment": commitment,
        "matter": matter,
        "exception": exception,
    }


def appeal_objects(tree: Tree, cadre: Any) -> dict[str, Any]:
    """A villager's question to village A1 with a photo; a real-name report naming A1's
    cadre (in office), sealed to the township's and the county's keys; a deadline rule."""
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    commission_keys(tree.town_a, tree.county)
    question = appeal_submit(
        village=tree.village_a1,
        kind="question",
        text="村口路灯什么时候修好？",
        uploads=[Upload("photo.png", png)],
    ).appeal
    in_office(cadre.person, tree.village_a1)
    report = appeal_submit(
        village=tree.village_a1,
        kind="report",
        text="村书记收受工程老板好处",
        subject_ids=[cadre.person.pk],
        name="李四",
        phone="13800001111",
    ).appeal
    return {
        "appeal_question": question,
        "appeal_attachment": question.attachments.get(),
        "appeal_report": report,
        "deadline_rule": DeadlineRule.objects.create(
            region=tree.town_a, kind="question", first_response_days=7
        ),
    }


def disclosure_objects(tree: Tree) -> dict[str, Any]:
    """A published text in village A1 with its attachment, and an open draft with one."""
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 20
    rules = disclosure_open(village=tree.village_a1, item_code="VA02")
    draft = draft_write(actor=None, disclosure=rules, body="村规民约")
    published_attachment = draft_attach(actor=None, draft=draft, file_name="a.png", content=png)
    draft_submit(actor=None, draft=draft)
    draft_review(actor=None, draft=draft, approve=True)
    version = draft_publish(actor=None, draft=draft)
    charter = disclosure_open(village=tree.village_a1, item_code="VA01")
    open_draft = draft_write(actor=None, disclosure=charter, body="自治章程")
    return {
        "draft": open_draft,
        "draft_attachment": draft_attach(
            actor=None, draft=open_draft, file_name="b.png", content=png
        ),
        "published_attachment": published_attachment,
        "disclosure_by_label": {
            "disclosures.disclosure": rules,
            "disclosures.disclosureversion": version,
        },
    }


def finance_objects(village: Any, person: Any, company: Any) -> dict[str, Any]:
    """One of each finance row in village A1: accounts, a voucher in January 2026, a refused
    upload with its error file, a threshold, a contract, an asset and a resource."""
    cash, bank = cash_and_bank(village, bank="1000")
    voucher = voucher_record(
        actor=None, village=village, draft=receipt(bank, "100", on=date(2026, 1, 5))
    )
    refused = ledger_import_refused(
        actor=None,
        village=village,
        month=date(2026, 1, 1),
        source=ImportSource(file_name="bad.xlsx", sha256="0" * 64, rows=3),
        error_count=1,
    )
    default_storage.save(f"ledger-import-errors/{refused.pk}.xlsx", ContentFile(b"PK"))
    invoice = voucher_attach(
        actor=None, voucher=voucher, kind="invoice", file_name="发票.pdf", content=b"%PDF-1.7 x"
    )
    return {
        "finance.fundaccount": cash,
        "finance.ledgermonth": voucher.ledger_month,
        "finance.voucher": voucher,
        "finance.voucherattachment": invoice,
        "finance.ledgerimport": refused,
        "finance.threshold": Threshold.objects.create(
            region=village, key="cash_payment_max", value=500, effective_from=date(2026, 1, 1)
        ),
        "finance.contract": finance_factories.contract(village),
        "disclosures.catalog": catalog_adopt(
            actor=None, region=village, effective_from=date(2026, 1, 1)
        ),
        "powers.powerlist": power_list_adopt(
            actor=None, region=village, effective_from=date(2025, 1, 1)
        ),
        "finance.asset": finance_factories.asset(village),
        "finance.resource": finance_factories.resource(village),
    }


def request_as(client: Client, route: Route, url: str, objects: dict[str, Any]) -> int:
    body = route.body(objects) if route.body else {}
    if route.method == "get":
        return client.get(url, route.query).status_code
    if route.json_body:
        return client.post(url, json.dumps(body), content_type="application/json").status_code
    return client.post(url, body).status_code


def resolve_admin_kwargs(
    name: str, kwargs: dict[str, str], objects: dict[str, Any]
) -> dict[str, Any]:
    resolved: dict[str, Any] = dict(kwargs)
    if kwargs.get("id") == "USER":
        resolved["id"] = objects["by_label"]["accounts.user"].pk
    if kwargs.get("content_type_id") == "CT":
        from django.contrib.contenttypes.models import ContentType

        resolved["content_type_id"] = ContentType.objects.get_for_model(objects["village"]).pk
    if kwargs.get("object_id") == "OBJECT":
        match = ADMIN_MODEL_ROUTE.match(name)
        # Site-wide routes that take an object (the redirect, view on site) use the village.
        label = f"{match['app']}.{match['model']}" if match else "directory.region"
        if name == "admin:view_on_site":
            label = "directory.region"
        target = objects["by_label"].get(label)
        assert target is not None, f"add an object of {label} to the matrix fixture"
        resolved["object_id"] = target.pk
    return resolved


def routes_under_test() -> Iterator[Any]:
    for name, pattern in ALL_ROUTES:
        yield pytest.param(name, pattern, id=f"{name}:{pattern}")


@pytest.mark.parametrize(("name", "pattern"), list(routes_under_test()))
def test_route_answers_each_persona_as_the_matrix_says(name, pattern, personas, objects):
    from django.urls import reverse

    if name in MATRIX:
        route = MATRIX[name]
        kwargs = route.kwargs(objects)
    else:
        rule = admin_expectation(name, pattern)
        assert rule is not None
        expect, raw_kwargs = rule
        route = Route(expect)
        kwargs = resolve_admin_kwargs(name, raw_kwargs, objects)
    if name == "admin:None":
        prefix = "/admin/directory/region/" if "object_id" in kwargs else "/admin/"
        url = prefix + (f"{kwargs['object_id']}/" if "object_id" in kwargs else kwargs["url"])
    else:
        url = reverse(name, kwargs=kwargs)
    answers = {}
    for persona in PERSONAS:
        with transaction.atomic():
            answers[persona] = request_as(client_for(personas[persona]), route, url, objects)
            transaction.set_rollback(True)
    mismatches = {
        p: (answers[p], route.expect[p]) for p in PERSONAS if answers[p] != route.expect[p]
    }
    assert not mismatches, f"{url}: persona → (got, expected): {mismatches}"
