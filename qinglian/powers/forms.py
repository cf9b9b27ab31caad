"""Forms of the matters' staff pages: open a matter, record a step, review an exception."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qinglian.powers.models import Origin, ProcurementMode
from qinglian.powers.procedure import Evidence

TEXT_MAX = 4000
DATE = forms.DateInput(attrs={"type": "date"})


class MatterForm(forms.Form):
    item = forms.ChoiceField(label=_("Power"))
    title = forms.CharField(
        label=_("Matter"), max_length=120, help_text=_("For example 2025 road hardening")
    )
    amount = forms.DecimalField(
        label=_("Amount (yuan)"), max_digits=14, decimal_places=2, required=False, min_value=0
    )
    origin = forms.ChoiceField(label=_("Origin"), choices=Origin.choices)
    started_on = forms.DateField(label=_("Started on"), widget=DATE)

    def __init__(self, *args: Any, items: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = items  # type: ignore[attr-defined]


class StepForm(forms.Form):
    form_name = "step"

    number = forms.TypedChoiceField(label=_("Step"), coerce=int)
    held_on = forms.DateField(
        label=_("Date"),
        widget=DATE,
        required=False,
        help_text=_("For a notice, the first day it was up."),
    )
    not_taken = forms.BooleanField(
        label=_("This step was not taken (say why below)"), required=False
    )
    content = forms.CharField(
        label=_("What was done or decided"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    expected = forms.IntegerField(label=_("Should attend"), min_value=0, required=False)
    present = forms.IntegerField(label=_("Attended (or took part)"), min_value=0, required=False)
    attendees = forms.CharField(
        label=_("Who attended"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    households_expected = forms.IntegerField(
        label=_("Households (an assembly counted by households)"), min_value=0, required=False
    )
    households_present = forms.IntegerField(
        label=_("Households represented"), min_value=0, required=False
    )
    votes_for = forms.IntegerField(label=_("In favour"), min_value=0, required=False)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, required=False)
    votes_abstain = forms.IntegerField(label=_("Abstaining"), min_value=0, required=False)
    publicity_start = forms.DateField(label=_("Notice up from"), widget=DATE, required=False)
    publicity_end = forms.DateField(label=_("Notice up until"), widget=DATE, required=False)
    publicity_place = forms.CharField(
        label=_("Where it was posted"), max_length=100, required=False
    )
    procurement_mode = forms.ChoiceField(
        label=_("How it was bought"),
        choices=[("", "—"), *ProcurementMode.choices],
        required=False,
    )
    quotes = forms.IntegerField(label=_("Quotes or bids received"), min_value=0, required=False)
    document = forms.FileField(
        label=_("Document (minutes, sign-in sheet, photo of the notice)"),
        required=False,
        help_text=_("A PDF, JPEG or PNG of at most 10 MB."),
    )
    as_exception = forms.BooleanField(
        label=_("Record it as an exception: the supervision committee and the township see it"),
        required=False,
    )
    explanation = forms.CharField(
        label=_("Why it was done so"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, steps: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].choices = steps  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("held_on") is None and data.get("publicity_start") is None:
            self.add_error("held_on", _("Give the date of the step."))
        return data

    def evidence(self) -> Evidence:
        """What the form says happened, for the engine (a notice dates from its first day)."""
        data = self.cleaned_data
        given = {
            name: data[name]
            for name in Evidence.__dataclass_fields__
            if name not in ("held_on", "taken")
        }
        held_on = data["held_on"] or data["publicity_start"]
        return Evidence(held_on=held_on, taken=not data["not_taken"], **given)


class ReviewForm(forms.Form):
    form_name = "review"

    comment = forms.CharField(
        label=_("What was found and what the village must do"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
