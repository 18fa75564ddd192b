"""Meetings of every kind: council sessions, voter contact, briefings, supervision, reviews."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from coordination.deadlines import deadline_compute, deadline_for, deadline_rule_for
from coordination.models import AdministrativeUnit, Agency, CoordinationArea, DeadlineRule


class MeetingKind(models.TextChoices):
    COUNCIL_SESSION = "council_session", _("Council session")
    VOTER_CONTACT_BEFORE = "voter_contact_before", _("Voter contact before a session")
    VOTER_CONTACT_AFTER = "voter_contact_after", _("Voter contact after a session")
    JOINT_BRIEFING = "joint_briefing", _("Joint briefing")
    SUPERVISION = "supervision", _("Supervision visit")
    EXPLANATION_HEARING = "explanation_hearing", _("Explanation hearing")
    CITIZEN_RECEPTION = "citizen_reception", _("Citizen reception")
    DIALOGUE = "dialogue", _("Dialogue")
    REVIEW_CONFERENCE = "review_conference", _("Review conference")
    OTHER = "other", _("Other")


VOTER_CONTACT_KINDS = (MeetingKind.VOTER_CONTACT_BEFORE, MeetingKind.VOTER_CONTACT_AFTER)
# Kinds whose page starts the batch petition intake.
PETITION_INTAKE_KINDS = (*VOTER_CONTACT_KINDS, MeetingKind.CITIZEN_RECEPTION)


class MeetingSubkind(models.TextChoices):
    # Council sessions as the Law on the Organisation of Local Government (72/2025/QH15, art. 34) names them:
    # kỳ họp thường lệ; họp chuyên đề; họp để giải quyết công việc phát sinh đột xuất ("bất thường" is gone since
    # the 2019 amendment). The code "extraordinary" is kept for the stored rows.
    REGULAR = "regular", _("Regular")
    THEMATIC = "thematic", _("Thematic")
    EXTRAORDINARY = "extraordinary", _("To settle urgent matters")
    ANNUAL = "annual", _("Annual")
    END_OF_TERM = "end_of_term", _("End of term")


SUBKINDS_BY_KIND = {
    MeetingKind.COUNCIL_SESSION: (MeetingSubkind.REGULAR, MeetingSubkind.THEMATIC, MeetingSubkind.EXTRAORDINARY),
    MeetingKind.REVIEW_CONFERENCE: (MeetingSubkind.ANNUAL, MeetingSubkind.END_OF_TERM),
}

MINUTES_RULE_CODE = "meeting-minutes"
SESSION_DOCUMENTS_RULE_CODE = "session-documents"


class PrivateMediaStorage(LazyObject):
    """Uploads live under MEDIA_ROOT, which is outside the web root; they have no public URL and are
    served only by a permission-checked view. Lazy so test settings can move MEDIA_ROOT."""

    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.MEDIA_ROOT, base_url=None)


private_storage = PrivateMediaStorage()


def private_storage_reset(*, setting, **kwargs):
    if setting == "MEDIA_ROOT":
        private_storage._wrapped = empty


def private_storage_get():
    # A callable keeps MEDIA_ROOT's absolute path out of the migrations (it differs per checkout).
    return private_storage


def minutes_upload_to(instance, filename):
    # The stored name is random: the user's file name is kept only as metadata for the download.
    import secrets

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"meetings/minutes/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{extension}"


class MeetingQuerySet(models.QuerySet):
    def minutes_missing(self, today=None):
        """Past meetings without minutes whose `meeting-minutes` deadline has passed by `today`.

        Derived, never stored: the cut-off is the last meeting day whose deadline is before today,
        computed once for the national rule and once per unit that overrides it."""
        return self.filter(minutes_missing_q(today))

    def with_minutes_state(self, today=None, condition=None):
        """Annotate `is_minutes_missing` (bool) for list pages, in the same query: a condition on the
        row's own columns, not `id IN (subquery)` (which PostgreSQL answered by reading every meeting).
        `condition`: a `minutes_missing_q(today)` the caller already built (it costs two small queries)."""
        condition = minutes_missing_q(today) if condition is None else condition
        return self.annotate(
            is_minutes_missing=models.Case(
                models.When(condition, then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )


def minutes_missing_q(today=None):
    """The condition of `MeetingQuerySet.minutes_missing` as a `Q` on a meeting's columns (and its unit's
    parent where a unit overrides the rule), usable in filters, `Count(filter=…)` and `When`."""
    today = today or timezone.localdate()
    condition = Q()
    # One query for the family's rules: which units override it, and the national rule in force today
    # (what deadline_rule_for(unit=None) picks: the latest effective_from, first in the model's order).
    rules = list(DeadlineRule.objects.filter(code=MINUTES_RULE_CODE))
    override_unit_ids = {rule.unit_id for rule in rules if rule.unit_id is not None}
    national_rules = [
        rule
        for rule in rules
        if rule.unit_id is None
        and rule.effective_from <= today
        and (rule.effective_to is None or rule.effective_to >= today)
    ]
    national_rule = max(national_rules, key=lambda rule: rule.effective_from, default=None)
    if national_rule is not None:
        national_rule = next(rule for rule in national_rules if rule.effective_from == national_rule.effective_from)
    overridden = Q()
    for unit in AdministrativeUnit.objects.filter(pk__in=override_unit_ids):
        cutoff = _minutes_cutoff(deadline_rule_for(MINUTES_RULE_CODE, unit=unit, on_date=today), today)
        scope = Q(unit=unit) | Q(unit__parent=unit)
        overridden |= scope
        if cutoff is not None:
            condition |= scope & Q(starts_at__lt=_day_end(cutoff))
    national = _minutes_cutoff(national_rule, today)
    if national is not None:
        national_scope = ~overridden if override_unit_ids else Q()
        condition |= national_scope & Q(starts_at__lt=_day_end(national))
    if not condition:
        return Q(pk__in=[])
    return Q(minutes_recorded_at__isnull=True) & condition


def _day_end(day):
    """The first instant after `day` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def _minutes_cutoff(rule, today):
    """The last meeting day whose minutes deadline is already behind `today` (None without a rule)."""
    if rule is None:
        return None
    # The deadline grows monotonically with the meeting day, so walk back from today until it is
    # before today; at most amount + holidays days, a few dozen steps.
    day = today
    for _step in range(400):
        if deadline_compute(rule, day) < today:
            return day
        day -= datetime.timedelta(days=1)
    return None


