"""Annual and end-of-term reviews of a charter, their approvals, saved versions and rendered PDF files.

The tables keep the names they had when these models belonged to `charters` (db_table): the move to the
`reviews` app changed only Django's state (reviews/migrations/0001_initial.py)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

__all__ = [
    "KINDS_WITH_GIVEN_PERIOD",
    "NARRATIVE_FIELDS",
    "VERSIONED_FIELDS",
    "AnnualReview",
    "ApprovalMethod",
    "CharterDecision",
    "ReportFile",
    "ReportFormat",
    "ReportStatus",
    "ReviewApproval",
    "ReviewKind",
    "ReviewSnapshot",
    "ReviewStatus",
    "ReviewVersion",
    "report_storage",
]


# Reports live under MEDIA_ROOT, which is never served directly (downloads go through a permission-checked
# view). No explicit location: the storage follows settings.MEDIA_ROOT, also when tests change it.
report_storage = FileSystemStorage()


def report_storage_get():
    """The storage of report files (a callable, so migrations do not record a machine's path)."""
    return report_storage


def signed_copy_path(instance, filename):
    return f"charters/reviews/{instance.review_id}/signed/{instance.agency_id}.pdf"


class ReviewKind(models.TextChoices):
    ANNUAL = "annual", _("Annual review")
    PERIOD = "period", _("Review of a given period")
    MID_TERM = "mid_term", _("Mid-term review")
    END_OF_TERM = "end_of_term", _("End-of-term review")


# Kinds whose period the user gives (an annual review covers the calendar year, an end-of-term one the term).
KINDS_WITH_GIVEN_PERIOD = (ReviewKind.PERIOD, ReviewKind.MID_TERM)


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    APPROVED = "approved", _("Approved")


class CharterDecision(models.TextChoices):
    """What the review conference decided about the charter itself."""

    KEEP = "keep", _("Keep the charter as it is")
    AMEND = "amend", _("Amend and supplement the charter")
    REPLACE = "replace", _("Replace the charter with a new one")


class ApprovalMethod(models.TextChoices):
    LEADER = "leader", _("Approved in the application by the agency's leader")
    SIGNED_COPY = "signed_copy", _("Signed copy recorded by the secretariat")


# Narrative sections in the order the report prints them.
NARRATIVE_FIELDS = (
    "general_assessment",
    "results",
    "shortcomings",
    "causes",
    "conference_conclusions",
    "next_tasks",
    "recommendations",
)
# What a saved version keeps (with the frozen statistics).
VERSIONED_FIELDS = (
    "number",
    "symbol",
    "place",
    "issued_on",
    "summary",
    "introduction",
    *NARRATIVE_FIELDS,
    "charter_decision",
    "charter_decision_note",
    "signers",
    "recipients",
)


class AnnualReview(models.Model):
    """The evaluation of one charter over a period: a calendar year, a span the offices chose (sơ kết of
    15/4/2018–15/4/2019), half the term, or the whole term (tổng kết). `year` names the working year the
    report speaks of (the period's first year unless given).

    `stats` is frozen when the review is generated (or refreshed while a draft), so a printed
    report never changes when later data arrives."""

    charter = models.ForeignKey(
        "charters.Charter", verbose_name=_("charter"), on_delete=models.PROTECT, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewKind.choices, default=ReviewKind.ANNUAL)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, db_index=True
    )
    number = models.CharField(_("number"), max_length=20, blank=True, help_text=_("Left blank until issued."))
    symbol = models.CharField(_("symbol"), max_length=80, help_text=_("E.g. BC-HĐND-UBND-MTTQ."))
    place = models.CharField(_("place of issue"), max_length=100)
    issued_on = models.DateField(_("date of issue"), null=True, blank=True)
    summary = models.CharField(_("summary line"), max_length=500)
    introduction = models.TextField(_("introduction"), blank=True)
    general_assessment = models.TextField(_("general assessment"), blank=True)
    results = models.TextField(_("results per coordination area"), blank=True)
    shortcomings = models.TextField(_("shortcomings"), blank=True)
    causes = models.TextField(_("causes"), blank=True)
    conference_conclusions = models.TextField(_("conclusions of the review conference"), blank=True)
    charter_decision = models.CharField(
        _("decision on the charter"), max_length=10, choices=CharterDecision.choices, blank=True
    )
    charter_decision_note = models.TextField(_("decision on the charter: details"), blank=True)
    next_tasks = models.TextField(_("tasks and solutions for next year"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    recipients = models.TextField(_("recipients (Nơi nhận)"), blank=True, help_text=_("One recipient per line."))
    # [{"lines": ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "name": "Nguyễn Văn A"}, …] in print order.
    signers = models.JSONField(_("signers"), default=list, blank=True)
    stats = models.JSONField(_("statistics"), default=dict, blank=True, editable=False)
    stats_computed_at = models.DateTimeField(_("statistics computed at"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    idempotency_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "charters_annualreview"
        verbose_name = _("annual review")
        verbose_name_plural = _("annual reviews")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["charter", "kind", "period_start", "period_end"], name="review_one_per_charter_period_kind"
            ),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2100), name="review_year_sane"),
            models.CheckConstraint(condition=Q(period_start__lte=F("period_end")), name="review_period_ordered"),
        ]

    def __str__(self):
        if self.kind in KINDS_WITH_GIVEN_PERIOD and self.period_start and self.period_end:
            period = f"{self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"
        else:
            period = self.year
        return f"{self.get_kind_display()} {period} — {self.charter.number}"

    def save(self, *args, **kwargs):
        # Rows written without a period (older code, fixtures) cover the calendar year, as before periods.
        if self.kind == ReviewKind.ANNUAL and self.year and (self.period_start is None or self.period_end is None):
            self.period_start = self.period_start or datetime.date(self.year, 1, 1)
            self.period_end = self.period_end or datetime.date(self.year, 12, 31)
        super().save(*args, **kwargs)

    @property
    def unit(self):
        """The charter's unit: audit entries and visibility checks use it."""
        return self.charter.unit

    @property
    def is_draft(self):
        return self.status == ReviewStatus.DRAFT

    @property
    def period_label(self):
        """How pages name the review's period: the year, or "15/04/2018 – 15/04/2019" for a chosen span."""
        if self.kind in KINDS_WITH_GIVEN_PERIOD and self.period_start and self.period_end:
            return f"{self.period_start:%d/%m/%Y} – {self.period_end:%d/%m/%Y}"
        return str(self.year)

    @property
    def reference(self):
        """`15/BC-HĐND-UBND-MTTQ`, or `   /BC-…` before a number is given (how unnumbered drafts print)."""
        blank = "\u00a0" * 6
        return f"{self.number or blank}/{self.symbol}"

    def clean(self):
        errors = {}
        if self.symbol and not self.symbol.upper().startswith("BC"):
            errors["symbol"] = _("A report's symbol starts with BC (Decree 30/2020), e.g. BC-HĐND.")
        if self.number and not self.number.isdigit():
            errors["number"] = _("The number is digits only; the symbol follows the slash.")
        if self.period_start and self.period_end and self.period_start > self.period_end:
            errors["period_end"] = _("The period cannot end before it starts.")
        if errors:
            raise ValidationError(errors)


