"""Every write to meetings: one transaction, validated, with its audit entry.

Each service checks that `actor` may act (`meetings.permissions`) and raises PermissionDenied otherwise,
whoever calls it (a view, a Celery task, a command). No meeting write is a system operation: a command or
the demo acts as a named user (the meeting's creator, a site administrator)."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from charters.models import TaskOrigin
from charters.services import task_create
from coordination.audit import audit_record, diff, snapshot
from coordination.deadlines import deadline_for
from coordination.locking import ConflictError, versioned_update
from coordination.models import AdministrativeUnit
from coordination.permissions import can_see_unit, ensure

from . import permissions
from .models import (
    SESSION_DOCUMENTS_RULE_CODE,
    AgendaItem,
    Attendance,
    CalendarFeedToken,
    Conclusion,
    Meeting,
    MeetingKind,
    SessionDocument,
)


class MeetingConflict(ConflictError):
    """Someone else saved the meeting since the form was opened (the core's conflict; the views word it)."""


MEETING_FIELDS = (
    "title",
    "kind",
    "subkind",
    "unit",
    "host_agency",
    "charter",
    "article",
    "area",
    "starts_at",
    "ends_at",
    "place",
    "chair",
    "session",
    "constituency_unit",
    "constituency",
)


def _agenda_replace(meeting, items):
    meeting.agenda_items.all().delete()
    rows = []
    for position, item in enumerate(items, start=1):
        row = AgendaItem(meeting=meeting, order=position, title=item["title"], presenter=item.get("presenter", ""))
        row.full_clean()
        rows.append(row)
    AgendaItem.objects.bulk_create(rows)
    return rows


def _attendance_replace(meeting, rows_in):
    meeting.attendance.all().delete()
    rows = []
    for position, item in enumerate(rows_in, start=1):
        row = Attendance(
            meeting=meeting,
            order=position,
            person_name=item["person_name"],
            position=item.get("position", ""),
            agency=item.get("agency"),
            status=item.get("status") or "present",
            delegate_name=item.get("delegate_name", ""),
        )
        row.full_clean()
        rows.append(row)
    Attendance.objects.bulk_create(rows)
    return rows


def participant_unit_ids(unit):
    """The units whose agencies may take part in a meeting of `unit`: the unit itself, its parent and its children
    (a province's briefing or hearing with its communes, a commune's with the province)."""
    ids = {unit.pk, *AdministrativeUnit.objects.filter(parent_id=unit.pk).values_list("pk", flat=True)}
    if unit.parent_id:
        ids.add(unit.parent_id)
    return ids


def _check_participants(unit, agencies):
    allowed = participant_unit_ids(unit)
    outside = [agency for agency in agencies if agency.unit_id not in allowed]
    if outside:
        raise ValidationError(
            {
                "participating_agencies": _(
                    "%(agency)s is not of the meeting's unit, of its parent unit or of one of its units below."
                )
                % {"agency": outside[0]}
            }
        )


@transaction.atomic
def meeting_create(
    *,
    actor,
    title,
    kind,
    unit,
    host_agency,
    starts_at,
    participating_agencies=(),
    idempotency_token=None,
    agenda=(),
    attendance=(),
    **fields,
):
    """Create a meeting. A second submission with the same idempotency token returns the first meeting."""
    ensure(permissions.can_create_meeting(actor) and can_see_unit(actor, unit.pk))
    if idempotency_token is not None:
        existing = Meeting.objects.filter(idempotency_token=idempotency_token).first()
        if existing is not None:
            return existing
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    meeting = Meeting(
        title=title,
        kind=kind,
        unit=unit,
        host_agency=host_agency,
        starts_at=starts_at,
        idempotency_token=idempotency_token,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fields,
    )
    meeting.full_clean()
    try:
        # A savepoint so that a concurrent double submit losing the unique race is answered calmly.
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        existing = Meeting.objects.filter(idempotency_token=idempotency_token).first() if idempotency_token else None
        if existing is None:
            raise
        return existing
    _check_participants(unit, participating_agencies)
    meeting.participating_agencies.set(participating_agencies)
    _agenda_replace(meeting, agenda)
    _attendance_replace(meeting, attendance)
    audit_record(
        actor=actor,
        obj=meeting,
        action="create",
        summary=_("Meeting created: %(title)s") % {"title": meeting.title},
        changes=snapshot(meeting, MEETING_FIELDS),
    )
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting, version, participating_agencies=None, agenda=None, attendance=None, **fields):
    """Change a meeting if nobody else saved it since `version`; otherwise raise MeetingConflict."""
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    current = Meeting.objects.select_for_update().get(pk=meeting.pk)
    # Checked on the stored meeting: a bound ModelForm may already have changed `meeting`'s host agency.
    ensure(permissions.can_edit_meeting(actor, current))
    versioned_update(current, expected_version=version, conflict=MeetingConflict)
    before = snapshot(current, fields)
    before_agencies = sorted(current.participating_agencies.values_list("pk", flat=True))
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    current.save(update_fields=[*fields, "updated_at"])
    changes = diff(before, snapshot(current, fields))
    if "starts_at" in changes and current.kind == MeetingKind.COUNCIL_SESSION:
        moved = _session_document_due_dates_refresh(current)
        if moved:
            changes["documents_due_date"] = moved
    if participating_agencies is not None:
        _check_participants(current.unit, participating_agencies)
        current.participating_agencies.set(participating_agencies)
        after_agencies = sorted(agency.pk for agency in participating_agencies)
        if after_agencies != before_agencies:
            changes["participating_agencies"] = [before_agencies, after_agencies]
    if agenda is not None:
        _agenda_replace(current, agenda)
        changes["agenda"] = [item["title"] for item in agenda]
    if attendance is not None:
        _attendance_replace(current, attendance)
        changes["attendance"] = len(attendance)
    audit_record(actor=actor, obj=current, action="update", summary=_("Meeting updated"), changes=changes)
    meeting.version = current.version
    return current


