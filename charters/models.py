"""Charters, their parties, articles and obligations, and the work-programme tasks."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coordination.models import AdministrativeUnit, Agency, CoordinationArea, DeadlineRule, Term


class CharterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    IN_FORCE = "in_force", _("In force")
    SUPERSEDED = "superseded", _("Superseded")
    EXPIRED = "expired", _("Expired")


class Charter(models.Model):
    """A coordination charter (Quy chế phối hợp) signed by 2–4 agencies of one unit for a term."""

    number = models.CharField(_("number and symbol"), max_length=100)
    title = models.CharField(_("title"), max_length=500)
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="charters"
    )
    term = models.ForeignKey(Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="charters")
    status = models.CharField(
        _("status"), max_length=20, choices=CharterStatus.choices, default=CharterStatus.DRAFT, db_index=True
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
    )
    parties = models.ManyToManyField(Agency, through="CharterParty", related_name="charters", verbose_name=_("parties"))
    # The areas of coordination the charter lists: catalogue areas and the charter's own (in_catalogue=False).
    areas = models.ManyToManyField(
        CoordinationArea, blank=True, related_name="listing_charters", verbose_name=_("coordination areas")
    )
    # The signing conference (hội nghị ký kết) and how the charter was made known afterwards (quán triệt, phổ biến).
    conference_on = models.DateField(_("signing conference date"), null=True, blank=True)
    conference_place = models.CharField(_("signing conference place"), max_length=300, blank=True)
    conference_chair = models.CharField(_("signing conference chaired by"), max_length=500, blank=True)
    disseminated_on = models.DateField(_("disseminated on"), null=True, blank=True)
    dissemination = models.TextField(_("dissemination"), blank=True)
    # Stored under MEDIA_ROOT, which is never served directly: downloads go through a permission-checked view.
    scan = models.FileField(_("signed scan (PDF)"), upload_to="charters/scans/%Y/", blank=True, max_length=300)
    scan_uploaded_at = models.DateTimeField(_("scan uploaded at"), null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True, default="")
    idempotency_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("charter")
        verbose_name_plural = _("charters")
        ordering = ["-effective_from", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"]),
            # Incremental sync of the read API (`updated_since`, cursor ordered by updated_at).
            models.Index(fields=["unit", "updated_at", "id"], name="charter_unit_updated"),
        ]

    def __str__(self):
        return f"{self.number} — {self.title}"

    @property
    def is_draft(self):
        return self.status == CharterStatus.DRAFT

    def clean(self):
        errors = {}
        if self.signed_on and self.effective_from and self.effective_from < self.signed_on:
            errors["effective_from"] = _("The charter cannot take effect before it is signed.")
        if self.term_id:
            for name in ("signed_on", "effective_from"):
                day = getattr(self, name)
                if day and not self.term.contains(day) and name not in errors:
                    errors[name] = _("The date must fall within the term %(term)s (%(start)s – %(end)s).") % {
                        "term": self.term.name,
                        "start": self.term.start_date.strftime("%d/%m/%Y"),
                        "end": self.term.end_date.strftime("%d/%m/%Y"),
                    }
        if self.supersedes_id and self.pk and self.supersedes_id == self.pk:
            errors["supersedes"] = _("A charter cannot supersede itself.")
        if self.supersedes_id and self.unit_id and self.supersedes.unit_id != self.unit_id:
            errors["supersedes"] = _("The superseded charter must belong to the same unit.")
        if errors:
            raise ValidationError(errors)


class CharterParty(models.Model):
    """An agency that signs a charter, with its signer."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="party_links")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="charter_links")
    signer_name = models.CharField(_("signer name"), max_length=200, blank=True)
    signer_position = models.CharField(_("signer position"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("charter party")
        verbose_name_plural = _("charter parties")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["charter", "agency"], name="charter_party_unique")]

    def __str__(self):
        return f"{self.agency} — {self.signer_name}"


