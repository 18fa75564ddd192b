"""Supervision programmes (giám sát chuyên đề): the plan, the reports requested from the supervised bodies,
the visits (meetings), the findings and the post-supervision recommendations; and the Front's social
criticism (phản biện xã hội) records.

Late, overdue and open are derived from dates, never stored: each is defined once as a `q_*` condition on
the queryset, with its Python twin on the model beside it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coordination.models import AdministrativeUnit, Agency


class ProgrammeStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("supervision status", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("supervision status", "In progress")
    COMPLETED = "completed", pgettext_lazy("supervision status", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("supervision status", "Cancelled")


class SupervisionProgrammeQuerySet(models.QuerySet):
    @staticmethod
    def q_held(start, end, prefix=""):
        """Not cancelled and started within [start, end]: a programme "held" in a period."""
        return Q(**{f"{prefix}period_start__gte": start, f"{prefix}period_start__lte": end}) & ~Q(
            **{f"{prefix}status": ProgrammeStatus.CANCELLED}
        )

    @staticmethod
    def q_overlapping(start, end, prefix=""):
        """Its period shares at least one day with [start, end]."""
        return Q(**{f"{prefix}period_start__lte": end, f"{prefix}period_end__gte": start})


class SupervisionProgramme(models.Model):
    """One supervision programme of one supervising body (Thường trực HĐND, a Ban of the HĐND, the Đoàn
    ĐBQH, the MTTQ) on one subject, over a period."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="supervision_programmes"
    )
    supervising_agency = models.ForeignKey(
        Agency,
        verbose_name=_("supervising body"),
        on_delete=models.PROTECT,
        related_name="supervision_programmes",
        help_text=_(
            "The People's Council standing committee, a committee (Ban) of the council, the National "
            "Assembly delegation or the Fatherland Front."
        ),
    )
    subject = models.CharField(_("subject"), max_length=500)
    # The subject folded (lower case, no diacritics) for the overlap warning; written by the services.
    subject_key = models.CharField(max_length=500, editable=False, db_index=True, default="")
    members = models.TextField(_("members"), blank=True, help_text=_("The members of the supervision team."))
    supervised_agencies = models.ManyToManyField(
        Agency, verbose_name=_("supervised bodies"), related_name="supervisions_received", blank=True
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    plan_number = models.CharField(_("plan number"), max_length=100, blank=True)
    plan_date = models.DateField(_("plan date"), null=True, blank=True)
    plan = models.TextField(
        pgettext_lazy("supervision", "plan"),
        blank=True,
        help_text=_("Content, method and schedule of the supervision."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.PLANNED, db_index=True
    )
    findings = models.TextField(_("findings"), blank=True)
    visits = models.ManyToManyField(
        "meetings.Meeting", verbose_name=_("visits"), blank=True, related_name="supervision_programmes"
    )
    is_demo = models.BooleanField(_("demo record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SupervisionProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision programme")
        verbose_name_plural = _("supervision programmes")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="supervision_period_ordered"),
        ]
        indexes = [models.Index(fields=["unit", "period_start"])]

    def __str__(self):
        return self.subject

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})
        if self.supervising_agency_id and self.unit_id and self.supervising_agency.unit_id != self.unit_id:
            raise ValidationError({"supervising_agency": _("The supervising body must belong to the unit.")})


class ReportRequestQuerySet(models.QuerySet):
    @staticmethod
    def q_outstanding(prefix=""):
        """Not received yet. Twin: `ReportRequest.is_outstanding`."""
        return Q(**{f"{prefix}received_on__isnull": True})

    @staticmethod
    def q_overdue(today, prefix=""):
        """Not received and due before `today`. Twin: `ReportRequest.is_overdue`."""
        return Q(**{f"{prefix}received_on__isnull": True, f"{prefix}due_date__lt": today})

    @staticmethod
    def q_received_on_time(prefix=""):
        """Received on or before the due date. Twin: `ReportRequest.is_late` (False)."""
        return Q(**{f"{prefix}received_on__isnull": False, f"{prefix}received_on__lte": F(f"{prefix}due_date")})

    @staticmethod
    def q_received_late(prefix=""):
        """Received after the due date. Twin: `ReportRequest.is_late` (True)."""
        return Q(**{f"{prefix}received_on__isnull": False, f"{prefix}received_on__gt": F(f"{prefix}due_date")})


