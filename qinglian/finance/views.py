"""Staff pages of the three capitals: ledger months, statements, import, contracts, registers.

Each view: access through the policy, then a selector or a service; a
``DomainError`` becomes a message the bookkeeper can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qinglian.accounts.models import Role
from qinglian.accounts.policy import access_object, access_region, can_reach_region, is_staff_member
from qinglian.core.calendar import month_from_key
from qinglian.core.errors import DomainError
from qinglian.directory.models import Region
from qinglian.disclosures.services import statement_submit
from qinglian.finance import property_selectors, property_services, selectors, services
from qinglian.finance.forms import (
    AssetChangeForm,
    AssetForm,
    AttachmentForm,
    ContractForm,
    FundAccountForm,
    LedgerUploadForm,
    ReasonForm,
    ResourceChangeForm,
    ResourceForm,
    SignoffForm,
)
from qinglian.finance.ledger_import import ledger_import_error_workbook, ledger_import_file
from qinglian.finance.models import Asset, LedgerImport, LedgerMonth, Resource, VoucherAttachment
from qinglian.finance.property_services import ContractInput
from qinglian.finance.spreadsheet import ledger_template_xlsx

# Roles that keep a village's books: record, import, close and send for publication.
FINANCE_EDITOR_ROLES = frozenset({Role.VILLAGE_ACCOUNTANT, Role.VILLAGE_CADRE, Role.ADMIN})
# Roles whose signature joins a voucher's sign-off chain (the committee reviews).
SIGNOFF_ROLES = FINANCE_EDITOR_ROLES | {Role.SUPERVISION_COMMITTEE}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(text: str) -> date:
    try:
        return month_from_key(text)
    except ValueError:
        raise Http404 from None


def _error_file(ledger_import: LedgerImport) -> str:
    return f"ledger-import-errors/{ledger_import.pk}.xlsx"


@login_required
def ledger(request: HttpRequest, code: str) -> HttpResponse:
    region = access_region(request.user, code)
    months = Paginator(selectors.ledger_months_in(region), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/ledger.html",
        {
            "region": region,
            "page": months,
            "accounts": selectors.fund_accounts_of(region) if region.is_village else [],
            "limits": selectors.limits_in_force(region, timezone.localdate())
            if region.is_village
            else [],
            "can_edit": _can_edit(request, region),
        },
    )


@login_required
def statement(request: HttpRequest, code: str, month: str) -> HttpResponse:
    region = access_region(request.user, code)
    if not region.is_village:
        raise Http404
    result = selectors.monthly_statement_for(region, _month(month))
    return render(
        request,
        "finance/statement.html",
        {
            "region": region,
            "statement": result,
            "can_edit": _can_edit(request, region),
            "reason_form": ReasonForm(),
        },
    )


def _can_edit(request: HttpRequest, region: Region) -> bool:
    return region.is_village and can_reach_region(request.user, region, roles=FINANCE_EDITOR_ROLES)


def _editable_month(request: HttpRequest, code: str, month: str) -> LedgerMonth:
    region = access_region(request.user, code, roles=FINANCE_EDITOR_ROLES)
    ledger_month = LedgerMonth.objects.filter(village=region, month=_month(month)).first()
    if ledger_month is None:
        raise Http404
    return ledger_month


@login_required
@require_POST
def month_close(request: HttpRequest, code: str, month: str) -> HttpResponse:
    ledger_month = _editable_month(request, code, month)
    try:
        services.ledger_month_close(actor=request.user, ledger_month=ledger_month)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The month is closed."))
    return redirect("finance:statement", code=code, month=month)


@login_required
@require_POST
def month_reopen(request: HttpRequest, code: str, month: str) -> HttpResponse:
    ledger_month = _editable_month(request, code, month)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.ledger_month_reopen(actor=request.user, ledger_month=ledger_month, reason=reason)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The month is open again; the reason is kept."))
    return redirect("finance:statement", code=code, month=month)


@login_required
@require_POST
def month_submit(request: HttpRequest, code: str, month: str) -> HttpResponse:
    """Send the closed month's list to the supervision committee; it is published once signed."""
    ledger_month = _editable_month(request, code, month)
    try:
        draft = statement_submit(actor=request.user, ledger_month=ledger_month)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("finance:statement", code=code, month=month)
    messages.success(
        request,
        _("The list is with the supervision committee; it is published once they sign it."),
    )
    return redirect("disclosures_work:draft", pk=draft.pk)


