"""Every write to supervision: one transaction, validated, with its audit entry.

The entries of a programme's reports, visits and recommendations are written on the programme (its page
shows one timeline); their summary states the body, the dates and whether it was late.

Each service checks that `actor` may act (`supervision.permissions`) and raises PermissionDenied otherwise,
whoever calls it. A report request and a recommendation are handoffs: the body that must act is notified
in the same transaction (`coordination.reminders.handoff_notify`) and reminded by the watchers of
`supervision.reminders` until the report is received or the recommendation done."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination.audit import audit_record, diff, snapshot
from coordination.permissions import can_see_unit, ensure
from coordination.reminders import handoff_notify
from coordination.text import clean_text
from meetings.models import MeetingKind
from meetings.services import meeting_create

from . import permissions
from .models import (
    Recommendation,
    RecommendationStatus,
    ReportRequest,
    SocialCriticism,
    SupervisionProgramme,
)
from .selectors import subject_key

PROGRAMME_FIELDS = (
    "subject",
    "members",
    "period_start",
    "period_end",
    "plan_number",
    "plan_date",
    "plan",
    "status",
    "findings",
)


def _agencies_of_unit(unit, agencies, field):
    agencies = list(agencies)
    # The supervised bodies are this unit's (its departments, the People's Committee) or its communes'.
    if any(agency.unit_id != unit.pk and agency.unit.parent_id != unit.pk for agency in agencies):
        raise ValidationError({field: _("Choose bodies of this unit or of its communes.")})
    return agencies


def _actor_ids(actor):
    return [actor.pk] if getattr(actor, "pk", None) else []


def _date(day):
    return day.strftime("%d/%m/%Y")


@transaction.atomic
def programme_create(*, actor, supervising_agency, supervised_agencies=(), is_demo=False, **fields):
    """Plan a supervision programme of `supervising_agency` in its unit."""
    ensure(permissions.can_plan_for(actor, supervising_agency) and can_see_unit(actor, supervising_agency.unit_id))
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"Unknown programme fields: {sorted(unknown)}")
    fields["subject"] = clean_text(fields.get("subject", ""))
    programme = SupervisionProgramme(
        unit=supervising_agency.unit,
        supervising_agency=supervising_agency,
        subject_key=subject_key(fields["subject"]),
        is_demo=is_demo,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    programme.full_clean()
    supervised = _agencies_of_unit(programme.unit, supervised_agencies, "supervised_agencies")
    programme.save()
    programme.supervised_agencies.set(supervised)
    audit_record(
        actor=actor,
        obj=programme,
        action="create",
        summary=_("Supervision programme planned: %(subject)s") % {"subject": programme.subject},
    )
    return programme


@transaction.atomic
def programme_update(*, actor, programme, supervised_agencies=None, **fields):
    """Change a programme's plan, status or findings."""
    programme = (
        SupervisionProgramme.objects.select_for_update()
        .select_related("unit", "supervising_agency")
        .get(pk=programme.pk)
    )
    ensure(permissions.can_edit_programme(actor, programme))
    unknown = set(fields) - set(PROGRAMME_FIELDS)
    if unknown:
        raise TypeError(f"Unknown programme fields: {sorted(unknown)}")
    names = list(fields)
    before = snapshot(programme, names)
    before_agencies = sorted(programme.supervised_agencies.values_list("name", flat=True))
    for name, value in fields.items():
        setattr(programme, name, clean_text(value) if name == "subject" else value)
    programme.subject_key = subject_key(programme.subject)
    programme.full_clean()
    programme.save(update_fields=[*names, "subject_key", "updated_at"])
    changes = diff(before, snapshot(programme, names))
    if supervised_agencies is not None:
        supervised = _agencies_of_unit(programme.unit, supervised_agencies, "supervised_agencies")
        programme.supervised_agencies.set(supervised)
        after_agencies = sorted(agency.name for agency in supervised)
        if after_agencies != before_agencies:
            changes["supervised_agencies"] = [before_agencies, after_agencies]
    audit_record(
        actor=actor,
        obj=programme,
        action="update",
        changes=changes,
        summary=_("Supervision programme updated: %(subject)s") % {"subject": programme.subject},
    )
    return programme