class Meeting(models.Model):
    """A meeting held under a charter, with its agenda, attendance, minutes and conclusions."""

    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=30, choices=MeetingKind.choices, db_index=True)
    subkind = models.CharField(
        _("sub-kind"),
        max_length=20,
        choices=MeetingSubkind.choices,
        blank=True,
        help_text=_("Regular or extraordinary session; annual or end-of-term review conference."),
    )
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="meetings"
    )
    host_agency = models.ForeignKey(
        Agency, verbose_name=_("host agency"), on_delete=models.PROTECT, related_name="hosted_meetings"
    )
    participating_agencies = models.ManyToManyField(
        Agency, verbose_name=_("participating agencies"), blank=True, related_name="meetings"
    )
    charter = models.ForeignKey(
        "charters.Charter",
        verbose_name=_("charter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    article = models.ForeignKey(
        "charters.Article",
        verbose_name=_("charter article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
    )
    area = models.ForeignKey(
        CoordinationArea, verbose_name=_("coordination area"), null=True, blank=True, on_delete=models.PROTECT
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    chair = models.CharField(_("chaired by"), max_length=200, blank=True)
    session = models.ForeignKey(
        "self",
        verbose_name=_("council session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voter_contacts",
        limit_choices_to={"kind": MeetingKind.COUNCIL_SESSION},
        help_text=_("The council session this voter-contact meeting precedes or follows."),
    )
    constituency_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="constituency_meetings",
    )
    constituency = models.CharField(_("constituency"), max_length=300, blank=True)
    minutes_text = models.TextField(_("minutes"), blank=True)
    minutes_file = models.FileField(
        _("signed minutes"), upload_to=minutes_upload_to, storage=private_storage_get, blank=True, max_length=300
    )
    minutes_file_name = models.CharField(_("file name"), max_length=255, blank=True)
    minutes_recorded_at = models.DateTimeField(_("minutes recorded at"), null=True, blank=True)
    idempotency_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "kind", "starts_at"]),
            models.Index(fields=["minutes_recorded_at", "starts_at"]),
            # Incremental sync of the read API (`updated_since`, cursor ordered by updated_at).
            models.Index(fields=["unit", "updated_at", "id"], name="meeting_unit_updated"),
            # The national calendar feed's ETag (`ics.feed_etag`: count and latest change of the window's
            # meetings) read from the index alone: at 1M petitions (13k meetings in the window) 4 ms, not 145 ms.
            models.Index(fields=["starts_at"], include=["updated_at"], name="meeting_feed_window"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        allowed = SUBKINDS_BY_KIND.get(self.kind, ())
        if self.subkind and self.subkind not in allowed:
            errors["subkind"] = _("This sub-kind does not apply to this kind of meeting.")
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The meeting cannot end before it starts.")
        if self.host_agency_id and self.unit_id and self.host_agency.unit_id != self.unit_id:
            errors["host_agency"] = _("The host agency must belong to the meeting's unit.")
        if self.session_id:
            if self.kind not in VOTER_CONTACT_KINDS:
                errors["session"] = _("Only voter-contact meetings are linked to a council session.")
            elif self.session.kind != MeetingKind.COUNCIL_SESSION:
                errors["session"] = _("Choose a council session.")
            elif self.session.unit_id != self.unit_id:
                errors["session"] = _("The council session must be of the same unit.")
        if self.article_id and self.charter_id and self.article.charter_id != self.charter_id:
            errors["article"] = _("The article must belong to the chosen charter.")
        if self.charter_id and self.unit_id and self.charter.unit_id != self.unit_id:
            errors["charter"] = _("The charter must be of the meeting's unit.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_council_session(self):
        return self.kind == MeetingKind.COUNCIL_SESSION

    @property
    def is_voter_contact(self):
        return self.kind in VOTER_CONTACT_KINDS

    @property
    def takes_petitions(self):
        return self.kind in PETITION_INTAKE_KINDS

    @property
    def has_minutes(self):
        return self.minutes_recorded_at is not None

    @property
    def opening_date(self):
        return timezone.localtime(self.starts_at).date()

    def minutes_due_on(self):
        return deadline_for(MINUTES_RULE_CODE, anchor_date=self.opening_date, unit=self.unit)

    def kind_label(self):
        label = self.get_kind_display()
        if self.subkind:
            return f"{label} ({self.get_subkind_display().lower()})"
        return label


class AgendaItem(models.Model):
    """One item of a meeting's agenda, in order."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("agenda item"), max_length=500)
    presenter = models.CharField(_("presented by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return self.title


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    DELEGATED = "delegated", _("Sent a delegate")


class Attendance(models.Model):
    """Who was invited and whether they came, stayed away or sent someone."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person_name = models.CharField(_("person"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("attendance"), max_length=20, choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT
    )
    delegate_name = models.CharField(_("delegate"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return self.person_name

    def clean(self):
        if self.status == AttendanceStatus.DELEGATED and not self.delegate_name.strip():
            raise ValidationError({"delegate_name": _("Name the delegate.")})


class Conclusion(models.Model):
    """What the meeting concluded; may become a follow-up task of the work programme."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="conclusions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("conclusion"))
    responsible_agency = models.ForeignKey(
        Agency,
        verbose_name=_("responsible agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    idempotency_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    task = models.OneToOneField(
        "charters.Task",
        verbose_name=_("follow-up task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conclusion",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conclusion")
        verbose_name_plural = _("conclusions")
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return self.text[:120]


class DocumentKind(models.TextChoices):
    SUBMISSION = "submission", _("Submission")
    DRAFT_RESOLUTION = "draft_resolution", _("Draft resolution")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other document")


class DocumentState(models.TextChoices):
    PENDING = "pending", _("Not yet due")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    OVERDUE = "overdue", _("Overdue")


class SessionDocumentQuerySet(models.QuerySet):
    """A document's states, each defined once here as a `q_*` condition; the Python twin is
    `SessionDocument.state_on` (and `with_state` the same rule as one annotated column)."""

    @staticmethod
    def q_on_time():
        return Q(delivered_on__isnull=False, delivered_on__lte=models.F("due_date"))

    @staticmethod
    def q_late():
        return Q(delivered_on__isnull=False, delivered_on__gt=models.F("due_date"))

    @staticmethod
    def q_overdue(today):
        """Not delivered and due before `today`."""
        return Q(delivered_on__isnull=True, due_date__lt=today)

    @staticmethod
    def q_behind(today):
        """Delivered late or overdue: what the meeting list counts as late documents."""
        return SessionDocumentQuerySet.q_late() | SessionDocumentQuerySet.q_overdue(today)

    def late(self):
        return self.filter(self.q_late())

    def overdue(self, today=None):
        return self.filter(self.q_overdue(today or timezone.localdate()))

    def undelivered(self):
        return self.filter(delivered_on__isnull=True)

    def with_state(self, today=None):
        """Annotate `db_state` (a DocumentState value) computed in the database, for filtering and counting."""
        today = today or timezone.localdate()
        return self.annotate(
            db_state=models.Case(
                models.When(self.q_late(), then=models.Value("late")),
                models.When(delivered_on__isnull=False, then=models.Value("on_time")),
                models.When(self.q_overdue(today), then=models.Value("overdue")),
                default=models.Value("pending"),
                output_field=models.CharField(),
            )
        )


class SessionDocument(models.Model):
    """A submission, draft resolution or report due to the council before a session opens."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.SUBMISSION)
    title = models.CharField(_("title"), max_length=500)
    responsible_agency = models.ForeignKey(
        Agency, verbose_name=_("responsible agency"), on_delete=models.PROTECT, related_name="session_documents"
    )
    due_date = models.DateField(_("due date"), db_index=True)
    due_date_overridden = models.BooleanField(_("due date set by hand"), default=False)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    idempotency_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SessionDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("session document")
        verbose_name_plural = _("session documents")
        ordering = ["meeting", "due_date", "id"]
        indexes = [models.Index(fields=["responsible_agency", "due_date"])]

    def __str__(self):
        return self.title

    def clean(self):
        if self.meeting_id and self.meeting.kind != MeetingKind.COUNCIL_SESSION:
            raise ValidationError(_("Documents are due only before council sessions."))

    def state_on(self, today=None):
        """Twin of `SessionDocumentQuerySet.with_state` (and of its `q_*` conditions)."""
        today = today or timezone.localdate()
        if self.delivered_on:
            return DocumentState.LATE if self.delivered_on > self.due_date else DocumentState.ON_TIME
        return DocumentState.OVERDUE if self.due_date < today else DocumentState.PENDING

    @property
    def state(self):
        return self.state_on()

    @property
    def days_late(self):
        if self.delivered_on and self.delivered_on > self.due_date:
            return (self.delivered_on - self.due_date).days
        return 0


class CalendarFeedToken(models.Model):
    """The secret in a user's calendar feed URL; regenerating replaces it, revoking deletes it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_token")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self):
        return f"{self.user} ({self.created_at:%d/%m/%Y})"