@login_required
def ledger_upload(request: HttpRequest, code: str) -> HttpResponse:
    region = access_region(request.user, code, roles=FINANCE_EDITOR_ROLES)
    if not region.is_village:
        raise Http404
    form = LedgerUploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            result = ledger_import_file(
                actor=request.user,
                village=region,
                month=form.cleaned_data["month"],
                file_name=upload.name,
                content=content,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else "file", error.message)
        else:
            if result.accepted:
                messages.success(
                    request,
                    _("%(vouchers)d vouchers with %(lines)d lines are recorded.")
                    % {"vouchers": result.vouchers, "lines": result.lines},
                )
                return redirect(
                    "finance:statement",
                    code=region.code,
                    month=f"{form.cleaned_data['month']:%Y-%m}",
                )
            assert result.ledger_import is not None
            default_storage.save(
                _error_file(result.ledger_import),
                ContentFile(ledger_import_error_workbook(content=content, errors=result.errors)),
            )
    return render(
        request, "finance/upload.html", {"region": region, "form": form, "result": result}
    )


@login_required
def import_errors(request: HttpRequest, pk: int) -> FileResponse:
    # The file is the upload itself, ID numbers as typed: only those who keep the
    # village's books get it back (others see ID numbers masked everywhere).
    ledger_import = access_object(
        request.user, LedgerImport.objects.all(), pk, roles=FINANCE_EDITOR_ROLES
    )
    name = _error_file(ledger_import)
    if ledger_import.accepted or not default_storage.exists(name):
        raise Http404
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=f"{ledger_import.month:%Y-%m}-errors.xlsx",
        content_type=XLSX,
    )