class ReviewApproval(models.Model):
    """A party's leader approving a submitted review; one per party agency."""

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="approvals")
    agency = models.ForeignKey(
        "coordination.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)
    review_version = models.PositiveIntegerField(_("version approved"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    method = models.CharField(
        _("how it was approved"), max_length=20, choices=ApprovalMethod.choices, default=ApprovalMethod.LEADER
    )
    # A party with no leader account approves on paper: the secretariat uploads the signed copy.
    signed_copy = models.FileField(
        _("signed copy (PDF)"), storage=report_storage_get, upload_to=signed_copy_path, max_length=300, blank=True
    )
    signed_copy_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        db_table = "charters_reviewapproval"
        verbose_name = _("review approval")
        verbose_name_plural = _("review approvals")
        ordering = ["approved_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "agency"], name="review_approval_one_per_agency"),
            models.CheckConstraint(
                condition=~Q(method="signed_copy") | ~Q(signed_copy=""), name="review_approval_copy_has_file"
            ),
        ]

    def __str__(self):
        return f"{self.review} — {self.agency}"


class ReviewVersion(models.Model):
    """A saved state of a review (texts and frozen statistics), kept for every change."""

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    action = models.CharField(_("action"), max_length=30)
    data = models.JSONField(_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        db_table = "charters_reviewversion"
        verbose_name = _("review version")
        verbose_name_plural = _("review versions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="review_version_unique")]

    def __str__(self):
        return f"{self.review} v{self.number}"


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (.docx)"


class ReportFile(models.Model):
    """One rendering of a review version into a PDF or a Word file. Every render is a new row; old files stay."""

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="report_files")
    source_version = models.ForeignKey(
        ReviewVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="report_files"
    )
    with_appendix = models.BooleanField(_("with the petitions appendix"), default=False)
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices, default=ReportFormat.PDF)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.QUEUED, db_index=True
    )
    file = models.FileField(_("file"), storage=report_storage_get, max_length=300, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The render holding the job: the Celery task id (a redelivery of the same task takes its claim back),
    # and the time the renderer last said it is alive (a claim whose heartbeat stopped is taken over).
    claimed_by = models.CharField(max_length=64, blank=True, default="")
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "charters_reportfile"
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="ready") | ~Q(file=""), name="report_ready_has_file"),
        ]

    def __str__(self):
        return f"{self.review} — {self.get_format_display()} #{self.pk}"

    @property
    def unit(self):
        return self.review.charter.unit

    @property
    def is_pending(self):
        return self.status in (ReportStatus.QUEUED, ReportStatus.RENDERING)

    @property
    def pending_since(self):
        """When the current wait began: the render's start while rendering, else the request."""
        return self.started_at if self.status == ReportStatus.RENDERING and self.started_at else self.created_at

    @property
    def download_name(self):
        """An ASCII file name for the download (the browser gets it in Content-Disposition)."""
        review = self.review
        kind = "tong-ket" if review.kind == ReviewKind.END_OF_TERM else "so-ket"
        suffix = "-phu-luc" if self.with_appendix else ""
        period = review.year
        if review.kind in KINDS_WITH_GIVEN_PERIOD:
            period = f"{review.period_start:%Y%m%d}-{review.period_end:%Y%m%d}"
        return f"bao-cao-{kind}-{period}-v{self.source_version.number}-{self.pk}{suffix}.{self.format}"

    @property
    def content_type(self):
        if self.format == ReportFormat.DOCX:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        return "application/pdf"


class ReviewSnapshot(models.Model):
    """The petitions list of the appendix as it stood when the figures were generated (frozen with them).

    The statistics point at their snapshot (`stats["snapshot"]`), so a version prints the appendix of its own
    figures; a petition added or answered later never changes it."""

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)
    as_of = models.DateField(_("cut-off date"))
    rows = models.JSONField(_("petitions"), default=list)

    class Meta:
        verbose_name = _("review snapshot")
        verbose_name_plural = _("review snapshots")
        ordering = ["-taken_at", "-id"]

    def __str__(self):
        return f"{self.review} — {self.as_of:%d/%m/%Y}"
