"""The disclosure catalog: what each village must disclose, and how often."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from qinglian.directory.models import Region


class Category(models.TextChoices):
    PARTY = "party", _("party affairs")
    VILLAGE = "village", _("village affairs")
    FINANCE = "finance", _("financial affairs")
    GOVERNMENT = "government", _("government affairs")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    SEMIANNUAL = "semiannual", _("every half year")
    ANNUAL = "annual", _("yearly")
    EVENT = "event", _("as it happens")
    STANDING = "standing", _("standing, updated on change")
    PRE_DECISION = "pre_decision", _("before the decision")


class Catalog(models.Model):
    """One version of the catalog: the national default (``region`` empty) or a region's own.

    A village follows the catalog of the nearest region on its path that has one
    in force (the latest ``effective_from`` not after the date); a region edits
    its catalog by adopting a new version, never by changing one in force.
    """

    access_region_path = "region__path"

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosure_catalogs",
    )
    version = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("disclosure catalog")
        verbose_name_plural = _("disclosure catalogs")
        ordering = ["region_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="catalog_version_once"),
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(region__isnull=True),
                name="national_catalog_version_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region or _('national')} v{self.version}"


class CatalogItem(models.Model):
    access_region_path = "catalog__region__path"

    catalog = models.ForeignKey(
        Catalog, verbose_name=_("catalog"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("item code"), max_length=8)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    frequency = models.CharField(_("frequency"), max_length=16, choices=Frequency.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=160)
    basis = models.CharField(_("basis"), max_length=200, blank=True)
    due_day = models.PositiveSmallIntegerField(
        _("due day"),
        null=True,
        blank=True,
        help_text=_(
            "Day of the month by which a periodic item is due after its period ends "
            "(empty: the catalog's default for the frequency)."
        ),
    )
    event_days = models.PositiveSmallIntegerField(
        _("days after the event"),
        null=True,
        blank=True,
        help_text=_("For items published as things happen: days allowed (empty: the default)."),
    )
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("catalog item")
        verbose_name_plural = _("catalog items")
        ordering = ["catalog_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["catalog", "code"], name="catalog_item_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        """The item's title in the language of the page (Chinese unless English is asked for)."""
        language = get_language() or "zh-hans"
        return self.title_en if language.startswith("en") else self.title_zh


# --- what a village discloses -------------------------------------------------------


class ContentKind(models.TextChoices):
    TEXT = "text", _("text with attachments")
    TABLE = "table", _("list")
    STATEMENT = "statement", _("monthly financial list")


