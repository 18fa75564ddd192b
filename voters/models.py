"""Voter petitions: what voters raised, where it was forwarded, how it was answered and judged.

History: every transition writes an `AuditEvent` (the one append-only log the timeline reads);
the typed rows below (`Forwarding`, `Answer`, `Evaluation`) keep the structured facts the lists
and statistics need (who was due when, which answer was on time). A second free-form event table
would duplicate the audit log and could disagree with it, so there is none.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coordination.models import AdministrativeUnit, Agency


class Source(models.TextChoices):
    MEETING = "meeting", _("Voter-contact meeting")
    RECEPTION = "reception", _("Citizen reception")
    WRITING = "writing", _("In writing")
    OTHER = "other", _("Other")


class Field(models.TextChoices):
    LAND = "land", _("Land")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure and transport")
    SOCIAL_POLICY = "social_policy", _("Social policy")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    ENVIRONMENT = "environment", _("Environment")
    SECURITY = "security", _("Security and order")
    ECONOMY = "economy", _("Economy and budget")
    OTHER = "other", _("Other")


class Kind(models.TextChoices):
    OPINION = "opinion", _("Opinion")
    PETITION = "petition", _("Petition")


class CompetenceLevel(models.TextChoices):
    COMMUNE = "commune", _("Commune level")
    PROVINCE = "province", _("Province level")
    CENTRAL = "central", _("Central level")


class Status(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("petition status", "Received")
    CLASSIFIED = "classified", pgettext_lazy("petition status", "Classified")
    FORWARDED = "forwarded", pgettext_lazy("petition status", "Forwarded")
    RETURNED = "returned", pgettext_lazy("petition status", "Returned: wrong authority")
    ANSWERED = "answered", pgettext_lazy("petition status", "Answered")
    # The answer was judged unsatisfactory: the same lead agency answers again by a new due date.
    REANSWER = "reanswer", pgettext_lazy("petition status", "Re-answer requested")
    CLOSED = "closed", pgettext_lazy("petition status", "Closed")


# Waiting for the lead agency's answer (a first answer or a re-answer): the only states in which a
# petition can be overdue.
AWAITING_ANSWER = (Status.FORWARDED, Status.REANSWER)
NOT_YET_FORWARDED = (Status.RECEIVED, Status.CLASSIFIED)


# Longest texts a record may hold: several pages for an answer, about a page for the rest. The form
# shows a counter (static/js/counter.js) from the same numbers; `clean_fields` enforces them everywhere.
CONTENT_MAX = 4000
ANSWER_MAX = 10000
NOTE_MAX = 2000  # reasons, plans and comments


def _limited(limit):
    return {"max_length": limit, "validators": [MaxLengthValidator(limit)]}


def meeting_day(meeting):
    """The day a meeting was held, in local time (what `received_on` of its petitions is compared with)."""
    return timezone.localtime(meeting.starts_at).date()


def meeting_date_errors(meeting, received_on):
    """A petition raised at a meeting is received once the meeting was held: {field: message} of what
    breaks that rule (`Petition.clean`, and the intake forms so that it shows with the other errors)."""
    held_on = meeting_day(meeting)
    if held_on > timezone.localdate():
        return {"meeting": _("This meeting has not been held yet: petitions are recorded after it.")}
    if received_on and received_on < held_on:
        message = _("The date received (%(received)s) cannot be before the meeting was held (%(held)s).")
        return {
            "received_on": message
            % {"received": received_on.strftime("%d/%m/%Y"), "held": held_on.strftime("%d/%m/%Y")}
        }
    return {}


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    IN_PROGRESS = "in_progress_with_plan", _("In progress, with a plan")
    EXPLAINED = "explained", _("Explained")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")


class EvaluationResult(models.TextChoices):
    SATISFACTORY = "satisfactory", _("Satisfactory")
    UNSATISFACTORY = "unsatisfactory", _("Unsatisfactory")


def due_soon_days(days=None):
    """The "due soon" window in days: `days` when given, else settings.DUE_SOON_DAYS."""
    return settings.DUE_SOON_DAYS if days is None else days


class PetitionQuerySet(models.QuerySet):
    """Derived petition states, each defined once here as a `q_*` condition with its Python twin on
    `Petition` beside it (`is_overdue`, `is_due_soon`, `is_answered_on_time`, `is_answered_late`). Overdue and
    due soon depend on `today`, so they are never stored."""

    @staticmethod
    def q_overdue(today):
        """Awaiting the lead agency's answer and due before `today`. Twin: `Petition.is_overdue`."""
        return Q(status__in=AWAITING_ANSWER, due_date__lt=today)

    @staticmethod
    def q_due_soon(today, days=None):
        """Awaiting an answer, due from `today` to `today + days` (settings.DUE_SOON_DAYS by default).
        Twin: `Petition.is_due_soon`."""
        return Q(
            status__in=AWAITING_ANSWER,
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=due_soon_days(days)),
        )

    @staticmethod
    def q_answered():
        return Q(answered_on__isnull=False)

    @staticmethod
    def q_published():
        """Shown on the citizens' pages: answered, its answer published by the office, and not a duplicate grouped
        under another petition (the group's primary carries the answer). Twin: `Petition.is_published`."""
        return Q(answer_published_at__isnull=False, answered_on__isnull=False, primary__isnull=True)

    @staticmethod
    def q_answered_on_time():
        """Answered on or before the due date (or without one). Twin: `Petition.is_answered_on_time`."""
        return Q(answered_on__isnull=False) & (Q(due_date__isnull=True) | Q(answered_on__lte=models.F("due_date")))

    @staticmethod
    def q_answered_late():
        """Answered after the due date. Twin: `Petition.is_answered_late`."""
        return Q(answered_on__isnull=False, due_date__isnull=False, answered_on__gt=models.F("due_date"))

    def awaiting_answer(self):
        return self.filter(status__in=AWAITING_ANSWER)

    def overdue(self, today):
        return self.filter(self.q_overdue(today))

    def due_soon(self, today, days=None):
        return self.filter(self.q_due_soon(today, days))

    def answered_on_time(self):
        return self.filter(self.q_answered_on_time())

    def answered_late(self):
        return self.filter(self.q_answered_late())

    def group_primaries(self):
        """One row per group: petitions that are not grouped under another."""
        return self.filter(primary__isnull=True)


