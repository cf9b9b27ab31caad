"""Cases of the mass mailbox, their events, deadlines and the commission's sealing keys."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qinglian.directory.models import Person, Region


class Kind(models.TextChoices):
    QUESTION = "question", _("question")
    COMPLAINT = "complaint", _("complaint")
    REPORT = "report", _("report of misconduct")
    SUGGESTION = "suggestion", _("suggestion")


class Category(models.TextChoices):
    """What a case is about (domain.md §15.7, aligned to the supervision checklist)."""

    DECISION_PROCEDURE = "decision_procedure", _("decision procedure")
    DISCLOSURE = "disclosure", _("disclosure")
    FINANCE = "finance", _("finance")
    COLLECTIVE_ASSETS = "collective_assets", _("collective assets")
    PROJECT = "project", _("projects")
    PROCUREMENT = "procurement", _("procurement")
    LABOUR = "labour", _("labour and wages")
    WELFARE = "welfare", _("subsidies and welfare")
    HOMESTEAD = "homestead", _("homesteads")
    SEAL_CERTIFICATE = "seal_certificate", _("seals and certificates")
    CADRE_CONDUCT = "cadre_conduct", _("cadres' conduct")
    ELECTION = "election", _("elections")
    RELATIVES_CONFLICT = "relatives_conflict", _("cadres' relatives")
    LAND_DISPUTE = "land_dispute", _("land disputes")
    NEIGHBOUR_DISPUTE = "neighbour_dispute", _("disputes between neighbours")
    LIVELIHOOD = "livelihood", _("daily life")
    OTHER = "other", _("other")


class Channel(models.TextChoices):
    QR_PORTAL = "qr_portal", _("village page (QR code)")
    API = "api", _("mini-program or kiosk")
    PHONE_12388 = "phone_12388", _("12388 hotline")
    LETTER = "letter", _("letter")
    VISIT = "visit", _("visit")
    LIAISON = "liaison", _("liaison station")


class Body(models.TextChoices):
    """Who handles a case: the village's handlers, or a discipline commission."""

    VILLAGE = "village", _("village committee")
    COMMISSION = "commission", _("discipline commission")


