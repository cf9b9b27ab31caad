"""Forms of the mailbox's staff pages. Forms read the input; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qinglian.appeals.models import Kind, Outcome
from qinglian.appeals.sealing import MIN_PASSPHRASE_LENGTH
from qinglian.appeals.work_selectors import QueueFilters
from qinglian.directory.models import Region

TEXT = {"rows": 4}
STATE_CHOICES = [
    ("all", _("all")),
    ("open", _("open")),
    ("answered", _("answered")),
    ("closed", _("closed or transferred")),
]


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the query string; a wrong value is ignored."""

    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("all kinds")), *Kind.choices], required=False
    )
    village = forms.ChoiceField(label=_("Village"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, data: Any, *, villages: list[Region]) -> None:
        super().__init__(data)
        field = self.fields["village"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("all villages"))] + [
            (v.code, f"{v.parent.name} · {v.name}" if v.parent else v.name) for v in villages
        ]

    def filters(self) -> QueueFilters:
        self.is_valid()
        data = self.cleaned_data
        return QueueFilters(
            state=data.get("state") or "all",
            kind=data.get("kind") or "",
            village=data.get("village") or "",
            overdue=bool(data.get("overdue")),
        )


class CaseForm(forms.Form):
    """A form on the case page: its fields' ids carry the form's name (several share a page)."""

    form_name = "case"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.form_name}-%s")
        super().__init__(*args, **kwargs)


class AcceptForm(CaseForm):
    form_name = "accept"
    text = forms.CharField(
        label=_("Note to the villager"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Optional. The villager sees that the case is accepted, and this note."),
    )


class AnswerForm(CaseForm):
    form_name = "answer"

    text = forms.CharField(
        label=_("Answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 6})
    )
    public_question = forms.CharField(
        label=_("Question as published"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_(
            "This question and your answer will be shown publicly beside the line on the "
            "village page, without the asker's name. Take out anything that would tell "
            "who asked."
        ),
    )

    def __init__(self, *args: Any, public: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not public:
            del self.fields["public_question"]


class WriteForm(CaseForm):
    form_name = "write"

    text = forms.CharField(
        label=_("Message to the villager"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("A question back, or news on the handling. It does not answer the case."),
    )


class CloseForm(CaseForm):
    form_name = "close"

    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    text = forms.CharField(
        label=_("Explanation to the villager"), max_length=2000, widget=forms.Textarea(attrs=TEXT)
    )


class ReassignForm(CaseForm):
    form_name = "reassign"

    to = forms.ChoiceField(label=_("Give it to"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Kept with the case for the handlers; the villager does not see it."),
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class TransferForm(CaseForm):
    form_name = "transfer"

    to = forms.CharField(
        label=_("Transferred to"),
        max_length=120,
        help_text=_("The body outside the platform that takes the case, e.g. a county bureau."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_("Kept with the case for the handlers. The villager is told where it went."),
    )


class RevealForm(CaseForm):
    form_name = "reveal"

    passphrase = forms.CharField(
        label=_("The commission's passphrase"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=_("Why you need the name"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded with your name in the case's history and in the audit log."),
    )


class SealingKeyForm(forms.Form):
    region = forms.ChoiceField(label=_("Commission of"))
    passphrase = forms.CharField(
        label=_("Passphrase"),
        strip=False,
        min_length=MIN_PASSPHRASE_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    passphrase_again = forms.CharField(
        label=_("The passphrase again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(r.code, r.name) for r in regions]
        self.fields["passphrase"].help_text = gettext(
            "At least %(n)d characters; several words are easier to remember than one."
        ) % {"n": MIN_PASSPHRASE_LENGTH}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, again = data.get("passphrase"), data.get("passphrase_again")
        if first and again is not None and first != again:
            self.add_error("passphrase_again", _("The two passphrases differ."))
        return data