class Petition(models.Model):
    """One opinion or petition raised by a voter (or a group of voters)."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="petitions"
    )
    originating_agency = models.ForeignKey(
        Agency,
        verbose_name=_("receiving office"),
        on_delete=models.PROTECT,
        related_name="petitions_received",
        help_text=_("The People's Council, Fatherland Front or National Assembly delegation that took it in."),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MEETING)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="petitions",
    )
    received_on = models.DateField(_("date received"))
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("constituency or commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions_raised",
    )
    locality = models.CharField(_("locality"), max_length=255, blank=True)
    # Personal data: shown only to the agencies that handle the petition.
    voter_name = models.CharField(_("voter name(s)"), max_length=255, blank=True)
    voter_address = models.CharField(_("voter address"), max_length=255, blank=True)
    voter_phone = models.CharField(_("voter phone"), max_length=30, blank=True)
    content = models.TextField(_("content"), **_limited(CONTENT_MAX))
    field = models.CharField(
        pgettext_lazy("petition", "field"), max_length=20, choices=Field.choices, default=Field.OTHER
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PETITION)
    competence_level = models.CharField(
        _("competence level"), max_length=10, choices=CompetenceLevel.choices, blank=True
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    lead_agency = models.ForeignKey(
        Agency,
        verbose_name=_("lead agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions_to_answer",
    )
    due_date = models.DateField(pgettext_lazy("petition", "due date"), null=True, blank=True)
    answered_on = models.DateField(_("date answered"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    flagged_for_supervision = models.BooleanField(_("flagged for supervision"), default=False)
    primary = models.ForeignKey(
        "self",
        verbose_name=_("grouped under"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    search_text = models.TextField(editable=False, blank=True)
    # Publication of the answer on the citizens' pages (/public/), decided by the office
    # (`services.petition_answer_publish`, or the unit's `publish_answers_by_default` when answered).
    answer_published_at = models.DateTimeField(_("answer published at"), null=True, blank=True, editable=False)
    answer_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # The folded text the public search compares against: the *redacted* content and answer, written when the
    # answer is published, so that searching a voter's name on the public pages finds nothing.
    # db_default: rows written by raw COPY (the load generator) without the column are unpublished.
    public_search_text = models.TextField(editable=False, blank=True, default="", db_default="")
    # HMAC of the secret code printed on the receipt (phiếu tiếp nhận); the code itself is never stored.
    receipt_code_hash = models.CharField(max_length=64, editable=False, blank=True, default="", db_default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("voter petition")
        verbose_name_plural = _("voter petitions")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["unit", "status", "due_date"], name="petition_unit_status_due"),
            models.Index(fields=["lead_agency", "status", "due_date"], name="petition_lead_status_due"),
            models.Index(fields=["originating_agency", "status", "due_date"], name="petition_orig_status_due"),
            models.Index(fields=["unit", "-received_on", "-id"], name="petition_unit_received"),
            models.Index(fields=["-received_on", "-id"], name="petition_received"),
            models.Index(fields=["unit", "field", "status"], name="petition_unit_field"),
            models.Index(fields=["unit", "kind"], name="petition_unit_kind"),
            models.Index(fields=["meeting", "-id"], name="petition_meeting"),
            models.Index(fields=["primary"], name="petition_primary"),
            models.Index(fields=["status", "due_date"], name="petition_status_due"),
            # The citizens' pages read published answers only, newest answer first (keyset pagination).
            models.Index(
                fields=["unit", "-answered_on", "-id"],
                name="petition_public_unit",
                condition=Q(answer_published_at__isnull=False, answered_on__isnull=False, primary__isnull=True),
            ),
            models.Index(
                fields=["commune", "-answered_on", "-id"],
                name="petition_public_commune",
                condition=Q(answer_published_at__isnull=False, answered_on__isnull=False, primary__isnull=True),
            ),
            # Incremental sync of the read API (`updated_since`, cursor ordered by updated_at): a unit's, and
            # every unit's for a token of a province-wide view.
            models.Index(fields=["unit", "updated_at", "id"], name="petition_unit_updated"),
            models.Index(fields=["updated_at", "id"], name="petition_updated"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(primary=models.F("id")), name="petition_not_own_primary"),
            models.CheckConstraint(
                condition=~Q(status__in=["forwarded", "reanswer"]) | Q(lead_agency__isnull=False),
                name="petition_forwarded_has_lead",
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.content[:60]}"

    @property
    def reference(self):
        return self.reference_for(self.pk)

    @staticmethod
    def reference_for(pk):
        """The petition's reference (KN-000123) from its id, e.g. for a grouped petition's primary."""
        return f"KN-{pk:06d}" if pk else "KN-…"

    def clean(self):
        errors = {}
        if self.originating_agency_id and self.unit_id and self.originating_agency.unit_id != self.unit_id:
            errors["originating_agency"] = _("The receiving office must belong to the petition's unit.")
        if self.meeting_id and self.unit_id and self.meeting.unit_id != self.unit_id:
            errors["meeting"] = _("The meeting belongs to another unit.")
        if self.meeting_id and "meeting" not in errors:
            errors.update(meeting_date_errors(self.meeting, self.received_on))
        if self.received_on and self.received_on > timezone.localdate() + datetime.timedelta(days=1):
            errors["received_on"] = _("The date received cannot be in the future.")
        if errors:
            raise ValidationError(errors)

    # The Python twins of the `PetitionQuerySet` conditions (same rule, for one loaded petition).
    def is_overdue(self, today):
        """Twin of `PetitionQuerySet.q_overdue`."""
        return self.status in AWAITING_ANSWER and self.due_date is not None and self.due_date < today

    def is_due_soon(self, today, days=None):
        """Twin of `PetitionQuerySet.q_due_soon`."""
        return (
            self.status in AWAITING_ANSWER
            and self.due_date is not None
            and today <= self.due_date <= today + datetime.timedelta(days=due_soon_days(days))
        )

    @property
    def is_published(self):
        """Twin of `PetitionQuerySet.q_published`."""
        return self.answer_published_at is not None and self.answered_on is not None and self.primary_id is None

    @property
    def is_answered_on_time(self):
        """Twin of `PetitionQuerySet.q_answered_on_time`."""
        return self.answered_on is not None and (self.due_date is None or self.answered_on <= self.due_date)

    @property
    def is_answered_late(self):
        """Twin of `PetitionQuerySet.q_answered_late`."""
        return self.answered_on is not None and self.due_date is not None and self.answered_on > self.due_date


class Forwarding(models.Model):
    """One sending of a petition to a lead agency (with supporting agencies). A re-forwarding is a
    new row, so the history keeps both; a return marks the row, never deletes it."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="forwardings")
    agency = models.ForeignKey(
        Agency, verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="forwardings"
    )
    supporting_agencies = models.ManyToManyField(
        Agency, verbose_name=_("supporting agencies"), blank=True, related_name="supporting_forwardings"
    )
    dispatch_number = models.CharField(_("dispatch number"), max_length=100, blank=True)
    dispatch_date = models.DateField(_("dispatch date"))
    due_date = models.DateField(_("due date"))
    due_date_set_by_hand = models.BooleanField(_("due date set by hand"), default=False)
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Shared by the forwardings of one bulk forward, so its notification can link to exactly those petitions.
    batch_key = models.UUIDField(null=True, blank=True, editable=False)
    acknowledged_at = models.DateTimeField(_("receipt acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(_("reason for return"), blank=True, **_limited(NOTE_MAX))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("forwarding")
        verbose_name_plural = _("forwardings")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["petition", "returned_at"], name="forwarding_petition"),
            models.Index(fields=["agency", "returned_at"], name="forwarding_agency"),
            models.Index(fields=["batch_key"], condition=Q(batch_key__isnull=False), name="forwarding_batch"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("dispatch_date")), name="forwarding_due_after_dispatch"
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | ~Q(return_reason=""), name="forwarding_return_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.petition.reference} → {self.agency}"

    @property
    def is_current(self):
        return self.returned_at is None

    def clean(self):
        errors = {}
        # The petition may be unsaved still (the bulk import validates before writing): read the cached object.
        petition = self.petition if self.petition_id or "petition" in self._state.fields_cache else None
        received_on = petition.received_on if petition is not None else None
        if self.dispatch_date and received_on and self.dispatch_date < received_on:
            errors["dispatch_date"] = _(
                "The dispatch date cannot be before the date the petition was received (%(received)s)."
            ) % {"received": received_on.strftime("%d/%m/%Y")}
        if self.dispatch_date and self.due_date and self.due_date < self.dispatch_date:
            errors["due_date"] = _("The due date cannot be before the dispatch date.")
        if errors:
            raise ValidationError(errors)


def attachment_path(instance, filename):
    return f"petitions/{instance.answer.petition_id}/{instance.answer_id}/{filename}"


class Answer(models.Model):
    """The competent agency's answer to a petition."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="answers")
    forwarding = models.ForeignKey(Forwarding, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers")
    agency = models.ForeignKey(
        Agency, verbose_name=_("answering agency"), on_delete=models.PROTECT, related_name="petition_answers"
    )
    text = models.TextField(_("answer"), **_limited(ANSWER_MAX))
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    document_date = models.DateField(_("document date"))
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices)
    plan = models.TextField(_("plan"), blank=True, **_limited(NOTE_MAX))
    target_date = models.DateField(_("target date"), null=True, blank=True)
    # The due date in force when the answer came (the re-answer's own after an unsatisfactory judgement),
    # so each round's timeliness stays known after the petition moves on.
    due_date = models.DateField(pgettext_lazy("petition", "due date"), null=True, blank=True)
    # db_default: rows written by raw COPY (the load generator) without the column are first answers.
    is_reanswer = models.BooleanField(_("re-answer"), default=False, db_default=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="in_progress_with_plan") | (~Q(plan="") & Q(target_date__isnull=False)),
                name="answer_plan_has_date",
            ),
        ]
        # The dashboard's live counts ("re-answered" measures: `petition_id IN (… WHERE is_reanswer)`) read
        # this small index instead of hashing every answer (~0.37 s at 250,000 petitions per live count).
        indexes = [models.Index(fields=["petition"], condition=Q(is_reanswer=True), name="answer_reanswer_petition")]

    def __str__(self):
        return f"{self.petition.reference}: {self.document_number or self.get_outcome_display()}"

    def clean(self):
        errors = {}
        if self.outcome == Outcome.IN_PROGRESS and (not self.plan or not self.target_date):
            errors["plan"] = _("An answer 'in progress' needs a plan and a target date.")
        dispatched_on = self.forwarding.dispatch_date if self.forwarding_id else None
        if self.document_date and dispatched_on and self.document_date < dispatched_on:
            errors["document_date"] = _(
                "The answer's date cannot be before the petition was forwarded (%(dispatched)s)."
            ) % {"dispatched": dispatched_on.strftime("%d/%m/%Y")}
        if self.document_date and self.target_date and self.target_date < self.document_date:
            errors["target_date"] = _("The target date cannot be before the answer's date.")
        if errors:
            raise ValidationError(errors)


class AnswerAttachment(models.Model):
    """A file sent with an answer (PDF, DOCX or image), served only through a permission check."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class Evaluation(models.Model):
    """The People's Council's or the Front's judgement of an answer."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="evaluations")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.SET_NULL, related_name="evaluations")
    agency = models.ForeignKey(Agency, verbose_name=_("evaluated by"), on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=20, choices=EvaluationResult.choices)
    comment = models.TextField(_("comment"), blank=True, **_limited(NOTE_MAX))
    # Set when the answer is judged unsatisfactory: by when the lead agency must answer again.
    reanswer_due_date = models.DateField(_("re-answer due by"), null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["created_at", "id"]
        # The dashboard's live "judged unsatisfactory" count reads this instead of scanning every evaluation.
        indexes = [
            models.Index(
                fields=["petition"],
                condition=Q(result=EvaluationResult.UNSATISFACTORY),
                name="evaluation_unsatisfactory",
            )
        ]

    def __str__(self):
        return f"{self.petition.reference}: {self.get_result_display()}"


class PetitionImport(models.Model):
    """One successful Excel import, remembered so that the same file is not imported twice by the same office."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("originating agency"), on_delete=models.PROTECT, related_name="petition_imports"
    )
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    row_count = models.PositiveIntegerField(_("rows imported"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("petition import")
        verbose_name_plural = _("petition imports")
        ordering = ["-imported_at", "-id"]
        constraints = [
            # Also what makes the loser of two concurrent imports of one file fail instead of doubling its rows.
            models.UniqueConstraint(fields=["agency", "sha256"], name="petition_import_once_per_agency"),
        ]

    def __str__(self):
        return f"{self.file_name or self.sha256[:12]} ({self.row_count})"


# --- Exports as background jobs ------------------------------------------------------------------------


def export_storage_get():
    """The storage of export files (a callable, so migrations do not record a machine's path). Never served
    as static media: the download view checks the requester."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage()


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "Excel (.xlsx)"
    CSV = "csv", "CSV"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being written")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ExportJob(models.Model):
    """One export of a filtered petition list too large for the request: a Celery job writes the file, the
    requester (and only they) downloads it until `expires_at`. The filters are kept as the URL gave them and
    are applied again, as the requester, when the job runs (so the file holds what they may see then)."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED, db_index=True
    )
    total = models.PositiveIntegerField(_("rows expected"), default=0)
    progress = models.PositiveIntegerField(_("rows written"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    file = models.FileField(_("file"), storage=export_storage_get, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("kept until"), null=True, blank=True)
    # The run holding the job (the Celery task id) and when it last said it is alive; see `export_jobs`.
    claimed_by = models.CharField(max_length=64, blank=True, default="")
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("petition export")
        verbose_name_plural = _("petition exports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="exportjob_requester_recent")]
        constraints = [
            models.CheckConstraint(condition=~Q(status="ready") | ~Q(file=""), name="exportjob_ready_has_file"),
        ]

    def __str__(self):
        return f"{self.get_format_display()} #{self.pk}"

    @property
    def is_pending(self):
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def percent(self):
        if self.status == ExportStatus.READY:
            return 100
        return min(99, int(self.progress * 100 / self.total)) if self.total else 0

    @property
    def download_name(self):
        stamp = timezone.localtime(self.created_at).strftime("%Y%m%d-%H%M")
        return f"kien-nghi-cu-tri-{stamp}-{self.pk}.{self.format}"


class SuggestionModel(models.Model):
    """A model trained on one province's own classified and forwarded petitions (voters/suggestions.py): it
    suggests a new petition's field and competent agency. Kept in the database, one row per training run."""

    province = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("province"), on_delete=models.CASCADE, related_name="suggestion_models"
    )
    version = models.PositiveIntegerField(_("version"))
    trained_at = models.DateTimeField(_("trained at"), default=timezone.now)
    n_samples = models.PositiveIntegerField(_("petitions learned from"))
    metrics = models.JSONField(_("measures"), default=dict, blank=True)
    payload = models.BinaryField(_("trained model"), editable=False)

    class Meta:
        verbose_name = _("suggestion model")
        verbose_name_plural = _("suggestion models")
        ordering = ["province", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["province", "version"], name="suggestion_model_version_once"),
        ]

    def __str__(self):
        return f"{self.province} v{self.version} ({self.n_samples})"


class SuggestionRecord(models.Model):
    """What was suggested for a petition and what the clerk chose: the field when it was recorded, the lead
    agency when it was first forwarded. The dashboard's acceptance rate is read from these rows."""

    petition = models.OneToOneField(Petition, on_delete=models.CASCADE, related_name="suggestion")
    model_version = models.PositiveIntegerField(_("model version"))
    suggested_field = models.CharField(_("suggested field"), max_length=20, choices=Field.choices, blank=True)
    field_confidence = models.FloatField(_("field confidence"), null=True, blank=True)
    chosen_field = models.CharField(_("chosen field"), max_length=20, choices=Field.choices, blank=True)
    suggested_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("suggested agency")
    )
    agency_confidence = models.FloatField(_("agency confidence"), null=True, blank=True)
    chosen_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("chosen agency")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("suggestion record")
        verbose_name_plural = _("suggestion records")

    def __str__(self):
        return f"{self.petition_id}: {self.suggested_field} → {self.chosen_field}"