class Disclosure(models.Model):
    """One disclosure of a village: a catalog item for one period, one event, or standing.

    ``period_key`` names the period ("2025-03", "2025-Q1", "2025-H1", "2025"), the
    event ("E2025-03-14-1") or "standing". Its content lives in its versions: the
    first publication, then corrections (or, for standing items, updates).
    """

    access_region_path = "village__path"

    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="disclosures"
    )
    item_code = models.CharField(_("item code"), max_length=8)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    title = models.CharField(_("title"), max_length=200)
    period_key = models.CharField(_("period"), max_length=20)
    period_start = models.DateField(_("period starts"), null=True, blank=True)
    period_end = models.DateField(_("period ends"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    first_published_at = models.DateTimeField(_("first published at"), null=True, blank=True)
    last_published_at = models.DateTimeField(_("last published at"), null=True, blank=True)
    versions_published = models.PositiveSmallIntegerField(_("versions published"), default=0)
    search_text = models.TextField(_("searchable text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["village_id", "-period_end", "item_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "item_code", "period_key"], name="disclosure_once_per_period"
            )
        ]
        indexes = [
            models.Index(
                fields=["village", "category", "-last_published_at"],
                name="disclosure_published",
                condition=Q(versions_published__gt=0),
            )
        ]

    def __str__(self) -> str:
        return f"{self.item_code} {self.period_key}"

    @property
    def is_published(self) -> bool:
        return self.versions_published > 0

    @property
    def published_late(self) -> bool:
        return bool(
            self.due_on
            and self.first_published_at
            and timezone.localdate(self.first_published_at) > self.due_on
        )


class DraftState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("awaiting review")
    RETURNED = "returned", _("sent back")
    SIGNED = "signed", _("signed by the committee")
    PUBLISHED = "published", _("published")


class DisclosureDraft(models.Model):
    """A version in preparation: written by the village, reviewed by the supervision committee.

    Nothing is published unsigned. Once published the draft is frozen and its
    content lives on, unchangeable, in a ``DisclosureVersion``.
    """

    access_region_path = "disclosure__village__path"

    disclosure = models.ForeignKey(
        Disclosure, verbose_name=_("disclosure"), on_delete=models.PROTECT, related_name="drafts"
    )
    state = models.CharField(
        _("state"), max_length=12, choices=DraftState.choices, default=DraftState.DRAFT
    )
    kind = models.CharField(_("kind of content"), max_length=12, choices=ContentKind.choices)
    body = models.TextField(_("text"), blank=True)
    table = models.JSONField(_("list"), default=dict, blank=True)
    change_reason = models.TextField(_("reason for the change"), blank=True)
    source = models.CharField(_("source"), max_length=60, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        verbose_name = _("disclosure draft")
        verbose_name_plural = _("disclosure drafts")
        ordering = ["disclosure_id", "prepared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["disclosure"],
                condition=~Q(state="published"),
                name="one_open_draft_per_disclosure",
            )
        ]

    def __str__(self) -> str:
        return f"{self.disclosure} ({self.get_state_display()})"


class DisclosureAttachment(models.Model):
    access_region_path = "draft__disclosure__village__path"

    draft = models.ForeignKey(
        DisclosureDraft,
        verbose_name=_("draft"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    name = models.CharField(_("name"), max_length=100)
    file = models.FileField(_("file"), upload_to="disclosures/%Y/%m/")
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["draft_id", "pk"]

    def __str__(self) -> str:
        return self.name


class DisclosureVersion(models.Model):
    """A published version: frozen. The database refuses to change or delete it.

    ``content`` is exactly what was published (and, except for monthly
    statements, which finance logs as its own record, what the log holds).
    """

    access_region_path = "disclosure__village__path"

    disclosure = models.ForeignKey(
        Disclosure, verbose_name=_("disclosure"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    draft = models.OneToOneField(
        DisclosureDraft, verbose_name=_("draft"), on_delete=models.PROTECT, related_name="version"
    )
    kind = models.CharField(_("kind of content"), max_length=12, choices=ContentKind.choices)
    content = models.JSONField(_("content"))
    change_reason = models.TextField(_("reason for the change"), blank=True)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    record_type = models.CharField(_("log record type"), max_length=40)
    record_id = models.CharField(_("log record"), max_length=80)
    log_index = models.PositiveBigIntegerField(_("log index"))

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["disclosure_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["disclosure", "number"], name="version_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.disclosure} v{self.number}"


# --- visits of the public page (no personal data kept) -------------------------------


class VisitDay(models.Model):
    """Visits of a village's page on one day, and distinct visitors that day."""

    access_region_path = "village__path"

    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    visits = models.PositiveIntegerField(_("visits"), default=0)
    visitors = models.PositiveIntegerField(_("distinct visitors"), default=0)

    class Meta:
        verbose_name = _("visits of a day")
        verbose_name_plural = _("visits by day")
        constraints = [models.UniqueConstraint(fields=["village", "day"], name="visit_day_once")]

    def __str__(self) -> str:
        return f"{self.village_id} {self.day}: {self.visits}"


class VisitorSeen(models.Model):
    """A visitor of today, as a keyed hash whose key is thrown away at the end of the day."""

    village = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    visitor = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["village", "day", "visitor"], name="visitor_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.day}"


class VisitSalt(models.Model):
    """Today's random key for visitor hashes; deleted once the day is over."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return str(self.day)


# --- reminders before a due date, notices once overdue ------------------------------


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("due soon: reminder to the village")
    OVERDUE = "overdue", _("overdue: notice to the township")


class DisclosureReminder(models.Model):
    """A reminder the daily job gave about one item of one village for one period.

    ``due_soon`` goes to the village a few days before the due date; ``overdue``
    to its township once the date has passed unpublished. At most one of each
    kind per item and period: running the job again adds nothing. ``title`` is
    the item's title when the reminder was made, as a disclosure keeps its own.
    """

    access_region_path = "village__path"

    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.CASCADE, related_name="+"
    )
    item_code = models.CharField(_("item code"), max_length=8)
    title = models.CharField(_("title"), max_length=200)
    period_key = models.CharField(_("period"), max_length=20)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=ReminderKind.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("disclosure reminder")
        verbose_name_plural = _("disclosure reminders")
        ordering = ["-created_at", "village_id", "item_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["village", "item_code", "period_key", "kind"], name="reminder_once"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "-created_at"], name="reminder_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.item_code} {self.period_key} {self.kind}"


# --- the public page as rendered for anonymous visitors ----------------------------------


class VillagePage(models.Model):
    """A village's public page as anonymous visitors get it, kept until it goes stale.

    Stale when the day changes (what is late depends on the day) or when the
    village has another entry in the publication log (``stamp`` counts them).
    Holes for what differs per request (form token, script nonce, visit counts)
    are filled in by the view.
    """

    village = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=12)
    day = models.DateField()
    stamp = models.PositiveIntegerField()
    html = models.TextField()
    rendered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["village", "language"], name="village_page_once")
        ]

    def __str__(self) -> str:
        return f"{self.village_id} {self.language} {self.day}"