class CharterWitness(models.Model):
    """A person who witnessed the signing without signing (e.g. the province's leaders), with their title."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="witnesses")
    name = models.CharField(_("witness name"), max_length=200)
    position = models.CharField(_("witness position"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("charter witness")
        verbose_name_plural = _("charter witnesses")
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.name}, {self.position}" if self.position else self.name


class Article(models.Model):
    """An article (điều) of a charter: who leads and who supports in one coordination area."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="articles")
    number = models.PositiveSmallIntegerField(_("article number"))
    title = models.CharField(_("title"), max_length=500)
    text = models.TextField(_("text"), blank=True)
    area = models.ForeignKey(
        CoordinationArea, verbose_name=_("coordination area"), null=True, blank=True, on_delete=models.PROTECT
    )
    lead_agency = models.ForeignKey(
        Agency,
        verbose_name=_("lead agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_articles",
    )
    supporting_agencies = models.ManyToManyField(
        Agency, verbose_name=_("supporting agencies"), blank=True, related_name="supported_articles"
    )

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["charter", "number"]
        constraints = [models.UniqueConstraint(fields=["charter", "number"], name="article_number_unique")]

    def __str__(self):
        return _("Article %(number)s. %(title)s") % {"number": self.number, "title": self.title}


class Cadence(models.TextChoices):
    ONCE = "once", _("Once")
    EACH_SESSION = "each_session", _("Each council session")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")
    RULE = "rule", _("By deadline rule")


class Obligation(models.Model):
    """A duty under an article, recurring by cadence or due by a deadline rule; generates tasks."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="obligations")
    description = models.CharField(_("duty"), max_length=500)
    responsible_agency = models.ForeignKey(
        Agency, verbose_name=_("responsible agency"), on_delete=models.PROTECT, related_name="obligations"
    )
    cadence = models.CharField(_("cadence"), max_length=20, choices=Cadence.choices, default=Cadence.YEARLY)
    day_of_period = models.PositiveSmallIntegerField(
        _("day of period"), default=1, help_text=_("Day of the month (monthly), of the quarter's last month… when due.")
    )
    month = models.PositiveSmallIntegerField(
        _("month"), null=True, blank=True, help_text=_("For yearly or once: the month due.")
    )
    deadline_rule = models.ForeignKey(
        DeadlineRule, verbose_name=_("deadline rule"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["article", "id"]

    def __str__(self):
        return self.description

    def clean(self):
        errors = {}
        if self.cadence == Cadence.RULE and not self.deadline_rule_id:
            errors["deadline_rule"] = _("Choose the deadline rule this duty follows.")
        if self.month is not None and not 1 <= self.month <= 12:
            errors["month"] = _("The month must be between 1 and 12.")
        if self.cadence == Cadence.QUARTERLY and self.month is not None and self.month > 3:
            errors["month"] = _("For a quarterly duty, the month is the month within the quarter (1–3).")
        if self.cadence in (Cadence.YEARLY, Cadence.ONCE) and self.month is None:
            errors["month"] = _("Give the month in which this duty is due.")
        if not 1 <= (self.day_of_period or 0) <= 31:
            errors["day_of_period"] = _("The day must be between 1 and 31.")
        if errors:
            raise ValidationError(errors)


class WorkProgramme(models.Model):
    """An annual work programme (chương trình công tác) as the document an office issues: its number, date,
    issuer and the year's theme. Its items are tasks (`Task.programme`), planned or arising, imported from Excel."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="work_programmes"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.CharField(_("number and symbol"), max_length=100, help_text=_("E.g. 01/CTr-HĐND."))
    issued_on = models.DateField(_("date of issue"))
    issuer = models.ForeignKey(
        Agency, verbose_name=_("issuing agency"), on_delete=models.PROTECT, related_name="work_programmes"
    )
    title = models.CharField(_("title"), max_length=500)
    theme = models.CharField(_("theme of the year"), max_length=500, blank=True)
    charter = models.ForeignKey(
        Charter,
        verbose_name=_("charter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_programmes",
        help_text=_("The charter the programme carries out, if any: its items then count in the charter's review."),
    )
    # The SHA-256 of every .xlsx imported into the programme: the same file uploaded again (a second click,
    # a re-upload) is refused instead of doubling the items.
    imported_files = models.JSONField(default=list, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idempotency_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("work programme")
        verbose_name_plural = _("work programmes")
        ordering = ["-year", "unit__name", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="work_programme_number_unique"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="work_programme_year_sane"),
        ]
        indexes = [models.Index(fields=["unit", "issuer", "year"], name="work_programme_unit_year")]

    def __str__(self):
        return f"{self.number} — {self.title}"

    def clean(self):
        errors = {}
        if self.issuer_id and self.unit_id and self.issuer.unit_id != self.unit_id:
            errors["issuer"] = _("The issuing agency must belong to the programme's unit.")
        if self.charter_id and self.unit_id and self.charter.unit_id != self.unit_id:
            errors["charter"] = _("The charter belongs to another unit.")
        if self.issued_on and self.year and abs(self.issued_on.year - self.year) > 1:
            errors["issued_on"] = _("The date of issue must be close to the programme's year.")
        if errors:
            raise ValidationError(errors)


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TaskOrigin(models.TextChoices):
    PLANNED = "planned", _("Planned in the work programme")
    ARISING = "arising", _("Newly arising")
    CONCLUSION = "conclusion", _("Meeting conclusion")


def due_soon_days(days=None):
    """The "due soon" window in days: `days` when given, else settings.DUE_SOON_DAYS."""
    return settings.DUE_SOON_DAYS if days is None else days


class TaskQuerySet(models.QuerySet):
    """Derived task states, each defined once here as a `q_*` condition with its Python twin on `Task` beside
    it (`Task.is_overdue`, `is_due_soon`, `is_pending`, `done_on_time`): overdue and due soon depend on
    `today`, so they are never stored.

    The `q_*` helpers return the conditions as `Q` objects with a relation prefix, so other querysets can
    count tasks (e.g. `Count("tasks", filter=TaskQuerySet.q_overdue(today, "tasks__"))`)."""

    @staticmethod
    def q_open(prefix=""):
        return Q(**{f"{prefix}status": TaskStatus.OPEN})

    @staticmethod
    def q_overdue(today, prefix=""):
        """Open and due before `today`. Twin: `Task.is_overdue`."""
        return Q(**{f"{prefix}status": TaskStatus.OPEN, f"{prefix}due_date__lt": today})

    @staticmethod
    def q_pending(today, prefix=""):
        """Open and not yet overdue (due today or later). Twin: `Task.is_pending`."""
        return Q(**{f"{prefix}status": TaskStatus.OPEN, f"{prefix}due_date__gte": today})

    @staticmethod
    def q_due_soon(today, days=None, prefix=""):
        """Open and due from `today` to `today + days` (settings.DUE_SOON_DAYS by default). Twin: `Task.is_due_soon`."""
        return Q(
            **{
                f"{prefix}status": TaskStatus.OPEN,
                f"{prefix}due_date__gte": today,
                f"{prefix}due_date__lte": today + timedelta(days=due_soon_days(days)),
            }
        )

    @staticmethod
    def q_done_on_time(prefix=""):
        """Done on or before the due date. Twin: `Task.done_on_time` (True)."""
        return Q(**{f"{prefix}status": TaskStatus.DONE, f"{prefix}completed_on__lte": F(f"{prefix}due_date")})

    @staticmethod
    def q_done_late(prefix=""):
        """Done after the due date. Twin: `Task.done_on_time` (False)."""
        return Q(**{f"{prefix}status": TaskStatus.DONE, f"{prefix}completed_on__gt": F(f"{prefix}due_date")})

    def open(self):
        return self.filter(self.q_open())

    def overdue(self, today):
        return self.filter(self.q_overdue(today))

    def pending(self, today):
        return self.filter(self.q_pending(today))

    def due_soon(self, today, days=None):
        return self.filter(self.q_due_soon(today, days))

    def done_on_time(self):
        return self.filter(self.q_done_on_time())

    def done_late(self):
        return self.filter(self.q_done_late())

    def in_year(self, year):
        return self.filter(due_date__year=year)


class Task(models.Model):
    """A work-programme item: from an obligation, a meeting conclusion, or entered by hand."""

    title = models.CharField(_("title"), max_length=500)
    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="tasks")
    charter = models.ForeignKey(
        Charter, verbose_name=_("charter"), null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    obligation = models.ForeignKey(Obligation, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    period_key = models.CharField(
        max_length=30, blank=True, default="", help_text="Which occurrence of the obligation (e.g. 2025-Q1)."
    )
    programme = models.ForeignKey(
        WorkProgramme,
        verbose_name=_("work programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    area = models.ForeignKey(
        CoordinationArea, verbose_name=_("coordination area"), null=True, blank=True, on_delete=models.PROTECT
    )
    responsible_agency = models.ForeignKey(
        Agency, verbose_name=_("responsible agency"), on_delete=models.PROTECT, related_name="tasks"
    )
    supporting_agencies = models.ManyToManyField(
        Agency, verbose_name=_("supporting agencies"), blank=True, related_name="supported_tasks"
    )
    due_date = models.DateField(_("due date"), db_index=True)
    # An item due "in tháng 03": `due_date` is the month's last day (so every due-date query still holds),
    # and this flag says the document gave a month, not a day.
    due_in_month = models.BooleanField(_("due within the month"), default=False, db_default=False)
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    origin = models.CharField(_("origin"), max_length=20, choices=TaskOrigin.choices, default=TaskOrigin.PLANNED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    evidence_note = models.TextField(_("evidence"), blank=True)
    evidence_link = models.URLField(_("evidence link"), blank=True)
    evidence_file = models.FileField(
        _("evidence file (PDF)"), upload_to="charters/evidence/%Y/", blank=True, max_length=300
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    idempotency_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["unit", "status", "due_date"]),
            models.Index(fields=["responsible_agency", "status", "due_date"]),
            # Charter page: the years with tasks (skip scan) and the per-article compliance (index-only).
            models.Index(fields=["charter", "due_date"], name="task_charter_due"),
            models.Index(
                fields=["charter", "article", "status", "due_date", "completed_on"], name="task_charter_compliance"
            ),
            # Task list: the agencies offered by the filter (index-only over the visible units' tasks).
            models.Index(fields=["unit", "responsible_agency"], name="task_unit_responsible"),
            # Dashboard: a unit's (or its communes') tasks due in the period, counted by state, agency and
            # article without reading the table (index-only). Key columns, not INCLUDE: SQLite has no INCLUDE.
            models.Index(
                fields=["unit", "due_date", "status", "completed_on", "responsible_agency", "article", "id"],
                name="task_unit_due_dashboard",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "period_key"],
                condition=Q(obligation__isnull=False),
                name="task_one_per_obligation_period",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(completed_on__isnull=False), name="task_done_has_completion_date"
            ),
        ]

    def __str__(self):
        return self.title

    # The Python twins of the `TaskQuerySet` conditions (same rule, for one loaded task).
    def is_overdue(self, today):
        """Twin of `TaskQuerySet.q_overdue`."""
        return self.status == TaskStatus.OPEN and self.due_date < today

    def is_pending(self, today):
        """Twin of `TaskQuerySet.q_pending`."""
        return self.status == TaskStatus.OPEN and self.due_date >= today

    def is_due_soon(self, today, days=None):
        """Twin of `TaskQuerySet.q_due_soon`."""
        return self.status == TaskStatus.OPEN and today <= self.due_date <= today + timedelta(days=due_soon_days(days))

    def state_on(self, today):
        """The task's state shown by its badge: done_on_time, done_late, cancelled, overdue, due_soon or open."""
        if self.status == TaskStatus.DONE:
            return "done_on_time" if self.done_on_time else "done_late"
        if self.status == TaskStatus.CANCELLED:
            return "cancelled"
        if self.is_overdue(today):
            return "overdue"
        if self.is_due_soon(today):
            return "due_soon"
        return "open"

    @property
    def done_on_time(self):
        """True/False for a done task (twins of `q_done_on_time` / `q_done_late`); None otherwise."""
        if self.status != TaskStatus.DONE or not self.completed_on:
            return None
        return self.completed_on <= self.due_date