@login_required
def ledger_template(request: HttpRequest) -> HttpResponse:
    if not is_staff_member(request.user):
        raise Http404
    response = HttpResponse(ledger_template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="ledger-template.xlsx"'
    return response


@login_required
def contracts(request: HttpRequest, code: str) -> HttpResponse:
    region = access_region(request.user, code)
    today = timezone.localdate()
    summaries = (
        property_selectors.contract_summary_by_village(region, on=today)
        if not region.is_village
        else []
    )
    return render(
        request,
        "finance/contracts.html",
        {
            "region": region,
            "rows": property_selectors.contracts_in(region, on=today),
            "summaries": summaries,
            "today": today,
            "can_edit": _can_edit(request, region),
        },
    )


@login_required
def property_registers(request: HttpRequest, code: str) -> HttpResponse:
    region = access_region(request.user, code)
    year = timezone.localdate().year
    return render(
        request,
        "finance/property.html",
        {
            "region": region,
            "assets": property_selectors.assets_in(region),
            "resources": property_selectors.resources_in(region),
            "income": property_selectors.income_by_source(region, year)
            if region.is_village
            else [],
            "year": year,
            "can_edit": _can_edit(request, region),
        },
    )


def _editable_village(request: HttpRequest, code: str) -> Region:
    village = access_region(request.user, code, roles=FINANCE_EDITOR_ROLES)
    if not village.is_village:
        raise Http404
    return village


def _record(
    request: HttpRequest,
    form: forms.Form,
    write: Callable[[dict[str, Any]], object],
    done: str,
) -> bool:
    """Validate ``form`` and run ``write`` on its data; a refusal lands on the field it names."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return False
    messages.success(request, done)
    return True


@login_required
def account_new(request: HttpRequest, code: str) -> HttpResponse:
    village = _editable_village(request, code)
    form = FundAccountForm(request.POST or None)

    def write(data: dict[str, Any]) -> object:
        return services.fund_account_open(actor=request.user, village=village, **data)

    if _record(request, form, write, _("The account is opened.")):
        return redirect("finance:ledger", code=village.code)
    return _form_page(request, village, form, _("Open a fund account"))


@login_required
def contract_new(request: HttpRequest, code: str) -> HttpResponse:
    village = _editable_village(request, code)
    form = ContractForm(request.POST or None)

    def write(data: dict[str, Any]) -> object:
        person, company = selectors.counterparty_by_name(village, data["counterparty_name"])
        return property_services.contract_record(
            actor=request.user,
            village=village,
            data=ContractInput(
                number=data["number"],
                title=data["title"],
                kind=data["kind"],
                direction=data["direction"],
                counterparty_person=person,
                counterparty_company=company,
                counterparty_name="" if person or company else data["counterparty_name"],
                signed_on=data["signed_on"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                amount=data["amount"],
                annual_rent=data["annual_rent"],
                area_mu=data["area_mu"],
                resolution_reference=data["resolution_reference"],
                power_matter_id=data["power_matter_id"],
            ),
            instalments=data["instalments"],
        )

    if _record(request, form, write, _("The contract is recorded.")):
        return redirect("finance:contracts", code=village.code)
    return _form_page(request, village, form, _("Record a contract"))


@login_required
def asset_new(request: HttpRequest, code: str) -> HttpResponse:
    village = _editable_village(request, code)
    form = AssetForm(request.POST or None)

    def write(data: dict[str, Any]) -> object:
        return property_services.asset_register(actor=request.user, village=village, **data)

    if _record(request, form, write, _("The asset is registered.")):
        return redirect("finance:property", code=village.code)
    return _form_page(request, village, form, _("Register an asset"))


@login_required
def resource_new(request: HttpRequest, code: str) -> HttpResponse:
    village = _editable_village(request, code)
    form = ResourceForm(request.POST or None)

    def write(data: dict[str, Any]) -> object:
        return property_services.resource_register(actor=request.user, village=village, **data)

    if _record(request, form, write, _("The resource is registered.")):
        return redirect("finance:property", code=village.code)
    return _form_page(request, village, form, _("Register a resource"))


def _form_page(request: HttpRequest, village: Region, form: forms.Form, title: str) -> HttpResponse:
    return render(request, "finance/form.html", {"region": village, "form": form, "title": title})


@login_required
def voucher_detail(request: HttpRequest, pk: int) -> HttpResponse:
    voucher = access_object(request.user, selectors.voucher_with_history(), pk)
    village = voucher.village
    return render(
        request,
        "finance/voucher.html",
        {
            "voucher": voucher,
            "region": village,
            "can_edit": _can_edit(request, village),
            "can_sign": can_reach_region(request.user, village, roles=SIGNOFF_ROLES),
            "attachment_form": AttachmentForm(),
            "signoff_form": SignoffForm(initial={"signed_on": timezone.localdate()}),
        },
    )


@login_required
@require_POST
def voucher_attach(request: HttpRequest, pk: int) -> HttpResponse:
    voucher = access_object(request.user, selectors.voucher_with_history(), pk)
    _editable_village(request, voucher.village.code)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.voucher_attach(
                actor=request.user,
                voucher=voucher,
                kind=form.cleaned_data["kind"],
                file_name=upload.name,
                content=upload.read(),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The file is attached."))
    else:
        messages.error(request, _("Choose the kind of file and the file to attach."))
    return redirect("finance:voucher", pk=voucher.pk)


@login_required
@require_POST
def voucher_sign(request: HttpRequest, pk: int) -> HttpResponse:
    voucher = access_object(request.user, selectors.voucher_with_history(), pk, roles=SIGNOFF_ROLES)
    form = SignoffForm(request.POST)
    if form.is_valid():
        try:
            services.voucher_sign(actor=request.user, voucher=voucher, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The signature is recorded."))
    else:
        messages.error(request, _("Give the role, the name and the date of the signature."))
    return redirect("finance:voucher", pk=voucher.pk)


@login_required
def attachment_file(request: HttpRequest, pk: int) -> FileResponse:
    attachment = access_object(request.user, VoucherAttachment.objects.all(), pk)
    return FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)


@login_required
def asset_change(request: HttpRequest, pk: int) -> HttpResponse:
    asset = access_object(
        request.user, Asset.objects.select_related("village"), pk, roles=FINANCE_EDITOR_ROLES
    )
    form = AssetChangeForm(request.POST or None)

    def write(data: dict[str, Any]) -> object:
        return property_services.asset_change(actor=request.user, asset=asset, **data)

    if _record(request, form, write, _("The change is recorded.")):
        return redirect("finance:property", code=asset.village.code)
    return _form_page(request, asset.village, form, _("Change of %(name)s") % {"name": asset.name})


@login_required
def resource_change(request: HttpRequest, pk: int) -> HttpResponse:
    resource = access_object(
        request.user, Resource.objects.select_related("village"), pk, roles=FINANCE_EDITOR_ROLES
    )
    form = ResourceChangeForm(request.POST or None)

    def write(data: dict[str, Any]) -> object:
        return property_services.resource_change(actor=request.user, resource=resource, **data)

    if _record(request, form, write, _("The change is recorded.")):
        return redirect("finance:property", code=resource.village.code)
    title = _("Change of %(name)s") % {"name": resource.name}
    return _form_page(request, resource.village, form, title)
