"""Shared core data: units, agencies, terms, people and roles, areas, deadline rules, audit log."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. Their agency and role come from `Membership`."""

    language = models.CharField(_("interface language"), max_length=8, choices=settings.LANGUAGES, default="vi")
    email_reminders = models.BooleanField(_("email reminders"), default=True)
    position = models.CharField(_("position"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self):
        # Vietnamese order: family and middle name (last_name) before the given name ("Nguyễn Thị Lan").
        return f"{self.last_name} {self.first_name}".strip() or self.username


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level (before 1 July 2025)")
    COMMUNE = "commune", _("Commune level")


def place_name_of(name):
    """A unit's name without its kind ("Thành phố Đà Nẵng" → "Đà Nẵng", "Phường Gò Vấp" → "Gò Vấp")."""
    for prefix in ("Thành phố ", "Tỉnh ", "Quận ", "Huyện ", "Thị xã ", "Phường ", "Xã ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


class AdministrativeUnit(models.Model):
    """A province, commune, or a legacy district; merged units point to their successor."""

    code = models.CharField(_("official code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    division_type = models.CharField(_("division type"), max_length=50, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        help_text=_("The unit this one was merged into, so its records still roll up."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    # The office's default for the citizens' pages: publish each answer as soon as it is recorded.
    publish_answers_by_default = models.BooleanField(
        _("publish answers by default"),
        default=False,
        help_text=_("Publish every answer to a voter petition of this unit on the public pages once it is recorded."),
    )
    # Other systems sync units incrementally (read API `updated_since`).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(level="province") | Q(parent__isnull=True),
                name="unit_province_has_no_parent",
            ),
            models.CheckConstraint(condition=~Q(successor=models.F("id")), name="unit_not_own_successor"),
        ]

    def __str__(self):
        return self.name

    @property
    def place_name(self):
        """The name as used in a report's place-and-date line ("Đà Nẵng", "Gò Vấp")."""
        return place_name_of(self.name)


class AgencyKind(models.TextChoices):
    HDND = "HDND", _("People's Council standing committee")
    UBND = "UBND", _("People's Committee")
    MTTQ = "MTTQ", _("Fatherland Front standing board")
    DBQH = "DBQH", _("National Assembly delegation")
    OTHER = "OTHER", _("Department or other competent agency")


PARTY_KINDS = ("HDND", "UBND", "MTTQ", "DBQH")


class Agency(models.Model):
    """One of the four bodies in one unit, or another competent agency (a department)."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="agencies"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=AgencyKind.choices, default=AgencyKind.OTHER)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Other systems sync agencies incrementally (read API `updated_since`).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["unit__name", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind"], condition=~Q(kind="OTHER"), name="agency_one_kind_per_unit"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == AgencyKind.DBQH and self.unit_id and self.unit.level != UnitLevel.PROVINCE:
            raise ValidationError({"kind": _("A National Assembly delegation exists only at province level.")})

    @property
    def is_party_kind(self):
        return self.kind in PARTY_KINDS


class Role(models.TextChoices):
    CLERK = "clerk", _("Clerk")
    LEADER = "leader", _("Leader")
    SECRETARIAT = "secretariat", _("Secretariat")


class Membership(models.Model):
    """A user belongs to one agency with one role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="membership"
    )
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CLERK)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["agency", "role"])]

    def __str__(self):
        return f"{self.user} — {self.agency} ({self.get_role_display()})"


