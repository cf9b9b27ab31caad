"""The admin goes through the policy: an operator sees and edits only their regions."""

from __future__ import annotations

import pytest
from django.contrib import admin

from conftest import client_for, make_user
from qinglian.accounts.models import Role
from qinglian.core.models import AuditEvent
from qinglian.directory.factories import PersonFactory


@pytest.fixture
def township_b_operator(tree):
    return make_user("op_b", Role.ADMIN, tree.town_b, is_staff=True, is_superuser=True)


def test_operator_changelist_shows_only_own_subtree(tree, township_b_operator):
    PersonFactory.create(region=tree.village_a1, name="甲村人")
    PersonFactory.create(region=tree.village_b1, name="乙村人")
    text = client_for(township_b_operator).get("/admin/directory/person/").content.decode()
    assert "乙村人" in text and "甲村人" not in text


def test_operator_cannot_open_a_row_outside_scope(tree, township_b_operator):
    foreign = PersonFactory.create(region=tree.village_a1, name="甲村人")
    response = client_for(township_b_operator).get(f"/admin/directory/person/{foreign.pk}/change/")
    assert response.status_code == 302  # the admin's "no such object" redirect
    assert (
        "甲村人" not in client_for(township_b_operator).get(response["Location"]).content.decode()
    )


def test_operator_cannot_pick_a_region_outside_scope(tree, township_b_operator):
    person = PersonFactory.create(region=tree.village_b1)
    response = client_for(township_b_operator).post(
        "/admin/directory/household/add/",
        {"village": tree.village_a1.pk, "number": "X-1", "address": ""},
    )
    assert response.status_code == 200  # the form comes back with an error
    assert "village" in response.context["adminform"].form.errors
    assert person.household is None


def test_superuser_flag_alone_opens_nothing(tree):
    root = make_user("root", None, None, is_staff=True, is_superuser=True)
    assert client_for(root).get("/admin/").status_code == 302


def test_admin_edit_writes_an_audit_event(tree, admin_operator):
    person = PersonFactory.create(region=tree.village_a1, name="旧名")
    response = client_for(admin_operator).post(
        f"/admin/directory/person/{person.pk}/change/",
        {"name": "新名", "is_household_head": "", "is_party_member": "on", "household": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.name == "新名"
    event = AuditEvent.objects.get(verb="admin.changed")
    assert event.actor == admin_operator
    assert event.target_id == str(person.pk)
    assert event.region_path == tree.village_a1.path
    assert set(event.data["fields"]) >= {"name", "is_party_member"}


def test_audit_events_are_read_only_in_admin(tree, admin_operator):
    model_admin = admin.site._registry[AuditEvent]
    request = type("R", (), {"user": admin_operator})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_registering_an_unscoped_model_is_refused():
    from django.contrib.sessions.models import Session

    with pytest.raises(TypeError, match="access_region_path"):
        admin.site.register(Session)
