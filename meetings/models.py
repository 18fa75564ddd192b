"""Meetings of every kind: council sessions, voter contact, briefings, supervision, reviews."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from coordination.models import AdministrativeUnit, Agency, CoordinationArea


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


class Meeting(models.Model):
    """A meeting held under a charter. (The meetings issue extends this model.)"""

    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=30, choices=MeetingKind.choices, db_index=True)
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
    area = models.ForeignKey(
        CoordinationArea, verbose_name=_("coordination area"), null=True, blank=True, on_delete=models.PROTECT
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["unit", "kind", "starts_at"])]

    def __str__(self):
        return self.title