class State(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("case state", "received")
    ACCEPTED = "accepted", pgettext_lazy("case state", "accepted for handling")
    ANSWERED = "answered", pgettext_lazy("case state", "answered")
    CLOSED = "closed", pgettext_lazy("case state", "closed")
    TRANSFERRED = "transferred", pgettext_lazy("case state", "transferred")


OPEN_STATES = (State.RECEIVED, State.ACCEPTED)


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("resolved")
    NOT_RESOLVED = "not_resolved", _("not resolved")
    OUT_OF_SCOPE = "out_of_scope", _("out of scope")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("basically satisfied")
    DISSATISFIED = "dissatisfied", _("dissatisfied")


class Appeal(models.Model):
    """One case: a question, complaint, report or suggestion from a villager.

    ``assigned_region`` and ``body`` say who handles it now: the village's
    handlers, or the discipline commission of a township or county. The access
    policy scopes cases by ``assigned_region`` (see ``selectors.appeals_visible``),
    and never shows a case to the people it names or to their close relatives.
    """

    access_region_path = "assigned_region__path"
    access_subject = "subjects"

    receipt = models.CharField(_("receipt number"), max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64, editable=False)
    submission_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    content_digest = models.CharField(max_length=64, editable=False)
    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="appeals"
    )
    village_path = models.CharField(max_length=15, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    category = models.CharField(
        _("category"), max_length=24, choices=Category.choices, default=Category.OTHER
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.QR_PORTAL
    )
    text = models.TextField(_("what the villager wrote"))
    subjects = models.ManyToManyField(
        Person, verbose_name=_("cadres concerned"), blank=True, related_name="appeals_naming"
    )
    disclosure = models.ForeignKey(
        "disclosures.Disclosure",
        verbose_name=_("published item asked about"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    line_key = models.CharField(_("line asked about"), max_length=80, blank=True)
    line_label = models.CharField(_("line as published"), max_length=200, blank=True)
    real_name = models.BooleanField(_("name given"), default=False)
    body = models.CharField(_("handled by"), max_length=12, choices=Body.choices)
    assigned_region = models.ForeignKey(
        Region, verbose_name=_("handling region"), on_delete=models.PROTECT, related_name="+"
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalations"), default=0)
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    transferred_to = models.CharField(_("transferred to"), max_length=120, blank=True)
    received_at = models.DateTimeField(_("received"), db_index=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    very_overdue_on = models.DateField(_("very overdue from"), null=True, blank=True)
    due_estimated = models.BooleanField(
        _("due date estimated"),
        default=False,
        help_text=_("The official holidays of the due year are not known yet."),
    )
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    answered_on_time = models.BooleanField(_("answered on time"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    public_question = models.TextField(_("question as published"), blank=True)
    public_answer = models.TextField(_("answer as published"), blank=True)
    answer_published_at = models.DateTimeField(_("answer published"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["due_on", "received_at"]
        indexes = [
            models.Index(fields=["state", "due_on"]),
            models.Index(
                fields=["disclosure", "line_key"],
                condition=Q(answer_published_at__isnull=False),
                name="appeal_published_answers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_display} {self.get_kind_display()}"

    @property
    def receipt_display(self) -> str:
        r = self.receipt
        return f"{r[:4]} {r[4:8]} {r[8:]}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class EventKind(models.TextChoices):
    RECEIVED = "received", _("received")
    ACCEPTED = "accepted", _("accepted for handling")
    ANSWERED = "answered", _("answered")
    MESSAGE_FROM_VILLAGER = "villager_wrote", _("the villager wrote")
    MESSAGE_FROM_HANDLER = "handler_wrote", _("the handler wrote")
    REASSIGNED = "reassigned", _("reassigned")
    TRANSFERRED = "transferred", _("transferred")
    ESCALATED = "escalated", _("escalated")
    CLOSED = "closed", _("closed")
    RATED = "rated", _("rated")
    REOPENED = "reopened", _("reopened")
    IDENTITY_REVEALED = "identity_revealed", _("reporter's identity read")


class AppealEvent(models.Model):
    """What happened to a case, in order. Rows are never changed (database triggers).

    ``public`` events are what the villager sees when following the case; the
    others (reassignments with their reasons, reveals) are for the handlers.
    """

    access_region_path = "appeal__assigned_region__path"
    access_subject = "appeal__subjects"

    appeal = models.ForeignKey(
        Appeal, verbose_name=_("case"), on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField(_("when"))
    kind = models.CharField(_("what"), max_length=20, choices=EventKind.choices)
    public = models.BooleanField(_("shown to the villager"))
    text = models.TextField(_("text"), blank=True)
    code = models.CharField(
        _("detail"), max_length=20, blank=True, help_text=_("The outcome, rating or reason code.")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("handling region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


class AppealAttachment(models.Model):
    """A photo or PDF the villager sent with the case (type checked from the bytes)."""

    access_region_path = "appeal__assigned_region__path"
    access_subject = "appeal__subjects"

    appeal = models.ForeignKey(
        Appeal, verbose_name=_("case"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="appeals/%Y/%m/")
    content_type = models.CharField(_("type"), max_length=40)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")

    def __str__(self) -> str:
        return f"{self.appeal} {self.content_type}"


class SealingKey(models.Model):
    """A discipline commission's key pair: reporters' names and phones are sealed to it.

    The public key seals (libsodium sealed box). The private key is stored only
    encrypted under a passphrase that commission officers hold and the server and
    the database operator do not (Argon2id, then XSalsa20-Poly1305): reading a
    reporter's identity needs the passphrase, at the moment of reading.
    """

    access_region_path = "region__path"

    region = models.ForeignKey(
        Region, verbose_name=_("commission of"), on_delete=models.PROTECT, related_name="+"
    )
    public_key = models.BinaryField(max_length=32)
    private_key_sealed = models.BinaryField()
    kdf_salt = models.BinaryField(max_length=16)
    kdf_opslimit = models.PositiveIntegerField()
    kdf_memlimit = models.PositiveBigIntegerField()
    fingerprint = models.CharField(_("fingerprint"), max_length=24)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("commission sealing key")
        verbose_name_plural = _("commission sealing keys")
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(retired_at__isnull=True),
                name="one_sealing_key_in_use_per_region",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.fingerprint}"


class SealedIdentity(models.Model):
    """The reporter's name and phone, sealed to one commission key (one row per key)."""

    access_region_path = "key__region__path"
    access_subject = "appeal__subjects"

    appeal = models.ForeignKey(
        Appeal, verbose_name=_("case"), on_delete=models.PROTECT, related_name="identities"
    )
    key = models.ForeignKey(
        SealingKey, verbose_name=_("sealed to"), on_delete=models.PROTECT, related_name="+"
    )
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("sealed identity")
        verbose_name_plural = _("sealed identities")
        constraints = [
            models.UniqueConstraint(fields=["appeal", "key"], name="identity_sealed_once_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.appeal} → {self.key}"


class DeadlineRule(models.Model):
    """Working-day deadlines for one kind of case in a region (nearest region wins).

    Without a rule on a village's path, ``deadlines.DEFAULTS`` apply.
    """

    access_region_path = "region__path"

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    first_response_days = models.PositiveSmallIntegerField(
        _("first response (working days)"),
        help_text=_("An answer to a question, complaint or suggestion; acceptance of a report."),
    )
    result_days = models.PositiveSmallIntegerField(
        _("result after acceptance (working days)"), default=60
    )
    pass_on_days = models.PositiveSmallIntegerField(
        _("pass on to the competent body (working days)"), default=5
    )
    very_overdue_days = models.PositiveSmallIntegerField(
        _("very overdue after (working days past due)"), default=10
    )
    remind_days = models.PositiveSmallIntegerField(_("remind before due (working days)"), default=2)

    class Meta:
        verbose_name = _("case deadline rule")
        verbose_name_plural = _("case deadline rules")
        constraints = [
            models.UniqueConstraint(fields=["region", "kind"], name="one_deadline_rule_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.get_kind_display()}"


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", _("due soon")
    ESCALATED = "escalated", _("escalated to you")
    VERY_OVERDUE = "very_overdue", _("very overdue")
    REOPENED = "reopened", _("reopened by the villager")


class AppealNotice(models.Model):
    """A notice to the handlers of a region: a case due soon, escalated or reopened."""

    access_region_path = "region__path"
    access_subject = "appeal__subjects"

    appeal = models.ForeignKey(
        Appeal, verbose_name=_("case"), on_delete=models.PROTECT, related_name="notices"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("to"), on_delete=models.PROTECT, related_name="+"
    )
    body = models.CharField(_("handled by"), max_length=12, choices=Body.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    due_on = models.DateField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("case notice")
        verbose_name_plural = _("case notices")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal", "kind", "region", "due_on"], name="case_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.appeal} {self.get_kind_display()}"


class PublishedAnswer(models.Model):
    """An answer to a question about a published line, shown beside that line.

    Never changed (database triggers): a later answer to the same case is a new
    version. Each is entered in the publication log as an ``appeal_answer``
    record. The asker is never named; ``question`` is the question as the
    handler chose to publish it.
    """

    access_region_path = "village__path"

    appeal = models.ForeignKey(
        Appeal, verbose_name=_("case"), on_delete=models.PROTECT, related_name="published"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    village = models.ForeignKey(
        Region, verbose_name=_("village"), on_delete=models.PROTECT, related_name="+"
    )
    disclosure = models.ForeignKey(
        "disclosures.Disclosure",
        verbose_name=_("published item"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    line_key = models.CharField(_("line"), max_length=80)
    line_label = models.CharField(_("line as published"), max_length=200)
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"))
    published_at = models.DateTimeField(_("published"))
    record_id = models.CharField(max_length=80, unique=True)
    log_index = models.PositiveBigIntegerField(_("log index"))

    class Meta:
        verbose_name = _("published answer")
        verbose_name_plural = _("published answers")
        ordering = ["published_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "version"], name="answer_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.line_label}: {self.answer[:40]}"
