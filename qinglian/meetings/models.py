"""Sunshine report meetings: the meeting, its four parts, and the annual appraisal.

Scores use the democratic appraisal's four grades (excellent, competent, basically
competent, incompetent; domain.md §9.3 and §15.4 d) rather than a 0–100 mark: the
quarterly results then add up to the annual appraisal without a conversion table,
a paper slip has four boxes to tick, and "incompetent" keeps its legal weight (it
needs more than half of the votes, see ``scoring.py``).
"""

from __future__ import annotations

import re

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qinglian.directory.models import Person, Region

QUARTER_PATTERN = re.compile(r"^(?P<year>20\d\d)-Q(?P<q>[1-4])$")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("excellent")
    COMPETENT = "competent", _("competent")
    BASIC = "basic", _("basically competent")
    INCOMPETENT = "incompetent", _("incompetent")


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("in preparation")
    OPEN = "open", _("open for scoring")
    CLOSED = "closed", _("scoring closed")
    PUBLISHED = "published", _("published")


class SunshineMeeting(models.Model):
    access_region_path = "village__path"

    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    quarter = models.CharField(_("quarter"), max_length=7)  # "2026-Q3"
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100)
    state = models.CharField(
        _("state"), max_length=10, choices=MeetingState.choices, default=MeetingState.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sunshine report meeting")
        verbose_name_plural = _("sunshine report meetings")
        constraints = [
            models.UniqueConstraint(fields=["village", "quarter"], name="meeting_one_per_quarter")
        ]
        ordering = ["-quarter"]

    def __str__(self) -> str:
        return f"{self.village.name} {self.quarter}"


class CadreReport(models.Model):
    """The description: one cadre's report on the quarter."""

    access_region_path = "meeting__village__path"

    meeting = models.ForeignKey(SunshineMeeting, on_delete=models.CASCADE, related_name="reports")
    cadre = models.ForeignKey(
        Person, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+"
    )
    post = models.CharField(_("post"), max_length=120)
    text = models.TextField(_("report"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "cadre"], name="report_one_per_cadre")
        ]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.post} {self.meeting_id}"


class Inquiry(models.Model):
    """An attendee's question (no name kept) and the cadre's answer."""

    access_region_path = "meeting__village__path"

    meeting = models.ForeignKey(SunshineMeeting, on_delete=models.CASCADE, related_name="inquiries")
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        Person,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.question[:40]


class Commitment(models.Model):
    """A fix promised at the meeting, with an owner and a deadline, followed until done."""

    access_region_path = "meeting__village__path"

    meeting = models.ForeignKey(
        SunshineMeeting, on_delete=models.CASCADE, related_name="commitments"
    )
    text = models.TextField(_("commitment"))
    owner = models.ForeignKey(
        Person, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.text[:40]


class AttendanceToken(models.Model):
    """A one-use scoring code handed to an attendee; only its keyed hash is kept."""

    access_region_path = "meeting__village__path"

    meeting = models.ForeignKey(SunshineMeeting, on_delete=models.CASCADE, related_name="tokens")
    code_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.pk}"


class Score(models.Model):
    access_region_path = "meeting__village__path"

    meeting = models.ForeignKey(SunshineMeeting, on_delete=models.CASCADE, related_name="scores")
    cadre = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    token = models.ForeignKey(AttendanceToken, on_delete=models.PROTECT, related_name="scores")
    grade = models.CharField(max_length=12, choices=Grade.choices)

    class Meta:
        constraints = [
            # A used token is refused even when two phones send it at the same instant.
            models.UniqueConstraint(fields=["token", "cadre"], name="score_one_per_token_cadre")
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id}: {self.grade}"


class PaperTally(models.Model):
    """Paper slips counted by staff: how many ticked each grade for one cadre."""

    access_region_path = "meeting__village__path"

    meeting = models.ForeignKey(
        SunshineMeeting, on_delete=models.CASCADE, related_name="paper_tallies"
    )
    cadre = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=12, choices=Grade.choices)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "cadre", "grade"], name="paper_tally_one_per_grade"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id}: {self.grade} × {self.count}"


class AppraisalSource(models.TextChoices):
    MEETINGS = "meetings", _("from the year's sunshine meetings")
    ENTERED = "entered", _("entered from the appraisal record")


class AnnualAppraisal(models.Model):
    """The year's democratic appraisal of one cadre (民主评议)."""

    access_region_path = "village__path"

    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    cadre = models.ForeignKey(
        Person, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+"
    )
    rating = models.CharField(_("rating"), max_length=12, choices=Grade.choices)
    source = models.CharField(max_length=10, choices=AppraisalSource.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["village", "year", "cadre"], name="appraisal_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="appraisal_year_sane"
            ),
        ]
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return f"{self.year} {self.cadre_id}: {self.rating}"
