"""Mailbox admin: operators set each region's deadlines, and nothing else.

Cases, their events, attachments, notices, published answers, sealed identities
and the commissions' keys are not registered: operators must not read cases, and
those rows change only through the services. Scoping is added by the
policy-bound admin site (accounts).
"""

from __future__ import annotations

from django.contrib import admin

from qinglian.appeals.models import DeadlineRule


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin[DeadlineRule]):
    list_display = [
        "region",
        "kind",
        "first_response_days",
        "result_days",
        "pass_on_days",
        "very_overdue_days",
        "remind_days",
    ]
    list_filter = ["kind"]
    list_select_related = ["region"]
    raw_id_fields = ["region"]
