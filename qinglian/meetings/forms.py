"""Forms of the meetings' staff pages and of the attendees' scoring page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from qinglian.meetings.models import Grade
from qinglian.meetings.services import TOKENS_MAX

TEXT_MAX = 4000


class MeetingForm(forms.Form):
    quarter = forms.CharField(label=_("Quarter"), max_length=7, help_text=_("For example 2026-Q3"))
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=100)


class CadreChoiceForm(forms.Form):
    def __init__(self, *args: Any, cadres: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("cadre", "owner", "answered_by"):
            if name in self.fields:
                field = self.fields[name]
                assert isinstance(field, forms.TypedChoiceField)
                blank = [("", "—")] if not field.required else []
                field.choices = [*blank, *cadres]


class ReportForm(CadreChoiceForm):
    cadre = forms.TypedChoiceField(label=_("Cadre"), coerce=int)
    text = forms.CharField(label=_("Report"), max_length=TEXT_MAX, widget=forms.Textarea)


class InquiryForm(CadreChoiceForm):
    question = forms.CharField(label=_("Question"), max_length=TEXT_MAX, widget=forms.Textarea)
    answer = forms.CharField(
        label=_("Answer"), max_length=TEXT_MAX, widget=forms.Textarea, required=False
    )
    answered_by = forms.TypedChoiceField(
        label=_("Answered by"), coerce=int, required=False, empty_value=None
    )


class CommitmentForm(CadreChoiceForm):
    text = forms.CharField(label=_("Commitment"), max_length=TEXT_MAX, widget=forms.Textarea)
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))


class CommitmentDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(label=_("Evidence"), max_length=TEXT_MAX)


class SlipsOutput(models.TextChoices):
    PAGE = "page", _("a page to print")
    PDF = "pdf", _("a PDF file (A4, 8 slips a page)")


class TokensForm(forms.Form):
    count = forms.IntegerField(label=_("Number of slips"), min_value=1, max_value=TOKENS_MAX)
    output = forms.ChoiceField(
        label=_("Print as"),
        choices=SlipsOutput.choices,
        initial=SlipsOutput.PAGE,
        required=False,  # a form posted without it gets the page, as before
        widget=forms.RadioSelect,
    )

    def clean_output(self) -> str:
        return self.cleaned_data.get("output") or SlipsOutput.PAGE


class PaperForm(CadreChoiceForm):
    cadre = forms.TypedChoiceField(label=_("Cadre"), coerce=int)
    excellent = forms.IntegerField(label=Grade.EXCELLENT.label, min_value=0, initial=0)
    competent = forms.IntegerField(label=Grade.COMPETENT.label, min_value=0, initial=0)
    basic = forms.IntegerField(label=Grade.BASIC.label, min_value=0, initial=0)
    incompetent = forms.IntegerField(label=Grade.INCOMPETENT.label, min_value=0, initial=0)

    def counts(self) -> dict[str, int]:
        return {grade: int(self.cleaned_data[grade]) for grade in Grade.values}


class AppraisalForm(CadreChoiceForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    cadre = forms.TypedChoiceField(label=_("Cadre"), coerce=int)
    rating = forms.ChoiceField(
        label=_("Rating"),
        choices=[("", _("from the year's published meetings")), *Grade.choices],
        required=False,
    )


class BallotForm(forms.Form):
    """The attendee's code, then one choice of grade per cadre who reported."""

    code = forms.CharField(
        label=_("Code on your slip"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, cadres: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for pk, label in cadres:
            self.fields[f"cadre_{pk}"] = forms.ChoiceField(
                label=label, choices=Grade.choices, widget=forms.RadioSelect
            )
        self.cadre_ids = [pk for pk, _label in cadres]

    def grades(self) -> dict[int, str]:
        return {pk: self.cleaned_data[f"cadre_{pk}"] for pk in self.cadre_ids}

    def cadre_fields(self) -> list[forms.BoundField]:
        return [self[f"cadre_{pk}"] for pk in self.cadre_ids]
