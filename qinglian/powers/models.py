"""The power list: versions per region, their items and their step library.

Like the disclosure catalog, a region changes its list by adopting a new
version (``services.power_list_adopt``), never by changing one in force. Each
version carries its own copy of the step library, so a version in force keeps
the procedures it was adopted with.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from qinglian.directory.models import Region


def in_language(zh: str, en: str) -> str:
    language = get_language() or "zh-hans"
    return en if language.startswith("en") and en else zh


class ItemKind(models.TextChoices):
    POSITIVE = "positive", _("power (positive list)")
    NEGATIVE = "negative", _("prohibited conduct (negative list)")


class Category(models.TextChoices):
    # Positive list (domain.md §15.2)
    COLLECTIVE_DECISION = "collective_decision", _("collective decisions")
    PROJECT = "project", _("works projects")
    PROCUREMENT = "procurement", _("procurement")
    FINANCE = "finance", _("finance")
    ASSETS = "assets", _("collective assets and resources")
    LABOUR = "labour", _("village labour")
    LAND = "land", _("land and homesteads")
    WELFARE = "welfare", _("welfare and relief")
    SEAL_CERT = "seal_cert", _("seals and certificates")
    PARTY = "party", _("party affairs")
    ORGANIZATION = "organization", _("village organisation")
    SERVICE = "service", _("services to villagers")
    # Negative list (domain.md §15.3)
    DECISION = "decision", _("decisions")
    PROJECTS = "projects", _("projects")
    SUPERVISION = "supervision", _("supervision")
    DISCLOSURE = "disclosure", _("disclosure")
    CONDUCT = "conduct", _("conduct")
    ELECTION = "election", _("elections")
    DUTY = "duty", _("duty")


class PowerType(models.TextChoices):
    PUBLIC = "public", _("public power")
    SERVICE = "service", _("service to villagers")
    PUBLIC_SERVICE = "public_service", _("public power and service")


class StepKind(models.TextChoices):
    REQUEST = "request", _("request")
    PROPOSAL = "proposal", _("proposal")
    MEETING = "meeting", _("meeting")
    REVIEW = "review", _("review")
    PUBLICITY = "publicity", _("publicity")
    DECISION = "decision", _("decision by a higher level")
    INVESTIGATION = "investigation", _("investigation")
    PROCUREMENT = "procurement", _("procurement")
    CONTRACT = "contract", _("contract")
    IMPLEMENTATION = "implementation", _("implementation")
    ACCEPTANCE = "acceptance", _("acceptance")
    FINANCE = "finance", _("finance")
    RECORD = "record", _("record")
    DISCLOSURE = "disclosure", _("disclosure")
    ARCHIVE = "archive", _("archive")


class PowerList(models.Model):
    """One version of the power list: the national default (no region) or a region's own.

    A village follows the version of the nearest region on its path that has one
    in force (the latest ``effective_from`` not after the date).
    """

    access_region_path = "region__path"

    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="power_lists",
    )
    version = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("power list")
        verbose_name_plural = _("power lists")
        ordering = ["region_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="power_list_version_once"),
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(region__isnull=True),
                name="national_power_list_version_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region or _('national')} v{self.version}"


class LibraryStep(models.Model):
    """A step of the list's library: what it is and its default rules.

    ``params`` holds the rules an engine enforces: ``body`` (who meets or decides),
    ``quorum`` and ``pass`` (rule names, see ``rules.py``), ``days`` of publicity
    (``working_days`` if counted so), ``min_people``, ``discloses``, ``resolves``.
    """

    access_region_path = "power_list__region__path"

    power_list = models.ForeignKey(
        PowerList, verbose_name=_("power list"), on_delete=models.CASCADE, related_name="steps"
    )
    code = models.CharField(_("step code"), max_length=4)
    kind = models.CharField(_("kind"), max_length=16, choices=StepKind.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=60)
    title_en = models.CharField(_("title (English)"), max_length=120)
    params = models.JSONField(_("parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("library step")
        verbose_name_plural = _("step library")
        ordering = ["power_list_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["power_list", "code"], name="library_step_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return in_language(self.title_zh, self.title_en)


class PowerItem(models.Model):
    """An item of the list: a power with its procedure, or a prohibited conduct.

    ``steps`` (positive items) is the ordered procedure: ``{"step": code of the
    list's library, "optional": taken only when required, "params": overrides}``.
    """

    access_region_path = "power_list__region__path"

    power_list = models.ForeignKey(
        PowerList, verbose_name=_("power list"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("item code"), max_length=8)
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    category = models.CharField(_("category"), max_length=24, choices=Category.choices)
    power_type = models.CharField(
        _("type of power"), max_length=16, choices=PowerType.choices, blank=True
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    basis = models.CharField(_("basis"), max_length=200, blank=True)
    steps = models.JSONField(_("procedure steps"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("power list item")
        verbose_name_plural = _("power list items")
        ordering = ["power_list_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["power_list", "code"], name="power_item_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def title(self) -> str:
        return in_language(self.title_zh, self.title_en)

    @property
    def description(self) -> str:
        return in_language(self.description_zh, self.description_en)

    @property
    def step_codes(self) -> list[str]:
        steps: list[dict[str, Any]] = self.steps or []
        return [str(step["step"]) for step in steps]


# --- matters: one use of a power, walking its item's procedure ------------------------


class Origin(models.TextChoices):
    """Where a matter came from (动议事由 on the registration form)."""

    VILLAGERS = "villagers", _("villagers' suggestion")
    CADRES = "cadres", _("cadres' proposal")
    HIGHER_LEVEL = "higher_level", _("assigned by a higher level")


class MatterState(models.TextChoices):
    OPEN = "open", _("in progress")
    DECIDED = "decided", _("decided, being carried out")
    FINISHED = "finished", _("finished")
    REJECTED = "rejected", _("not passed")


# A matter in these states authorises spending: its decision is taken.
SPENDING_STATES = (MatterState.DECIDED, MatterState.FINISHED)


class ProcurementMode(models.TextChoices):
    PUBLIC_TENDER = "public_tender", _("public tender")
    QUOTES = "quotes", _("competitive quotes")
    DIRECT = "direct", _("direct purchase")


class Matter(models.Model):
    """One use of a power item in a village, for example "2025 road hardening, 380,000 yuan".

    The matter keeps the item of the list version in force when it started; that
    version never changes, so the procedure it is held to does not either. Its
    ``state`` is worked out from its step records after each one (``procedure.py``).
    """

    access_region_path = "village__path"

    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        PowerItem, verbose_name=_("power"), on_delete=models.PROTECT, related_name="matters"
    )
    title = models.CharField(_("matter"), max_length=120)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    origin = models.CharField(_("origin"), max_length=16, choices=Origin.choices)
    started_on = models.DateField(_("started on"))
    state = models.CharField(
        _("state"), max_length=10, choices=MatterState.choices, default=MatterState.OPEN
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    exceptions = models.PositiveSmallIntegerField(_("exceptions"), default=0)
    # The village's disclosures made from it (ids in ``disclosures``, which owns them).
    resolution_disclosure_id = models.BigIntegerField(null=True, blank=True, editable=False)
    result_disclosure_id = models.BigIntegerField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["village", "state"], name="matter_village_state")]

    def __str__(self) -> str:
        return self.title

    @property
    def authorises_spending(self) -> bool:
        """Decided (every step before carrying it out taken) or finished."""
        return self.state in SPENDING_STATES


class StepRecord(models.Model):
    """The evidence of one step of a matter, as recorded; never changed afterwards.

    A step held again (a meeting without its quorum, called a second time) gets a
    new record; the latest record of a step is the one that counts. ``problems``
    lists the rules the record broke (codes and messages): a record with problems
    is an exception, kept only with the recorder's ``explanation``, and shown at
    once to the supervision committee and the township.
    """

    access_region_path = "matter__village__path"

    matter = models.ForeignKey(Matter, on_delete=models.PROTECT, related_name="records")
    number = models.PositiveSmallIntegerField(_("step"))
    code = models.CharField(_("step code"), max_length=4)
    taken = models.BooleanField(_("taken"), default=True)
    held_on = models.DateField(_("date"))
    content = models.TextField(_("what was done or decided"), blank=True)
    expected = models.PositiveIntegerField(_("should attend"), null=True, blank=True)
    present = models.PositiveIntegerField(_("attended"), null=True, blank=True)
    attendees = models.TextField(_("who attended"), blank=True)
    # A villagers' assembly may instead count households (Organic Law Art. 22).
    households_expected = models.PositiveIntegerField(_("households"), null=True, blank=True)
    households_present = models.PositiveIntegerField(
        _("households represented"), null=True, blank=True
    )
    votes_for = models.PositiveIntegerField(_("in favour"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstaining"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    publicity_start = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_end = models.DateField(_("publicity until"), null=True, blank=True)
    publicity_place = models.CharField(_("where it was posted"), max_length=100, blank=True)
    procurement_mode = models.CharField(
        _("how it was bought"), max_length=16, choices=ProcurementMode.choices, blank=True
    )
    quotes = models.PositiveSmallIntegerField(_("quotes or bids"), null=True, blank=True)
    problems = models.JSONField(_("rules broken"), default=list, blank=True)
    explanation = models.TextField(_("why it was done so"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("step record")
        verbose_name_plural = _("step records")
        ordering = ["matter_id", "pk"]
        indexes = [
            models.Index(
                fields=["matter", "number"],
                name="step_record_matter_number",
            )
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} #{self.number} {self.code}"

    @property
    def is_exception(self) -> bool:
        return bool(self.problems)


class StepDocument(models.Model):
    """A document of a step's evidence: minutes, sign-in sheet, photo of the notice."""

    access_region_path = "record__matter__village__path"

    record = models.ForeignKey(StepRecord, on_delete=models.PROTECT, related_name="documents")
    name = models.CharField(_("name"), max_length=100)
    file = models.FileField(_("file"), upload_to="powers/%Y/%m/")
    content_type = models.CharField(_("type"), max_length=40)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("step document")
        verbose_name_plural = _("step documents")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class ExceptionReview(models.Model):
    """The supervision committee's or the township's word on an exception."""

    access_region_path = "record__matter__village__path"

    record = models.OneToOneField(StepRecord, on_delete=models.PROTECT, related_name="review")
    comment = models.TextField(_("comment"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"))

    class Meta:
        verbose_name = _("exception review")
        verbose_name_plural = _("exception reviews")

    def __str__(self) -> str:
        return f"{self.record} ✓"