@transaction.atomic
def report_request_create(*, actor, programme, agency, due_date, requested_on=None, content="", document_number=""):
    """Ask a supervised body for its report by `due_date`; its members are notified now."""
    programme = (
        SupervisionProgramme.objects.select_for_update()
        .select_related("unit", "supervising_agency")
        .get(pk=programme.pk)
    )
    ensure(permissions.can_edit_programme(actor, programme))
    _agencies_of_unit(programme.unit, [agency], "agency")
    request = ReportRequest(
        programme=programme,
        agency=agency,
        due_date=due_date,
        requested_on=requested_on or timezone.localdate(),
        content=clean_text(content),
        document_number=clean_text(document_number),
    )
    request.full_clean()
    request.save()
    programme.supervised_agencies.add(agency)
    audit_record(
        actor=actor,
        obj=programme,
        action="report_request",
        summary=_("Report requested from %(agency)s by %(due)s") % {"agency": agency.name, "due": _date(due_date)},
    )
    body, subject, due = programme.supervising_agency.name, programme.subject, _date(due_date)
    handoff_notify(
        agency_ids=[agency.pk],
        item_kind="supervision_report",
        item_key=f"supervision_report:{request.pk}",
        kind="handoff_supervision_report",
        url=reverse("supervision:detail", args=[programme.pk]),
        due_date=due_date,
        exclude_user_ids=_actor_ids(actor),
        title=lambda: (
            _("%(body)s asks for your report on “%(subject)s” by %(due)s")
            % {"body": body, "subject": subject, "due": due}
        ),
    )
    return request


@transaction.atomic
def report_receive(*, actor, request, received_on, received_document=""):
    """Record the day the supervised body's report came in (late when after the due date)."""
    request = (
        ReportRequest.objects.select_for_update()
        .select_related("programme__unit", "programme__supervising_agency", "agency")
        .get(pk=request.pk)
    )
    ensure(permissions.can_edit_programme(actor, request.programme))
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The report cannot be received in the future.")})
    if received_on < request.requested_on:
        raise ValidationError({"received_on": _("The report cannot be received before it was requested.")})
    request.received_on = received_on
    request.received_document = clean_text(received_document)
    request.full_clean()
    request.save(update_fields=["received_on", "received_document"])
    audit_record(
        actor=actor,
        obj=request.programme,
        action="report_receive",
        summary=(
            _("Report of %(agency)s received late on %(day)s")
            if request.is_late
            else _("Report of %(agency)s received on %(day)s")
        )
        % {"agency": request.agency.name, "day": _date(received_on)},
    )
    return request


@transaction.atomic
def visit_record(*, actor, programme, title, starts_at, place="", agencies=()):
    """Record a supervision visit: a meeting of kind "supervision" hosted by the supervising body, linked here."""
    programme = (
        SupervisionProgramme.objects.select_for_update()
        .select_related("unit", "supervising_agency")
        .get(pk=programme.pk)
    )
    ensure(permissions.can_edit_programme(actor, programme))
    meeting = meeting_create(
        actor=actor,
        title=title,
        kind=MeetingKind.SUPERVISION,
        unit=programme.unit,
        host_agency=programme.supervising_agency,
        starts_at=starts_at,
        place=place,
        participating_agencies=[agency for agency in agencies if agency.unit_id == programme.unit_id],
    )
    programme.visits.add(meeting)
    audit_record(
        actor=actor,
        obj=programme,
        action="visit_record",
        summary=_("Visit recorded: %(title)s") % {"title": meeting.title},
    )
    return meeting


