from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from qinglian.core.errors import DomainError
from qinglian.core.models import AuditEvent
from qinglian.powers import shipped
from qinglian.powers.models import ItemKind, LibraryStep, PowerItem, PowerList
from qinglian.powers.selectors import item_steps, list_for


def test_the_shipped_files_hold_38_positive_and_30_negative_items():
    assert len(shipped.positive_rows()) == 38
    assert len(shipped.negative_rows()) == 30
    library = {row["code"] for row in shipped.library_rows()}
    unknown = [
        (row["code"], step["step"])
        for row in shipped.positive_rows()
        for step in row["steps"]
        if step["step"] not in library
    ]
    assert unknown == []


def test_the_default_list_is_loaded_with_its_step_library(db):
    national = PowerList.objects.get(region__isnull=True)
    items = list(national.items.order_by("order"))
    positive = [i for i in items if i.kind == ItemKind.POSITIVE]
    negative = [i for i in items if i.kind == ItemKind.NEGATIVE]
    assert len(positive) == 38
    assert len(negative) == 30
    assert [i.code for i in positive] == [f"P{n:02d}" for n in range(1, 39)]
    assert [i.code for i in negative] == [f"N{n:02d}" for n in range(1, 31)]
    library = {step.code for step in national.steps.all()}
    for item in positive:
        assert item.steps, item.code
        assert set(item.step_codes) <= library, item.code
        assert [s.code for s in item_steps(item)] == item.step_codes
    assert all(not item.steps for item in negative)


def test_step_rules_merge_the_library_and_the_item(db):
    national = PowerList.objects.get(region__isnull=True)
    major = national.items.get(code="P01")
    steps = {s.code: s for s in item_steps(major)}
    assert steps["PM"].params["quorum"] == "two_thirds_members"
    assert steps["PM"].params["pass"] == "more_than_half_members"
    assert steps["RS"].params["pass"] == "more_than_half_attendees"
    assert steps["PP"].params["days"] == 15
    assert steps["PB"].params["days"] == 3
    assert steps["VR"].optional
    charter = {s.code: s for s in item_steps(national.items.get(code="P03"))}
    assert charter["RS"].params["body"] == "assembly"  # the item overrides the library
    levy = {s.code: s for s in item_steps(national.items.get(code="P04"))}
    assert levy["RS"].params["pass"] == "two_thirds_attendees"


def test_titles_follow_the_language_of_the_page(db):
    item = PowerItem.objects.get(power_list__region__isnull=True, code="P01")
    with translation.override("zh-hans"):
        assert item.title == "村级重大事项决策"
    with translation.override("en"):
        assert item.title == "Major village matters"


def test_a_village_follows_the_nearest_list_in_force(tree, township_commission):
    from qinglian.powers.services import power_list_adopt

    national = PowerList.objects.get(region__isnull=True)
    assert list_for(tree.village_a1, date(2025, 1, 1)) == national
    township = power_list_adopt(
        actor=township_commission, region=tree.town_a, effective_from=date(2025, 7, 1)
    )
    township.items.filter(code="P05").update(title_zh="误工补贴（本镇）")
    assert list_for(tree.village_a1, date(2025, 6, 30)) == national
    assert list_for(tree.village_a1, date(2025, 7, 1)) == township
    assert list_for(tree.village_b1, date(2025, 7, 1)) == national
    assert township.items.count() == 68
    assert township.steps.count() == national.steps.count()
    assert national.items.get(code="P05").title_zh == "误工补贴人员及标准"
    assert AuditEvent.objects.filter(verb="power_list.adopted").count() == 1
    village = power_list_adopt(
        actor=township_commission, region=tree.village_a1, effective_from=date(2025, 8, 1)
    )
    assert list_for(tree.village_a1, date(2025, 9, 1)) == village
    assert village.items.get(code="P05").title_zh == "误工补贴（本镇）"  # copied from the nearest


def test_a_second_version_on_the_same_date_is_refused(tree, township_commission):
    from qinglian.powers.services import power_list_adopt

    power_list_adopt(actor=township_commission, region=tree.town_a, effective_from=date(2025, 7, 1))
    with pytest.raises(DomainError) as refused:
        power_list_adopt(
            actor=township_commission, region=tree.town_a, effective_from=date(2025, 7, 1)
        )
    assert refused.value.field == "effective_from"
    later = power_list_adopt(
        actor=township_commission, region=tree.town_a, effective_from=date(2026, 1, 1)
    )
    assert later.version == 2


def test_the_admin_refuses_rules_the_engine_does_not_know(db, english):
    from django.forms import modelform_factory

    from qinglian.powers.admin import LibraryStepForm, PowerItemForm

    step_form = modelform_factory(LibraryStep, form=LibraryStepForm, fields=["params"])
    unknown = step_form(data={"params": '{"quorum": "most_members"}'})
    assert not unknown.is_valid()
    assert "most_members" in str(unknown.errors["params"])
    assert step_form(data={"params": '{"quorum": "three_quarters_members"}'}).is_valid()
    item_form = modelform_factory(PowerItem, form=PowerItemForm, fields=["steps"])
    assert not item_form(data={"steps": '[{"step": "RS", "params": {"pass": "most"}}]'}).is_valid()
    assert not item_form(data={"steps": '["RS"]'}).is_valid()
    assert item_form(
        data={"steps": '[{"step": "RS", "params": {"pass": "two_thirds_attendees"}}]'}
    ).is_valid()
