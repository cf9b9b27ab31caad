"""The admin: operators set each region's deadlines and never read cases there."""

from __future__ import annotations

from django.contrib import admin

from conftest import client_for
from qinglian.appeals.models import DeadlineRule
from qinglian.core.models import AuditEvent


def test_operators_set_deadlines_in_the_admin_and_never_read_cases_there(tree, admin_operator):
    registered = {model._meta.label for model in admin.site._registry}
    assert "appeals.DeadlineRule" in registered
    for label in (
        "Appeal",
        "AppealEvent",
        "AppealAttachment",
        "AppealNotice",
        "SealingKey",
        "SealedIdentity",
        "PublishedAnswer",
    ):
        assert f"appeals.{label}" not in registered
    response = client_for(admin_operator).post(
        "/admin/appeals/deadlinerule/add/",
        {
            "region": tree.town_a.pk,
            "kind": "question",
            "first_response_days": 7,
            "result_days": 60,
            "pass_on_days": 5,
            "very_overdue_days": 10,
            "remind_days": 2,
        },
    )
    assert response.status_code == 302
    assert DeadlineRule.objects.get().first_response_days == 7
    assert AuditEvent.objects.filter(verb="admin.added").exists()
