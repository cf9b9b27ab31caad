"""The chart of accounts, fund accounts, ledger months, vouchers and their lines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qinglian.directory.models import Company, Person, Region

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def cents(value: Decimal | float) -> Decimal:
    """A sum read back from the database, to the cent: SQLite sums NUMERIC columns in
    floating point (exact to the cent far beyond any village's books)."""
    return Decimal(value).quantize(CENT)


def _partial_indexes(prefix: str, fields: list[str]) -> list[models.Index]:
    """An index per optional foreign key, over the rows that have one."""
    return [
        models.Index(
            fields=[field],
            condition=Q(**{f"{field}__isnull": False}),
            name=f"{prefix}_{field}_set"[:30],
        )
        for field in fields
    ]


class SubjectCategory(models.TextChoices):
    ASSET = "asset", _("assets")
    LIABILITY = "liability", _("liabilities")
    EQUITY = "equity", _("owners' equity")
    COST = "cost", _("costs")
    PROFIT_LOSS = "profit_loss", _("income and expense")


class SubjectKind(models.TextChoices):
    """How a subject counts in the monthly statement."""

    FUND = "fund", _("funds (cash and bank)")
    INCOME = "income", _("income")
    EXPENSE = "expense", _("expense")
    OTHER = "other", _("other")


class Direction(models.TextChoices):
    DEBIT = "debit", pgettext_lazy("bookkeeping", "debit")
    CREDIT = "credit", pgettext_lazy("bookkeeping", "credit")


class Subject(models.Model):
    """A subject of the chart of accounts.

    The national chart ships with the code (``region`` empty); a village or a
    township may add detail subjects under a national one (``region`` set).
    """

    access_region_path = "region__path"

    chart = models.CharField(_("chart"), max_length=16)
    code = models.CharField(_("subject code"), max_length=16)
    name = models.CharField(_("subject name"), max_length=60)
    category = models.CharField(_("category"), max_length=16, choices=SubjectCategory.choices)
    kind = models.CharField(_("kind in the statement"), max_length=8, choices=SubjectKind.choices)
    normal_balance = models.CharField(_("normal balance"), max_length=8, choices=Direction.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent subject"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="finance_subjects",
        help_text=_("Empty for the national chart; set for a region's own detail subjects."),
    )

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("chart of accounts")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["chart", "code"],
                condition=Q(region__isnull=True),
                name="national_subject_code_once",
            ),
            models.UniqueConstraint(
                fields=["chart", "region", "code"], name="region_subject_code_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FundAccountKind(models.TextChoices):
    CASH = "cash", _("cash")
    BANK = "bank", _("bank account")
    CARD = "card", _("village affairs card")


class FundAccount(models.Model):
    """A collective account holding money: the cash box, a bank account, the village card."""

    access_region_path = "village__path"

    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="fund_accounts"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=FundAccountKind.choices)
    name = models.CharField(_("account name"), max_length=60)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    number_tail = models.CharField(_("last digits of the account number"), max_length=6, blank=True)
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="fund_accounts"
    )
    opening_balance = models.DecimalField(_("opening balance"), default=ZERO, **MONEY)
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("fund account")
        verbose_name_plural = _("fund accounts")
        ordering = ["village_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="fund_account_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class LedgerMonthStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class LedgerMonth(models.Model):
    """One village's books for one calendar month. Closed months change only by correction."""

    access_region_path = "village__path"

    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="ledger_months"
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=LedgerMonthStatus.choices,
        default=LedgerMonthStatus.OPEN,
    )
    revision = models.PositiveIntegerField(_("revision"), default=1)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_revision = models.PositiveIntegerField(_("published revision"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ledger month")
        verbose_name_plural = _("ledger months")
        ordering = ["village_id", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["village", "month"], name="ledger_month_once"),
        ]

    def __str__(self) -> str:
        return f"{self.village} {self.month:%Y-%m}"

    @property
    def is_closed(self) -> bool:
        return self.status == LedgerMonthStatus.CLOSED

    @property
    def is_published(self) -> bool:
        return self.published_revision is not None


class CorrectionKind(models.TextChoices):
    REOPEN = "reopen", _("month reopened")
    REPLACE = "replace", _("month replaced by a new upload")
    VOUCHER = "voucher", _("voucher corrected")


class LedgerCorrection(models.Model):
    """Why a closed or published month changed. Kept for ever, shown with the statement."""

    access_region_path = "ledger_month__village__path"

    ledger_month = models.ForeignKey(
        LedgerMonth,
        verbose_name=_("ledger month"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    revision = models.PositiveIntegerField(_("revision"))
    kind = models.CharField(_("kind"), max_length=8, choices=CorrectionKind.choices)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger correction")
        verbose_name_plural = _("ledger corrections")
        ordering = ["ledger_month_id", "revision"]

    def __str__(self) -> str:
        return f"{self.ledger_month} r{self.revision}: {self.reason[:40]}"


class LedgerImport(models.Model):
    """One uploaded file, accepted (all rows written) or refused (nothing written)."""

    access_region_path = "village__path"

    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="ledger_imports"
    )
    month = models.DateField(_("month"))
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    accepted = models.BooleanField(_("accepted"))
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    correction = models.ForeignKey(
        LedgerCorrection,
        verbose_name=_("correction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ledger import")
        verbose_name_plural = _("ledger imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.village} {self.month:%Y-%m} {self.file_name}"


class Voucher(models.Model):
    """An accounting voucher: a numbered, dated, balanced set of lines.

    A correction never edits a voucher in place: it marks the old one superseded
    (``superseded_by``) and writes the new one, so the history stays readable.
    """

    access_region_path = "village__path"

    # Indexed through (village, date) below.
    village = models.ForeignKey(
        Region,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="vouchers",
        db_index=False,
    )
    ledger_month = models.ForeignKey(
        LedgerMonth,
        verbose_name=_("ledger month"),
        on_delete=models.PROTECT,
        related_name="vouchers",
    )
    number = models.PositiveIntegerField(_("voucher number"))
    # The month's revision in which this voucher was written.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    date = models.DateField(_("date"))
    summary = models.CharField(_("summary"), max_length=200)
    handler = models.ForeignKey(
        Person,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_vouchers",
        db_index=False,
    )
    handler_name = models.CharField(_("handler"), max_length=40, blank=True)
    # The power matter authorising this payment. Matters (powers) do not exist yet;
    # the id is kept so that the rule asking for it can be switched on later.
    power_matter_id = models.BigIntegerField(_("authorising power matter"), null=True, blank=True)
    # Not indexed: nothing looks vouchers up by their upload (imports are never deleted).
    ledger_import = models.ForeignKey(
        LedgerImport,
        verbose_name=_("imported from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="vouchers",
        db_index=False,
    )
    superseded_by = models.ForeignKey(
        LedgerCorrection,
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_vouchers",
        db_index=False,
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["ledger_month_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["ledger_month", "number"],
                condition=Q(superseded_by__isnull=True),
                name="voucher_number_once_per_month",
            )
        ]
        # Optional links are mostly empty: partial indexes cost nothing for the empty rows,
        # which keeps a 100,000-line import fast.
        indexes = [
            models.Index(fields=["village", "date"], name="voucher_village_date"),
            *_partial_indexes("voucher", ["handler", "superseded_by"]),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m} #{self.number} {self.summary}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("cash")
    TRANSFER = "transfer", _("bank transfer")
    CARD = "card", _("village affairs card")


class VoucherLine(models.Model):
    access_region_path = "voucher__village__path"

    # Indexed through (voucher, line_no) below.
    voucher = models.ForeignKey(
        Voucher,
        verbose_name=_("voucher"),
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
    )
    line_no = models.PositiveSmallIntegerField(_("line"))
    summary = models.CharField(_("summary"), max_length=200)
    # Not indexed: lines are read through their voucher (and subjects are never deleted).
    subject = models.ForeignKey(
        Subject,
        verbose_name=_("subject"),
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
    )
    account = models.ForeignKey(
        FundAccount,
        verbose_name=_("fund account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
    )
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    payment_method = models.CharField(
        _("payment method"), max_length=8, choices=PaymentMethod.choices, blank=True
    )
    counterparty_person = models.ForeignKey(
        Person,
        verbose_name=_("counterparty (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voucher_lines",
        db_index=False,
    )
    counterparty_company = models.ForeignKey(
        Company,
        verbose_name=_("counterparty (company)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voucher_lines",
        db_index=False,
    )
    counterparty_name = models.CharField(_("counterparty"), max_length=120, blank=True)
    contract = models.ForeignKey(
        "finance.Contract",
        verbose_name=_("contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
    )
    asset = models.ForeignKey(
        "finance.Asset",
        verbose_name=_("asset"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
    )
    resource = models.ForeignKey(
        "finance.Resource",
        verbose_name=_("resource"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lines",
        db_index=False,
    )

    class Meta:
        verbose_name = _("voucher line")
        verbose_name_plural = _("voucher lines")
        ordering = ["voucher_id", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["voucher", "line_no"], name="voucher_line_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="voucher_line_amount_positive"),
        ]
        indexes = _partial_indexes(
            "line",
            [
                "account",
                "counterparty_person",
                "counterparty_company",
                "contract",
                "asset",
                "resource",
            ],
        )

    def __str__(self) -> str:
        return f"{self.subject_id} {self.direction} {self.amount}"

    @property
    def signed_amount(self) -> Decimal:
        """Debit positive, credit negative."""
        return self.amount if self.direction == Direction.DEBIT else -self.amount

    @property
    def counterparty_label(self) -> str:
        """The company's or the person's name, else the name as written."""
        if self.counterparty_company is not None:
            return self.counterparty_company.name
        if self.counterparty_person is not None:
            return self.counterparty_person.name
        return self.counterparty_name


class SignoffRole(models.TextChoices):
    """The joint sign-off chain (联审联签), in its usual order."""

    HANDLER = "handler", _("handler")
    FINANCE_REVIEW = "finance_review", _("supervision committee review")
    COMMITTEE_CHAIR = "committee_chair", _("villagers' committee chair")
    PARTY_SECRETARY = "party_secretary", _("party branch secretary")
    TOWNSHIP = "township", _("township approval")


class VoucherSignoff(models.Model):
    access_region_path = "voucher__village__path"

    voucher = models.ForeignKey(
        Voucher, verbose_name=_("voucher"), on_delete=models.PROTECT, related_name="signoffs"
    )
    step = models.PositiveSmallIntegerField(_("step"))
    role = models.CharField(_("signed as"), max_length=20, choices=SignoffRole.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="voucher_signoffs",
    )
    name = models.CharField(_("name"), max_length=40)
    signed_on = models.DateField(_("signed on"))

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        ordering = ["voucher_id", "step"]
        constraints = [
            models.UniqueConstraint(fields=["voucher", "step"], name="voucher_signoff_step_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class AttachmentKind(models.TextChoices):
    INVOICE = "invoice", _("invoice")
    RECEIPT = "receipt", _("receipt")
    CONTRACT = "contract", _("contract")
    OTHER = "other", _("other")


class VoucherAttachment(models.Model):
    access_region_path = "voucher__village__path"

    voucher = models.ForeignKey(
        Voucher, verbose_name=_("voucher"), on_delete=models.PROTECT, related_name="attachments"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to="vouchers/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["voucher_id", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sha256[:8]}"