@transaction.atomic
def agenda_item_add(*, actor, meeting, title, presenter=""):
    ensure(permissions.can_edit_meeting(actor, meeting))
    last = meeting.agenda_items.order_by("-order").values_list("order", flat=True).first() or 0
    item = AgendaItem(meeting=meeting, order=last + 1, title=title, presenter=presenter)
    item.full_clean()
    item.save()
    audit_record(
        actor=actor, obj=meeting, action="agenda_item_add", summary=_("Agenda item added: %(title)s") % {"title": title}
    )
    return item


@transaction.atomic
def agenda_set(*, actor, meeting, items):
    ensure(permissions.can_edit_meeting(actor, meeting))
    rows = _agenda_replace(meeting, items)
    audit_record(
        actor=actor,
        obj=meeting,
        action="agenda_set",
        summary=_("Agenda updated"),
        changes={"agenda": [row.title for row in rows]},
    )
    return rows


@transaction.atomic
def attendance_set(*, actor, meeting, rows):
    """Replace the attendance list (as the secretary rewrites it from the sign-in sheet)."""
    ensure(permissions.can_edit_meeting(actor, meeting))
    created = _attendance_replace(meeting, rows)
    audit_record(
        actor=actor,
        obj=meeting,
        action="attendance_set",
        summary=_("Attendance recorded: %(count)s people") % {"count": len(created)},
        changes={"attendance": [f"{row.person_name}: {row.status}" for row in created]},
    )
    return created


