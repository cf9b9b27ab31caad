"""Every shipped flowchart renders, and keeps its boxes in the catalog's step order."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from defusedxml.ElementTree import fromstring
from django.utils import translation

from qinglian.powers.flowchart import flowchart_svg, text_width, wrap
from qinglian.powers.models import ItemKind, PowerList
from qinglian.powers.steps import item_steps, library

SVG = "{http://www.w3.org/2000/svg}"


def shipped_charts():
    national = PowerList.objects.get(region__isnull=True)
    steps = library(national)
    for item in national.items.filter(kind=ItemKind.POSITIVE).order_by("order"):
        resolved = item_steps(item, steps)
        yield item, resolved, fromstring(flowchart_svg(item.title, resolved, ident=item.code))


def box_labels(root: ET.Element) -> list[str]:
    """Each box's title as drawn: its wrapped ``label`` lines joined again.

    Spaces are left out: a line break takes the place of one between two words.
    """
    return [
        "".join(
            (text.text or "").replace(" ", "")
            for text in group.iter(f"{SVG}text")
            if text.get("class") == "label"
        )
        for group in root.iter(f"{SVG}g")
        if group.get("class") == "step"
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_shipped_flowchart_is_well_formed_and_accessible(db, language):
    translation.activate(language)
    charts = list(shipped_charts())
    assert len(charts) == 38
    for item, steps, root in charts:
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        title = root.find(f"{SVG}title")
        desc = root.find(f"{SVG}desc")
        assert title is not None and item.title in (title.text or "")
        assert desc is not None and desc.text
        assert set(root.get("aria-labelledby", "").split()) == {title.get("id"), desc.get("id")}
        assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "step"]) == len(steps)
        # Every text line fits its box.
        for text in root.iter(f"{SVG}text"):
            size = float(text.get("font-size", "0"))
            assert float(text.get("x", "0")) + text_width(text.text or "", size) <= 320 - 16
    translation.deactivate()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_each_chart_draws_its_steps_in_the_catalog_order(db, language):
    with translation.override(language):
        for item, steps, root in shipped_charts():
            assert box_labels(root) == [step.title.replace(" ", "") for step in steps], item.code
            codes = [g.get("data-step") for g in root.iter(f"{SVG}g") if g.get("class") == "step"]
            assert codes == item.step_codes, item.code


def test_four_discussions_and_two_disclosures_golden(db):
    national = PowerList.objects.get(region__isnull=True)
    item = national.items.get(code="P01")
    with translation.override("zh-hans"):
        root = fromstring(flowchart_svg(item.title, item_steps(item), ident="P01"))
    assert box_labels(root) == [
        "党支部提议",
        "村两委商议",
        "监委会审核",
        "方案公示",
        "党员大会审议",
        "村民（代表）会议决议",
        "决议公开",
        "组织实施",
        "结果公开",
        "归档",
    ]


def test_wrapping_measures_cjk_at_full_width():
    assert text_width("村民代表", 10) == 40
    assert text_width("abcd", 10) < 40
    lines = wrap("村民代表会议决议村民代表会议决议", 15, 100)
    assert all(text_width(line, 15) <= 100 for line in lines)
    assert "".join(lines) == "村民代表会议决议村民代表会议决议"
    english = wrap("Representatives' meeting resolves the matter", 15, 150)
    assert len(english) > 1
    assert all(text_width(line, 15) <= 150 for line in english)
    assert " ".join(english) == "Representatives' meeting resolves the matter"


def test_text_is_escaped(db):
    national = PowerList.objects.get(region__isnull=True)
    item = national.items.get(code="P02")
    root = fromstring(flowchart_svg("<script>&", item_steps(item), ident="x"))
    title = root.find(f"{SVG}title")
    assert title is not None
    assert (title.text or "").endswith("<script>&")