@transaction.atomic
def recommendation_create(*, actor, programme, text, responsible_agency, due_date):
    """A post-supervision recommendation, tracked until done; the responsible body is notified now."""
    programme = (
        SupervisionProgramme.objects.select_for_update()
        .select_related("unit", "supervising_agency")
        .get(pk=programme.pk)
    )
    ensure(permissions.can_edit_programme(actor, programme))
    _agencies_of_unit(programme.unit, [responsible_agency], "responsible_agency")
    recommendation = Recommendation(
        programme=programme, text=clean_text(text), responsible_agency=responsible_agency, due_date=due_date
    )
    recommendation.full_clean()
    recommendation.save()
    audit_record(
        actor=actor,
        obj=programme,
        action="recommendation_add",
        summary=_("Recommendation to %(agency)s, due %(due)s")
        % {"agency": responsible_agency.name, "due": _date(due_date)},
    )
    subject, due = programme.subject, _date(due_date)
    handoff_notify(
        agency_ids=[responsible_agency.pk],
        item_kind="supervision_recommendation",
        item_key=f"supervision_recommendation:{recommendation.pk}",
        kind="handoff_recommendation",
        url=reverse("supervision:detail", args=[programme.pk]),
        due_date=due_date,
        exclude_user_ids=_actor_ids(actor),
        title=lambda: (
            _("Recommendation after the supervision “%(subject)s”: carry it out by %(due)s")
            % {"subject": subject, "due": due}
        ),
    )
    return recommendation


@transaction.atomic
def recommendation_complete(*, actor, recommendation, done_on, result=""):
    """Mark a recommendation done on `done_on` (late when after its due date)."""
    recommendation = (
        Recommendation.objects.select_for_update()
        .select_related("programme__unit", "programme__supervising_agency", "responsible_agency")
        .get(pk=recommendation.pk)
    )
    ensure(permissions.can_complete_recommendation(actor, recommendation))
    if recommendation.status == RecommendationStatus.DONE:
        raise ValidationError(_("This recommendation is already done."))
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The day it was done cannot be in the future.")})
    recommendation.status = RecommendationStatus.DONE
    recommendation.done_on = done_on
    recommendation.result = clean_text(result)
    recommendation.full_clean()
    recommendation.save(update_fields=["status", "done_on", "result"])
    audit_record(
        actor=actor,
        obj=recommendation.programme,
        action="recommendation_done",
        summary=_("Recommendation done by %(agency)s on %(day)s")
        % {"agency": recommendation.responsible_agency.name, "day": _date(done_on)},
    )
    return recommendation


CRITICISM_FIELDS = ("subject", "held_on", "document_number", "conclusion")


@transaction.atomic
def criticism_create(*, actor, agency, is_demo=False, **fields):
    """Record a social criticism of the Fatherland Front body `agency`."""
    ensure(permissions.can_record_criticism(actor, agency) and can_see_unit(actor, agency.unit_id))
    unknown = set(fields) - set(CRITICISM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    criticism = SocialCriticism(
        unit=agency.unit,
        agency=agency,
        is_demo=is_demo,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{name: clean_text(value) if isinstance(value, str) else value for name, value in fields.items()},
    )
    criticism.full_clean()
    criticism.save()
    audit_record(
        actor=actor,
        obj=criticism,
        action="create",
        summary=_("Social criticism recorded: %(subject)s") % {"subject": criticism.subject},
    )
    return criticism


@transaction.atomic
def criticism_update(*, actor, criticism, **fields):
    criticism = SocialCriticism.objects.select_for_update().select_related("unit", "agency").get(pk=criticism.pk)
    ensure(permissions.can_record_criticism(actor, criticism.agency))
    unknown = set(fields) - set(CRITICISM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    names = list(fields)
    before = snapshot(criticism, names)
    for name, value in fields.items():
        setattr(criticism, name, clean_text(value) if isinstance(value, str) else value)
    criticism.full_clean()
    criticism.save(update_fields=names)
    audit_record(
        actor=actor,
        obj=criticism,
        action="update",
        changes=diff(before, snapshot(criticism, names)),
        summary=_("Social criticism updated: %(subject)s") % {"subject": criticism.subject},
    )
    return criticism
