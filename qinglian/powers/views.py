"""Pages of the power list: the staff workbench and the public "perform duties by the chart".

Staff pages go through the access policy (a region the user reaches); public
pages show the village's list in force with its flowcharts, no script needed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from qinglian.accounts.policy import access_region, region_paths
from qinglian.directory.models import Region
from qinglian.disclosures.selectors import village_public
from qinglian.finance.thresholds import threshold_values
from qinglian.powers import selectors
from qinglian.powers.flowchart import flowchart_svg
from qinglian.powers.marks import marks
from qinglian.powers.models import Matter, PowerItem, PowerList


def _list_context(region: Region) -> dict[str, Any]:
    power_list = selectors.list_for(region, timezone.localdate())
    if power_list is None:
        raise Http404
    return {
        "region": region,
        "power_list": power_list,
        "positive": selectors.items_by_category(power_list, selectors.POSITIVE),
        "negative": selectors.items_by_category(power_list, selectors.NEGATIVE),
    }


def _item_context(region: Region, item_code: str) -> dict[str, Any]:
    power_list: PowerList | None = selectors.list_for(region, timezone.localdate())
    item: PowerItem | None = selectors.item_in(power_list, item_code) if power_list else None
    if item is None:
        raise Http404
    steps = selectors.item_steps(item)
    return {
        "region": region,
        "power_list": power_list,
        "item": item,
        "steps": steps,
        # Every text in the SVG is escaped by the generator.
        "flowchart": mark_safe(flowchart_svg(item.title, steps, ident=item.code)) if steps else "",  # noqa: S308
    }


@login_required
def work_home(request: HttpRequest) -> HttpResponse:
    """The list in force for the user's own region (the first they hold a role over)."""
    paths = region_paths(request.user)
    region = Region.objects.filter(path__in=paths).order_by("path").first()
    if region is None:
        raise Http404
    return work_region(request, access_region(request.user, region.code).code)


@login_required
def work_region(request: HttpRequest, code: str) -> HttpResponse:
    region = access_region(request.user, code)
    return render(request, "powers/work/list.html", _list_context(region))


@login_required
def work_item(request: HttpRequest, code: str, item_code: str) -> HttpResponse:
    region = access_region(request.user, code)
    return render(request, "powers/work/item.html", _item_context(region, item_code))


def _village(code: str) -> Region:
    village = village_public(code)
    if village is None:
        raise Http404
    return village


def village_list(request: HttpRequest, code: str) -> HttpResponse:
    village = _village(code)
    return render(request, "powers/village_list.html", _list_context(village))


def village_item(request: HttpRequest, code: str, item_code: str) -> HttpResponse:
    village = _village(code)
    return render(request, "powers/village_item.html", _item_context(village, item_code))


PUBLIC_MATTERS_SHOWN = 100


def village_matters(request: HttpRequest, code: str) -> HttpResponse:
    """The village's matters, latest first: what was decided, how far each has come."""
    village = _village(code)
    matters = selectors.matters_in(Matter.objects.all(), village)[:PUBLIC_MATTERS_SHOWN]
    return render(request, "powers/village_matters.html", {"region": village, "matters": matters})


def village_matter(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """One matter on its chart, step by step: dates, counts and votes, and any exception.

    Villagers see what the village recorded, not who attended (the names stay on
    the staff page) nor the documents.
    """
    village = _village(code)
    matter = (
        Matter.objects.filter(village=village, pk=pk)
        .select_related("village", "item__power_list")
        .first()
    )
    if matter is None:
        raise Http404
    rows = selectors.matter_steps(matter, threshold_values(village, timezone.localdate()))
    chart = flowchart_svg(
        matter.item.title, [row.step for row in rows], ident=f"m{matter.pk}", marks=marks(rows)
    )
    return render(
        request,
        "powers/village_matter.html",
        # Every text in the SVG is escaped by the generator.
        {"region": village, "matter": matter, "rows": rows, "flowchart": mark_safe(chart)},  # noqa: S308
    )
