"""The villager's forms of the mailbox. Forms read the input; the services hold the rules."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinglian.appeals.models import Category, Channel, Kind, Rating
from qinglian.appeals.services import ATTACHMENTS_MAX, TEXT_MAX, SubmissionConflict, Upload
from qinglian.core.errors import DomainError
from qinglian.core.files import DOCUMENT_MAX_BYTES
from qinglian.disclosures.selectors import PublishedLine

HONEYPOT = "website"
NUMBER_PAD = {"inputmode": "numeric", "autocomplete": "off", "autocapitalize": "off"}


def submission_key_new() -> str:
    """A random token that names one sending of the form (so a double tap makes one case)."""
    return secrets.token_urlsafe(24)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; the list is empty when none was chosen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > ATTACHMENTS_MAX:
            raise forms.ValidationError(
                _("Attach at most %(n)d photos or files.") % {"n": ATTACHMENTS_MAX}
            )
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        for upload in cleaned:
            if upload.size is not None and upload.size > DOCUMENT_MAX_BYTES:
                raise forms.ValidationError(_("The file is larger than 10 MB."))
        return cleaned


class AppealForm(forms.Form):
    """Write to the village: a question, complaint, report or suggestion."""

    kind = forms.ChoiceField(
        label=gettext_lazy("What is it?"), choices=Kind.choices, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(
        label=gettext_lazy("What is it about?"), choices=Category.choices, initial=Category.OTHER
    )
    text = forms.CharField(
        label=gettext_lazy("Your message"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_MAX}),
        help_text=gettext_lazy(
            "What happened, when and where. Details only you could know can identify you."
        ),
    )
    subjects = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Cadres concerned (optional)"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "A case naming a cadre goes to the township discipline commission, not to the village."
        ),
    )
    file = MultipleFileField(
        label=gettext_lazy("Photos or PDF files (optional, up to 4)"),
        required=False,
        help_text=gettext_lazy(
            "Photos may carry the place and time they were taken. Send only what you are "
            "ready to show."
        ),
    )
    anonymous = forms.BooleanField(
        label=gettext_lazy("Send without my name"), required=False, initial=True
    )
    name = forms.CharField(label=gettext_lazy("Your name"), required=False, max_length=40)
    phone = forms.CharField(
        label=gettext_lazy("Your mobile number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    # Hidden from people by the stylesheet; robots fill it in.
    website = forms.CharField(
        label=gettext_lazy("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    d = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    line = forms.CharField(widget=forms.HiddenInput, required=False, max_length=80)

    def __init__(
        self,
        *args: Any,
        cadres: list[tuple[int, str]],
        line: PublishedLine | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.line_asked = line
        subjects = self.fields["subjects"]
        assert isinstance(subjects, forms.TypedMultipleChoiceField)
        subjects.choices = cadres
        if not cadres:
            del self.fields["subjects"]
        self.initial.setdefault("submission_key", submission_key_new())
        if line is not None:
            self.initial.update(
                {
                    "d": line.disclosure.pk,
                    "line": line.key,
                    "kind": Kind.QUESTION,
                    "category": Category.FINANCE,
                }
            )

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(HONEYPOT))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("d") or data.get("line")) and self.line_asked is None:
            raise forms.ValidationError(
                _("That line is not among the village's published lines any more.")
            )
        if data.get("anonymous") and (
            str(data.get("name") or "").strip() or str(data.get("phone") or "").strip()
        ):
            self.add_error(
                "anonymous",
                _(
                    "You wrote a name or a phone number: untick “send without my name” "
                    "to send them, or clear them."
                ),
            )
        return data

    def submission(self) -> dict[str, Any]:
        """The arguments of ``appeal_submit`` (all but the village)."""
        data = self.cleaned_data
        line = self.line_asked
        named = not data["anonymous"]
        return {
            "kind": data["kind"],
            "category": data["category"],
            "channel": Channel.QR_PORTAL,
            "text": data["text"],
            "subject_ids": data.get("subjects") or [],
            "disclosure_id": line.disclosure.pk if line else None,
            "line_key": line.key if line else "",
            "line_label": line.label if line else "",
            "name": data["name"] if named else "",
            "phone": data["phone"] if named else "",
            "uploads": [Upload(f.name or "", f.read()) for f in data["file"]],
            "submission_key": data["submission_key"],
        }

    def refuse(self, error: DomainError) -> None:
        """Show a service's refusal on the field at fault, or above the form."""
        if isinstance(error, SubmissionConflict):
            # The form was sent before with other words (the back button): this is a new one.
            data = QueryDict(mutable=True)
            data.update(self.data)
            data["submission_key"] = submission_key_new()
            self.data = data
            self.add_error(
                None,
                _(
                    "This form was already sent with other words. Check your message and "
                    "press send again to send it as a new case."
                ),
            )
            return
        visible = {f.name for f in self.visible_fields()}
        self.add_error(error.field if error.field in visible else None, error.message)


class TrackForm(forms.Form):
    receipt = forms.CharField(
        label=gettext_lazy("Receipt number"),
        max_length=40,
        widget=forms.TextInput(attrs=NUMBER_PAD),
        help_text=gettext_lazy("12 digits"),
    )
    secret = forms.CharField(
        label=gettext_lazy("Secret number"),
        max_length=60,
        widget=forms.TextInput(attrs=NUMBER_PAD),
        help_text=gettext_lazy("20 digits; spaces do not matter"),
    )


class CaseForm(forms.Form):
    """A form of the case page: ids prefixed by the form's name (several share a page)."""

    prefix_id = "case"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.prefix_id}_%s")
        super().__init__(*args, **kwargs)


class WriteForm(CaseForm):
    prefix_id = "write"
    text = forms.CharField(
        label=gettext_lazy("Write to the handler"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_MAX}),
    )


class RateForm(CaseForm):
    prefix_id = "rate"
    rating = forms.ChoiceField(
        label=gettext_lazy("Are you satisfied with the answer?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )


class ReopenForm(CaseForm):
    prefix_id = "reopen"
    text = forms.CharField(
        label=gettext_lazy("Why are you not satisfied?"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
        help_text=gettext_lazy(
            "A case can be reopened once. It then goes to the township discipline commission."
        ),
    )
