"""Charters, their parties, articles and obligations, and the work-programme tasks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
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
    search_text = models.TextField(editable=False, blank=True, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("charter")
        verbose_name_plural = _("charters")
        ordering = ["-effective_from", "-id"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self):
        return f"{self.number} — {self.title}"


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

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["article", "id"]

    def __str__(self):
        return self.description


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class TaskOrigin(models.TextChoices):
    PLANNED = "planned", _("Planned in the work programme")
    ARISING = "arising", _("Newly arising")
    CONCLUSION = "conclusion", _("Meeting conclusion")


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
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    origin = models.CharField(_("origin"), max_length=20, choices=TaskOrigin.choices, default=TaskOrigin.PLANNED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    evidence_note = models.TextField(_("evidence"), blank=True)
    evidence_link = models.URLField(_("evidence link"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["unit", "status", "due_date"]),
            models.Index(fields=["responsible_agency", "status", "due_date"]),
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