MINUTES_SIGNATURES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def minutes_file_validate(upload):
    """The file must be a real PDF or DOCX (checked by content, not by name) within the size limit."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The file is too large (limit %(limit)s MB).") % {"limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
    raise ValidationError(_("Upload the signed minutes as a PDF or Word (.docx) file."))


@transaction.atomic
def meeting_record_minutes(*, actor, meeting, text, file=None, recorded_at=None, version=None, conclusions=()):
    """Record the minutes text and (optionally) the signed file; marks the minutes as recorded.

    `conclusions` are the new conclusions written with the minutes (dicts of `conclusion_add`'s arguments),
    added in the same transaction. With `version`, refuses (MeetingConflict) when someone saved the
    meeting since the form was opened."""
    ensure(permissions.can_edit_meeting(actor, meeting))
    if not text.strip() and not file and not meeting.minutes_file:
        raise ValidationError({"minutes_text": _("Write the minutes or upload the signed file.")})
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    # Without `version` (a command, the demo) the row lock alone orders the writes.
    versioned_update(
        meeting, expected_version=meeting.version if version is None else version, conflict=MeetingConflict
    )
    first_time = meeting.minutes_recorded_at is None
    update_fields = ["minutes_text", "minutes_recorded_at", "updated_at"]
    meeting.minutes_text = text
    if file is not None:
        extension = minutes_file_validate(file)
        original = get_valid_filename(file.name.rsplit("/", 1)[-1]) or f"bien-ban.{extension}"
        if not original.lower().endswith(f".{extension}"):
            original = f"{original.rsplit('.', 1)[0]}.{extension}"
        old = meeting.minutes_file.name if meeting.minutes_file else None
        meeting.minutes_file.save(f"minutes.{extension}", file, save=False)
        meeting.minutes_file_name = original[:255]
        update_fields += ["minutes_file", "minutes_file_name"]
        if old:
            storage = meeting.minutes_file.storage
            transaction.on_commit(lambda: storage.delete(old))
    meeting.minutes_recorded_at = recorded_at or meeting.minutes_recorded_at or timezone.now()
    meeting.save(update_fields=update_fields)
    audit_record(
        actor=actor,
        obj=meeting,
        action="minutes_record" if first_time else "minutes_update",
        summary=_("Minutes recorded") if first_time else _("Minutes updated"),
        changes={"minutes_file": meeting.minutes_file_name} if file is not None else {},
    )
    for row in conclusions:
        conclusion_add(
            actor=actor,
            meeting=meeting,
            text=row["text"],
            responsible_agency=row.get("responsible_agency"),
            due_date=row.get("due_date"),
            create_task=row.get("create_task", False),
        )
    return meeting


def _task_for_conclusion(*, actor, meeting, conclusion):
    # Task creation belongs to the charters app; meetings only link to the result.
    return task_create(
        actor=actor,
        unit=meeting.unit,
        title=conclusion.text[:500],
        responsible_agency=conclusion.responsible_agency,
        due_date=conclusion.due_date,
        origin=TaskOrigin.CONCLUSION,
        charter=meeting.charter,
        article=meeting.article,
        area=meeting.area,
    )


@transaction.atomic
def conclusion_add(
    *, actor, meeting, text, responsible_agency=None, due_date=None, create_task=False, idempotency_token=None
):
    """Add a conclusion; with `create_task` it becomes a follow-up task of the work programme.

    A second call with the same idempotency token (a double-clicked form) returns the first conclusion."""
    ensure(permissions.can_edit_meeting(actor, meeting))
    if idempotency_token is not None:
        existing = Conclusion.objects.filter(idempotency_token=idempotency_token).first()
        if existing is not None:
            return existing
    if create_task and (responsible_agency is None or due_date is None):
        raise ValidationError(_("A follow-up task needs a responsible agency and a due date."))
    last = meeting.conclusions.order_by("-order").values_list("order", flat=True).first() or 0
    conclusion = Conclusion(
        meeting=meeting,
        order=last + 1,
        text=text,
        responsible_agency=responsible_agency,
        due_date=due_date,
        idempotency_token=idempotency_token,
    )
    conclusion.full_clean()
    conclusion.save()
    if create_task:
        conclusion.task = _task_for_conclusion(actor=actor, meeting=meeting, conclusion=conclusion)
        conclusion.save(update_fields=["task"])
    audit_record(
        actor=actor,
        obj=meeting,
        action="conclusion_add",
        summary=_("Conclusion added: %(text)s") % {"text": text[:200]},
        changes={"task": conclusion.task_id} if conclusion.task_id else {},
    )
    return conclusion


@transaction.atomic
def conclusion_task_create(*, actor, conclusion):
    """Turn an existing conclusion into a follow-up task (once)."""
    conclusion = Conclusion.objects.select_for_update().select_related("meeting").get(pk=conclusion.pk)
    ensure(permissions.can_edit_meeting(actor, conclusion.meeting))
    if conclusion.task_id:
        return conclusion
    if conclusion.responsible_agency_id is None or conclusion.due_date is None:
        raise ValidationError(_("A follow-up task needs a responsible agency and a due date."))
    conclusion.task = _task_for_conclusion(actor=actor, meeting=conclusion.meeting, conclusion=conclusion)
    conclusion.save(update_fields=["task"])
    audit_record(
        actor=actor,
        obj=conclusion.meeting,
        action="conclusion_task_create",
        summary=_("Follow-up task created: %(text)s") % {"text": conclusion.text[:200]},
        changes={"task": conclusion.task_id},
    )
    return conclusion


def session_document_due_date(meeting):
    """Due date of a session's documents by the `session-documents` rule, or None without a rule."""
    return deadline_for(SESSION_DOCUMENTS_RULE_CODE, anchor_date=meeting.opening_date, unit=meeting.unit)


def _session_document_due_dates_refresh(meeting):
    """When a session moves, rule-computed due dates move with it; dates set by hand stay."""
    due = session_document_due_date(meeting)
    if due is None:
        return None
    documents = list(meeting.documents.filter(due_date_overridden=False).exclude(due_date=due))
    for document in documents:
        document.due_date = due
    SessionDocument.objects.bulk_update(documents, ["due_date"])
    return due if documents else None


@transaction.atomic
def session_document_add(
    *, actor, meeting, kind, title, responsible_agency, due_date=None, note="", idempotency_token=None
):
    """Add a document the session needs; the due date comes from the rule unless one is given (override).

    A second call with the same idempotency token (a double-clicked form) returns the first document."""
    ensure(permissions.can_edit_meeting(actor, meeting))
    if idempotency_token is not None:
        existing = SessionDocument.objects.filter(idempotency_token=idempotency_token).first()
        if existing is not None:
            return existing
    if meeting.kind != MeetingKind.COUNCIL_SESSION:
        raise ValidationError(_("Documents are due only before council sessions."))
    computed = session_document_due_date(meeting)
    overridden = due_date is not None and due_date != computed
    if overridden:
        ensure(permissions.can_override_due_date(actor, meeting))
    if due_date is None:
        due_date = computed
    if due_date is None:
        raise ValidationError({"due_date": _("No deadline rule applies; enter the due date.")})
    document = SessionDocument(
        meeting=meeting,
        kind=kind,
        title=title,
        responsible_agency=responsible_agency,
        due_date=due_date,
        due_date_overridden=overridden,
        note=note,
        idempotency_token=idempotency_token,
    )
    document.full_clean()
    document.save()
    audit_record(
        actor=actor,
        obj=meeting,
        action="session_document_add",
        summary=_("Document due: %(title)s (%(agency)s, %(due)s)")
        % {"title": title, "agency": responsible_agency, "due": due_date.strftime("%d/%m/%Y")},
        changes={"due_date": due_date, "computed_due_date": computed, "overridden": overridden},
    )
    return document


@transaction.atomic
def session_document_deliver(*, actor, document, delivered_on):
    """Record the day a document reached the council's office; that decides on time or late."""
    document = SessionDocument.objects.select_for_update().select_related("meeting").get(pk=document.pk)
    ensure(permissions.can_record_delivery(actor, document.meeting))
    before = document.delivered_on
    document.delivered_on = delivered_on
    document.full_clean()
    document.save(update_fields=["delivered_on"])
    audit_record(
        actor=actor,
        obj=document.meeting,
        action="session_document_deliver",
        summary=_("Document delivered: %(title)s on %(day)s (%(state)s)")
        % {"title": document.title, "day": delivered_on.strftime("%d/%m/%Y"), "state": document.state.label},
        changes={"delivered_on": [before, delivered_on]},
    )
    return document


def _new_token():
    import secrets

    return secrets.token_urlsafe(32)


@transaction.atomic
def calendar_feed_token_regenerate(*, actor, user):
    """Issue a new secret feed URL for `user`; the old one stops working at once."""
    ensure(permissions.can_manage_calendar_feed(actor, user))
    token, created = CalendarFeedToken.objects.update_or_create(user=user, defaults={"token": _new_token()})
    if not created:
        token.created_at = timezone.now()
        token.save(update_fields=["created_at"])
    audit_record(actor=actor, obj=token, action="calendar_feed_regenerate", summary=_("Calendar feed link issued"))
    return token


@transaction.atomic
def calendar_feed_token_revoke(*, actor, user):
    ensure(permissions.can_manage_calendar_feed(actor, user))
    token = CalendarFeedToken.objects.filter(user=user).first()
    if token is None:
        return
    audit_record(actor=actor, obj=token, action="calendar_feed_revoke", summary=_("Calendar feed link revoked"))
    token.delete()