class Term(models.Model):
    """A council term (nhiệm kỳ), e.g. 2021–2026."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-start_year"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gt=models.F("start_year")), name="term_years_ordered"),
            models.CheckConstraint(condition=Q(end_date__gt=models.F("start_date")), name="term_dates_ordered"),
        ]

    def __str__(self):
        return self.name

    def contains(self, day):
        return self.start_date <= day <= self.end_date


class CoordinationArea(models.Model):
    """A field of coordination named in charters (voter contact, law-making, supervision…)."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    # False: an area a charter added of its own (listed by that charter only, not offered to others).
    in_catalogue = models.BooleanField(_("in the catalogue"), default=True)

    class Meta:
        verbose_name = _("coordination area")
        verbose_name_plural = _("coordination areas")
        ordering = ["order", "name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "vi").startswith("en"):
            return self.name_en
        return self.name


class DayType(models.TextChoices):
    CALENDAR = "calendar", _("calendar days")
    WORKING = "working", _("working days")


class Anchor(models.TextChoices):
    RECEIVED = "received", _("receipt")
    FORWARDED = "forwarded", _("forwarding")
    SESSION_OPENING = "session_opening", _("session opening")
    SESSION_CLOSING = "session_closing", _("session closing")
    MEETING_DATE = "meeting_date", _("meeting date")
    EVALUATED = "evaluated", _("evaluation of the answer")


class Direction(models.TextChoices):
    BEFORE = "before", _("before")
    AFTER = "after", _("after")


class DeadlineRule(models.Model):
    """A deadline as data: N calendar or working days before/after an anchor event.

    Rules with the same code form one family; the national default (no unit) can be
    overridden for a unit, and each version is valid between its effective dates.
    """

    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=255)
    amount = models.PositiveIntegerField(_("amount"))
    day_type = models.CharField(_("day type"), max_length=10, choices=DayType.choices)
    anchor = models.CharField(_("anchor event"), max_length=20, choices=Anchor.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.AFTER)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_rules",
        help_text=_("Empty for the national default."),
    )

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["code", "unit_id", "-effective_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="deadline_rule_dates_ordered",
            ),
            models.UniqueConstraint(
                fields=["code", "effective_from"],
                condition=Q(unit__isnull=True),
                name="deadline_rule_unique_national_version",
            ),
            models.UniqueConstraint(
                fields=["code", "unit", "effective_from"],
                condition=Q(unit__isnull=False),
                name="deadline_rule_unique_unit_version",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.describe()})"

    def describe(self):
        return _("%(amount)s %(day_type)s %(direction)s %(anchor)s") % {
            "amount": self.amount,
            "day_type": self.get_day_type_display(),
            "direction": self.get_direction_display(),
            "anchor": self.get_anchor_display(),
        }


class AuditEvent(models.Model):
    """Append-only record of a change: who, when, what object, what action, what values."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # PROTECT, never SET_NULL: the rows are append-only (the trigger would refuse the UPDATE), so an account
    # or unit named by the log is deactivated, not deleted. The names are also kept as text, as they were.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("by (name then)"), max_length=255, blank=True, default="")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("object"), max_length=255)
    action = models.CharField(_("action"), max_length=50)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    changes = models.JSONField(_("changed values"), default=dict, blank=True)
    unit = models.ForeignKey(AdministrativeUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField(_("unit (name then)"), max_length=255, blank=True, default="")

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit events are append-only.")

    @property
    def actor_display(self):
        """Who did it, as named when it was done (rows written before names were kept: the account now)."""
        if self.actor_name:
            return self.actor_name
        return self.actor.display_name if self.actor_id else ""


class ReminderLevel(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    ESCALATION = "escalation", _("Escalated")
    # Not a reminder: another agency handed the item over (forwarded, returned, answered, judged).
    HANDOFF = "handoff", _("Handed over to you")


class Notification(models.Model):
    """An in-app reminder shown under the bell: one item, one reminder kind, one day, one person."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    item_kind = models.CharField(_("item kind"), max_length=30)
    item_key = models.CharField(_("item"), max_length=100, help_text=_("Stable key of the item, e.g. task:12."))
    kind = models.CharField(_("reminder kind"), max_length=30)
    level = models.CharField(_("level"), max_length=20, choices=ReminderLevel.choices)
    title = models.CharField(_("title"), max_length=500)
    url = models.CharField(_("link"), max_length=500, blank=True)
    due_date = models.DateField(_("due date"))
    day = models.DateField(_("reminder day"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_recipient_read")]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "item_key", "kind", "day"], name="notification_once_per_item_kind_day"
            ),
        ]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} {self.kind} {self.title}"


