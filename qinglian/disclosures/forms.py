"""Staff forms of disclosures. Forms read the input; the services hold the rules."""

from __future__ import annotations

import csv
import io

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinglian.disclosures.models import CatalogItem

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def parse_table(text: str) -> tuple[list[str], list[list[str]]] | None:
    """A list pasted from a spreadsheet (tabs) or typed as CSV: the first row holds headings."""
    text = text.strip()
    if not text:
        return None
    dialect = "excel-tab" if "\t" in text.splitlines()[0] else "excel"
    rows = [row for row in csv.reader(io.StringIO(text), dialect=dialect) if any(row)]
    return rows[0], rows[1:]


class DraftForm(forms.Form):
    item = forms.ChoiceField(label=gettext_lazy("Catalog item"))
    period = forms.CharField(
        label=gettext_lazy("Period"),
        required=False,
        max_length=10,
        help_text=gettext_lazy(
            "For items published every month, quarter, half year or year: 2025-03, "
            "2025-Q1, 2025-H1 or 2025."
        ),
    )
    event_on = forms.DateField(
        label=gettext_lazy("Day it happened"),
        required=False,
        widget=DATE_INPUT,
        help_text=gettext_lazy("For items published as things happen."),
    )
    title = forms.CharField(
        label=gettext_lazy("Title"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Empty: the catalog item's title."),
    )
    body = forms.CharField(
        label=gettext_lazy("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    table = forms.CharField(
        label=gettext_lazy("Or a list"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Paste rows from a spreadsheet, the first row with the headings. Names, ID "
            "numbers and phone numbers are masked before anyone else sees them."
        ),
    )
    change_reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Needed when the item is already published: shown to villagers."),
    )

    def __init__(self, *args: object, items: list[CatalogItem], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        item_field = self.fields["item"]
        assert isinstance(item_field, forms.ChoiceField)
        item_field.choices = [
            (item.code, f"{item.code} {item.title} ({item.get_frequency_display()})")
            for item in items
        ]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not str(data.get("body") or "").strip() and not str(data.get("table") or "").strip():
            raise forms.ValidationError(_("Write the text, or paste a list."))
        return data


class RewriteForm(forms.Form):
    body = DraftForm.base_fields["body"]
    table = DraftForm.base_fields["table"]
    change_reason = DraftForm.base_fields["change_reason"]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("sign", gettext_lazy("Sign: it may be published")),
            ("return", gettext_lazy("Send back to be corrected")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Needed when sending back: say what must change."),
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Photo or PDF"), help_text=gettext_lazy("PDF, JPEG or PNG, up to 10 MB.")
    )
