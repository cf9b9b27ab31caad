"""Staff forms of the books: uploads, fund accounts, contracts, assets and resources.

Forms only read the input; every rule is the service's, whose ``DomainError``
the view puts on the field it names.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qinglian.core.calendar import month_from_key
from qinglian.finance.models import (
    AssetCategory,
    AssetKind,
    AssetStatus,
    AttachmentKind,
    ContractDirection,
    ContractKind,
    FundAccountKind,
    ResourceKind,
    ResourceStatus,
    SignoffRole,
)
from qinglian.finance.property_services import InstalmentInput

DATE_INPUT = forms.DateInput(attrs={"type": "date"})
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
_INSTALMENT = re.compile(r"^\s*(\d{4}-\d{1,2}-\d{1,2})[\s,，]+([\d,]+(?:\.\d{1,2})?)\s*$")


class LedgerUploadForm(forms.Form):
    month = forms.CharField(
        label=gettext_lazy("Month"),
        help_text=gettext_lazy("For example 2025-03."),
        max_length=7,
    )
    file = forms.FileField(
        label=gettext_lazy("Ledger file"),
        help_text=gettext_lazy("The template filled in (.xlsx), or a CSV file with its columns."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Needed only when the month is already closed or published."),
    )

    def clean_month(self) -> date:
        try:
            return month_from_key(self.cleaned_data["month"])
        except ValueError:
            raise forms.ValidationError(
                _("Write the month as year-month, for example 2025-03.")
            ) from None

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=500)


class FundAccountForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=FundAccountKind.choices)
    name = forms.CharField(label=gettext_lazy("Account name"), max_length=60)
    bank_name = forms.CharField(label=gettext_lazy("Bank"), max_length=60, required=False)
    number_tail = forms.CharField(
        label=gettext_lazy("Last digits of the account number"), max_length=6, required=False
    )
    opening_balance = forms.DecimalField(
        label=gettext_lazy("Opening balance"), max_digits=14, decimal_places=2, initial=0
    )
    opened_on = forms.DateField(label=gettext_lazy("Opened on"), widget=DATE_INPUT)


class ContractForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Contract number"), max_length=40)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=160)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ContractKind.choices)
    direction = forms.ChoiceField(label=gettext_lazy("Money"), choices=ContractDirection.choices)
    counterparty_name = forms.CharField(
        label=gettext_lazy("Counterparty"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("A person's or a company's name as written in the contract."),
    )
    signed_on = forms.DateField(label=gettext_lazy("Signed on"), required=False, widget=DATE_INPUT)
    starts_on = forms.DateField(label=gettext_lazy("Term from"), required=False, widget=DATE_INPUT)
    ends_on = forms.DateField(label=gettext_lazy("Term until"), required=False, widget=DATE_INPUT)
    amount = forms.DecimalField(
        label=gettext_lazy("Total amount"), max_digits=14, decimal_places=2, required=False
    )
    annual_rent = forms.DecimalField(
        label=gettext_lazy("Annual rent"), max_digits=14, decimal_places=2, required=False
    )
    area_mu = forms.DecimalField(
        label=gettext_lazy("Area (mu)"), max_digits=10, decimal_places=2, required=False
    )
    resolution_reference = forms.CharField(
        label=gettext_lazy("Authorising resolution"), max_length=120, required=False
    )
    power_matter_id = forms.IntegerField(
        label=gettext_lazy("Authorising power matter (number)"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("The number of the decided matter on the power list pages."),
    )
    instalments = forms.CharField(
        label=gettext_lazy("Payment schedule"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One instalment a line: due date and amount, e.g. 2026-01-10 5000."),
    )

    def clean_instalments(self) -> list[InstalmentInput]:
        schedule = []
        for number, text in enumerate(self.cleaned_data["instalments"].splitlines(), start=1):
            if not text.strip():
                continue
            match = _INSTALMENT.match(text)
            try:
                if match is None:
                    raise ValueError
                due_on = date.fromisoformat("-".join(part.zfill(2) for part in match[1].split("-")))
                amount = Decimal(match[2].replace(",", ""))
            except (ValueError, InvalidOperation):
                raise forms.ValidationError(
                    _("Line %(line)d: write the due date and the amount, e.g. 2026-01-10 5000.")
                    % {"line": number}
                ) from None
            schedule.append(InstalmentInput(due_on=due_on, amount=amount))
        return schedule


class AssetForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Asset number"), max_length=30)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=AssetCategory.choices)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=AssetKind.choices)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=AssetStatus.choices)
    acquired_on = forms.DateField(label=gettext_lazy("Acquired on"), widget=DATE_INPUT)
    original_value = forms.DecimalField(
        label=gettext_lazy("Original value"), max_digits=14, decimal_places=2
    )
    location = forms.CharField(label=gettext_lazy("Location"), max_length=120, required=False)


class ResourceForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Resource number"), max_length=30)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ResourceKind.choices)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ResourceStatus.choices)
    area_mu = forms.DecimalField(label=gettext_lazy("Area (mu)"), max_digits=10, decimal_places=2)
    registered_on = forms.DateField(label=gettext_lazy("Registered on"), widget=DATE_INPUT)
    location = forms.CharField(label=gettext_lazy("Location"), max_length=120, required=False)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=gettext_lazy("File"), help_text=gettext_lazy("A PDF, or a photo (JPEG or PNG).")
    )


class SignoffForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Signed as"), choices=SignoffRole.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=40)
    signed_on = forms.DateField(label=gettext_lazy("Signed on"), widget=DATE_INPUT)


class AssetChangeForm(forms.Form):
    changed_on = forms.DateField(label=gettext_lazy("Date"), widget=DATE_INPUT)
    status = forms.ChoiceField(
        label=gettext_lazy("New status"),
        choices=[("", "—"), *AssetStatus.choices],
        required=False,
    )
    value = forms.DecimalField(
        label=gettext_lazy("New book value"), max_digits=14, decimal_places=2, required=False
    )
    dispose = forms.BooleanField(label=gettext_lazy("Disposed of"), required=False)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For a disposal: how, and on whose decision."),
    )

    def clean_status(self) -> str | None:
        return self.cleaned_data["status"] or None


class ResourceChangeForm(forms.Form):
    changed_on = forms.DateField(label=gettext_lazy("Date"), widget=DATE_INPUT)
    status = forms.ChoiceField(
        label=gettext_lazy("New status"),
        choices=[("", "—"), *ResourceStatus.choices],
        required=False,
    )
    area_mu = forms.DecimalField(
        label=gettext_lazy("New area (mu)"), max_digits=10, decimal_places=2, required=False
    )
    dispose = forms.BooleanField(label=gettext_lazy("Disposed of"), required=False)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For a disposal: how, and on whose decision."),
    )

    def clean_status(self) -> str | None:
        return self.cleaned_data["status"] or None
