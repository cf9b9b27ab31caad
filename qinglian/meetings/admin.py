"""Meetings admin: the meetings with their three parts, commitments and appraisals, shown.

- A meeting not yet published can have its day and place corrected here (the day
  stays in the quarter's year and every reporting cadre must hold a post on it,
  as when it was created); its state moves only through the workbench's buttons
  (the services), and a meeting is neither added nor deleted here. A published
  meeting is read-only: its results are in the publication log.
- Reports, inquiries and commitments are shown inside their meeting, read-only;
  commitments also in a list of their own with a "late" column and filter.
- Annual appraisals are shown, read-only: a rating is recorded through the
  workbench by the meetings' writers (``appraisal_record``, with its audit event);
  two "incompetent" years end an office, so no other door changes one.
- Scoring codes (hashes of one-use secrets), scores (anonymous ballots) and paper
  tallies are not registered at all.

Scoping is added by the policy-bound admin site (accounts).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinglian.core.admin import ReadOnlyAdmin
from qinglian.meetings import selectors, services
from qinglian.meetings.models import (
    QUARTER_PATTERN,
    AnnualAppraisal,
    CadreReport,
    Commitment,
    Inquiry,
    MeetingState,
    SunshineMeeting,
)


class _ReadOnlyInline(admin.TabularInline[Any, SunshineMeeting]):
    extra = 0
    can_delete = False
    show_change_link = False
    related: tuple[str, ...] = ()  # the people shown on each row, fetched with it

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related(*self.related)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CadreReportInline(_ReadOnlyInline):
    model = CadreReport
    related = ("cadre",)
    fields = readonly_fields = ("cadre", "post", "text")


class InquiryInline(_ReadOnlyInline):
    model = Inquiry
    related = ("answered_by",)
    fields = readonly_fields = ("question", "answer", "answered_by")


@admin.display(description=gettext_lazy("late"), boolean=True)
def commitment_late(commitment: Commitment) -> bool:
    return selectors.commitment_is_late(commitment)


class CommitmentInline(_ReadOnlyInline):
    model = Commitment
    related = ("owner",)
    fields = readonly_fields = ("text", "owner", "deadline", "done_on", "evidence", "late")

    @admin.display(description=gettext_lazy("late"), boolean=True)
    def late(self, commitment: Commitment) -> bool:
        return commitment_late(commitment)


class MeetingForm(forms.ModelForm[SunshineMeeting]):
    """The day and the place; the rules ``meeting_create`` and ``report_write`` apply."""

    class Meta:
        model = SunshineMeeting
        fields = ["held_on", "place"]

    def clean_held_on(self) -> Any:
        held_on = self.cleaned_data["held_on"]
        meeting = self.instance
        match = QUARTER_PATTERN.match(meeting.quarter)
        if match and held_on.year != int(match["year"]):
            raise forms.ValidationError(_("The meeting must be held in the quarter's year."))
        in_office = services.cadres_in_office(meeting.village, held_on)
        present = {person.pk for person, _post in in_office}
        reported = set(meeting.reports.values_list("cadre_id", flat=True))
        if reported - present:
            raise forms.ValidationError(
                _("A cadre who reported held no post in the village on that day.")
            )
        return held_on


@admin.register(SunshineMeeting)
class SunshineMeetingAdmin(admin.ModelAdmin[SunshineMeeting]):
    form = MeetingForm
    list_display = ["village", "quarter", "held_on", "place", "state", "published_at"]
    list_filter = ["state", "quarter"]
    list_select_related = ["village"]
    search_fields = ["village__name", "quarter", "place"]
    fields = ["village", "quarter", "held_on", "place", "state", "published_at"]
    readonly_fields = ["village", "quarter", "state", "published_at"]
    inlines = [CadreReportInline, InquiryInline, CommitmentInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # created on the workbench (``meeting_create`` checks the quarter)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        published = obj is not None and obj.state == MeetingState.PUBLISHED
        return not published and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a meeting holds ballots and an audit trail; it is never removed


class LateFilter(admin.SimpleListFilter):
    title = gettext_lazy("late")
    parameter_name = "late"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", gettext_lazy("late")), ("no", gettext_lazy("on time"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return selectors.commitments_late(queryset)
        if self.value() == "no":
            return queryset.exclude(pk__in=selectors.commitments_late(queryset).values("pk"))
        return queryset


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    """Commitments change through the workbench (``commitment_complete``) only."""

    list_display = ["text", "meeting", "owner", "deadline", "done_on", commitment_late]
    list_filter = [LateFilter]
    list_select_related = ["meeting__village", "owner"]
    search_fields = ["text", "meeting__village__name"]
    fields = ["meeting", "text", "owner", "deadline", "done_on", "evidence"]


@admin.register(AnnualAppraisal)
class AnnualAppraisalAdmin(ReadOnlyAdmin):
    list_display = ["year", "village", "cadre", "rating", "source"]
    list_filter = ["year", "rating", "source"]
    list_select_related = ["village", "cadre"]
    search_fields = ["village__name", "cadre__name"]