class ReminderLedger(models.Model):
    """The exactly-once ledger: one row per (recipient, item, reminder kind, day).

    The unique constraint makes reruns and overlapping scans insert nothing new. A digest send
    first claims the unsent rows (a conditional UPDATE), sends, then stamps `sent_at`, so a row
    is emailed by exactly one send (see `coordination.reminders` for the crash window).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    item_kind = models.CharField(_("item kind"), max_length=30)
    item_key = models.CharField(_("item"), max_length=100)
    kind = models.CharField(_("reminder kind"), max_length=30)
    level = models.CharField(_("level"), max_length=20, choices=ReminderLevel.choices)
    day = models.DateField(_("reminder day"))
    title = models.CharField(_("title"), max_length=500)
    url = models.CharField(_("link"), max_length=500, blank=True)
    due_date = models.DateField(_("due date"))
    agency = models.ForeignKey(
        Agency, verbose_name=_("responsible agency"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email_wanted = models.BooleanField(_("by email"), default=True)
    claimed_by = models.CharField(max_length=64, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder ledger entry")
        verbose_name_plural = _("reminder ledger")
        ordering = ["day", "recipient_id", "id"]
        indexes = [
            models.Index(fields=["recipient", "day", "sent_at"], name="ledger_recipient_day_sent"),
            # The scan's catch-up looks for recent unsent email rows; keep that lookup small.
            models.Index(
                fields=["day"], condition=Q(sent_at__isnull=True, email_wanted=True), name="ledger_unsent_email_day"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "item_key", "kind", "day"], name="ledger_once_per_item_kind_day"
            ),
        ]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} {self.recipient_id} {self.kind} {self.item_key}"


class ReminderScan(models.Model):
    """A completed daily reminder scan: the watermark of the reminders already recorded.

    Written in the same transaction as the scan's ledger rows, so a scan that failed leaves no row and
    the next scan fills in the days since the latest completed one (`reminders.scan_days`). A restore
    of an older backup writes one too (source "restore"), so the days the live database had already
    handled are not reminded again (scripts/backup.py)."""

    day = models.DateField(unique=True)
    completed_at = models.DateTimeField()
    planned = models.IntegerField(default=0)
    source = models.CharField(max_length=20, default="scan")

    class Meta:
        verbose_name = _("reminder scan")
        verbose_name_plural = _("reminder scans")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day:%d/%m/%Y} {self.source} @ {self.completed_at:%H:%M}"


# --- The dashboard's petition summary (see coordination/dashboard/summary.py) ------------------------


class WorkingDayOrdinal(models.Model):
    """Cumulative working days up to and including `day` (`deadlines.is_working_day`), over the span of
    the petitions: working_days_between(a, b) = ordinal(b) - ordinal(a), so SQL can sum it."""

    day = models.DateField(primary_key=True)
    ordinal = models.IntegerField()

    class Meta:
        verbose_name = _("working-day ordinal")
        verbose_name_plural = _("working-day ordinals")

    def __str__(self):
        return f"{self.day:%d/%m/%Y} {self.ordinal}"


class PetitionSummaryCounts(models.Model):
    """The counts a petition summary row holds for its group (unit, period, field, receiving office, lead
    agency, place): one integer per dashboard measure (`voters.selectors.PETITION_MEASURES`). Derived tables,
    rebuilt whole by `coordination.dashboard.summary.petition_summary_refresh` (no foreign-key constraints:
    they are never the source)."""

    unit = models.ForeignKey(
        AdministrativeUnit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", db_index=False
    )
    field = models.CharField(max_length=20)
    originating_agency = models.ForeignKey(
        Agency, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", db_index=False
    )
    lead_agency = models.ForeignKey(
        Agency, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", db_index=False
    )
    # Where the petitions came from (`voters.selectors.petition_place`: the commune chosen, else the locality
    # typed), for the dashboard's table by place; None when not said.
    place = models.CharField(max_length=255, null=True)
    received = models.IntegerField()
    forwarded = models.IntegerField()
    answered = models.IntegerField()
    answered_on_time = models.IntegerField()
    answered_late = models.IntegerField()
    overdue = models.IntegerField()
    returned = models.IntegerField()
    unsatisfactory = models.IntegerField()
    reanswer_requested = models.IntegerField(default=0)
    reanswered = models.IntegerField(default=0)
    reanswered_on_time = models.IntegerField(default=0)
    # Σ working days from receipt to answer over the answered petitions (for the average).
    answered_working_days = models.BigIntegerField()

    class Meta:
        abstract = True


class PetitionMonthlySummary(PetitionSummaryCounts):
    """Petitions counted by unit, month received, field, receiving office and lead agency: the whole months
    of a dashboard's period (summed from `PetitionDailySummary` in the same refresh)."""

    month = models.DateField()  # the first day of the month received

    class Meta:
        verbose_name = _("petition monthly summary")
        verbose_name_plural = _("petition monthly summaries")
        indexes = [models.Index(fields=["unit", "month"], name="petition_summary_unit_month")]

    def __str__(self):
        return f"{self.unit_id} {self.month:%m/%Y} {self.field}"


class PetitionDailySummary(PetitionSummaryCounts):
    """Petitions counted by unit, day received, field, receiving office and lead agency: the days of a
    dashboard's period that do not fill a month (a custom range's first and last months)."""

    day = models.DateField()  # the day received

    class Meta:
        verbose_name = _("petition daily summary")
        verbose_name_plural = _("petition daily summaries")
        indexes = [models.Index(fields=["unit", "day"], name="petition_summary_unit_day")]

    def __str__(self):
        return f"{self.unit_id} {self.day:%d/%m/%Y} {self.field}"


class SummaryRefresh(models.Model):
    """When the petition summary was last rebuilt and for which day (overdue depends on the day): one row."""

    computed_for = models.DateField()
    refreshed_at = models.DateTimeField()
    duration_ms = models.IntegerField(default=0)
    rows = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("summary refresh")
        verbose_name_plural = _("summary refreshes")

    def __str__(self):
        return f"{self.computed_for} @ {self.refreshed_at:%H:%M}"