class ReportRequest(models.Model):
    """A report asked of a supervised body by a due date: a handoff (the body is notified and reminded)."""

    programme = models.ForeignKey(
        SupervisionProgramme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="report_requests"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("supervised body"), on_delete=models.PROTECT, related_name="supervision_reports"
    )
    content = models.TextField(_("report requested"), blank=True)
    document_number = models.CharField(_("request document number"), max_length=100, blank=True)
    requested_on = models.DateField(_("requested on"))
    due_date = models.DateField(_("due date"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_document = models.CharField(_("report document number"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReportRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("report request")
        verbose_name_plural = _("report requests")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(due_date__gte=F("requested_on")), name="report_due_after_request"),
        ]

    def __str__(self):
        return f"{self.agency} — {self.programme}"

    def clean(self):
        if self.requested_on and self.due_date and self.due_date < self.requested_on:
            raise ValidationError({"due_date": _("The due date cannot be before the request.")})

    @property
    def unit(self):
        return self.programme.unit

    @property
    def is_outstanding(self):
        return self.received_on is None

    def is_overdue(self, today):
        return self.received_on is None and self.due_date < today

    @property
    def is_late(self):
        return self.received_on is not None and self.received_on > self.due_date


class RecommendationStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("recommendation status", "Open")
    DONE = "done", pgettext_lazy("recommendation status", "Done")


class RecommendationQuerySet(models.QuerySet):
    @staticmethod
    def q_open(prefix=""):
        return Q(**{f"{prefix}status": RecommendationStatus.OPEN})

    @staticmethod
    def q_overdue(today, prefix=""):
        """Open and due before `today`. Twin: `Recommendation.is_overdue`."""
        return Q(**{f"{prefix}status": RecommendationStatus.OPEN, f"{prefix}due_date__lt": today})

    @staticmethod
    def q_pending(today, prefix=""):
        """Open and not yet overdue."""
        return Q(**{f"{prefix}status": RecommendationStatus.OPEN, f"{prefix}due_date__gte": today})

    @staticmethod
    def q_done(prefix=""):
        return Q(**{f"{prefix}status": RecommendationStatus.DONE})

    @staticmethod
    def q_done_late(prefix=""):
        """Done after the due date. Twin: `Recommendation.done_late`."""
        return Q(**{f"{prefix}status": RecommendationStatus.DONE, f"{prefix}done_on__gt": F(f"{prefix}due_date")})


class Recommendation(models.Model):
    """A post-supervision recommendation (kiến nghị sau giám sát): a tracked item with a responsible body."""

    programme = models.ForeignKey(
        SupervisionProgramme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField(_("recommendation"))
    responsible_agency = models.ForeignKey(
        Agency, verbose_name=_("responsible body"), on_delete=models.PROTECT, related_name="supervision_recommendations"
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=10, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("post-supervision recommendation")
        verbose_name_plural = _("post-supervision recommendations")
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="done") & Q(done_on__isnull=False)) | (Q(status="open") & Q(done_on__isnull=True)),
                name="recommendation_done_has_date",
            ),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def unit(self):
        return self.programme.unit

    def is_overdue(self, today):
        return self.status == RecommendationStatus.OPEN and self.due_date < today

    @property
    def done_late(self):
        return self.status == RecommendationStatus.DONE and self.done_on > self.due_date


class SocialCriticism(models.Model):
    """A social criticism (phản biện xã hội) of the Fatherland Front: the document criticised and the conclusion."""

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="social_criticisms"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("Fatherland Front body"), on_delete=models.PROTECT, related_name="social_criticisms"
    )
    subject = models.CharField(_("document or subject criticised"), max_length=500)
    held_on = models.DateField(_("date"))
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("social criticism")
        verbose_name_plural = _("social criticisms")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["unit", "held_on"])]

    def __str__(self):
        return self.subject

    def clean(self):
        if self.agency_id and self.unit_id and self.agency.unit_id != self.unit_id:
            raise ValidationError({"agency": _("The body must belong to the unit.")})
