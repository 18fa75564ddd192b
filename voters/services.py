"""Every write to voter petitions: one transaction each, with its audit entry."""

import hashlib
import os
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coordination.audit import audit_record
from coordination.deadlines import deadline_for
from coordination.locking import ConflictError, versioned_update
from coordination.permissions import agency_of
from coordination.text import clean_text

from . import handoffs, permissions
from .batch import petitions_create_many
from .models import (
    NOT_YET_FORWARDED,
    Answer,
    AnswerAttachment,
    Evaluation,
    EvaluationResult,
    Forwarding,
    Petition,
    PetitionImport,
    Status,
    meeting_day,
)
from .receipts import receipt_code_generate, receipt_code_hash
from .rules import DEADLINE_RULE, public_search_text_for, search_text_for
from .suggestions import suggestion_agency_chosen, suggestion_split
from .uploads import attachment_check

# After an unsatisfactory evaluation; without it (an installation that deleted the row) the answer rule applies.
REANSWER_DEADLINE_RULE = "petition-reanswer"
PERSONAL_FIELDS = ("voter_name", "voter_address", "voter_phone")


class PetitionConflict(ConflictError):
    """Someone else changed the petition since the form was loaded (the core's conflict, worded for petitions)."""

    message = gettext_lazy(
        "Someone else changed this petition while you were working on it. Your text is kept below: "
        "check the current state of the petition, then submit again."
    )


def _ensure(condition):
    if not condition:
        raise PermissionDenied


def _write(petition, version, fields):
    """Validate and write `fields` only if nobody changed the row since `version` was read."""
    petition.full_clean()
    versioned_update(petition, expected_version=version, fields=fields, conflict=PetitionConflict)


def _lock(petition, version):
    """Row lock and freshness check; `version` None means 'the version the caller loaded'."""
    expected = petition.version if version is None else int(version)
    current = Petition.objects.select_for_update().filter(pk=petition.pk).values_list("version", flat=True).first()
    if current is None or current != expected:
        raise PetitionConflict
    return expected


def _due_date(*, petition, anchor_date, rules=(DEADLINE_RULE,)):
    due = None
    for rule in rules:
        due = deadline_for(rule, anchor_date=anchor_date, unit=petition.unit)
        if due is not None:
            break
    if due is None:
        raise ValidationError({"due_date": _("No deadline rule applies; enter the due date by hand.")})
    return due


# --- intake ---------------------------------------------------------------------------------------


@transaction.atomic
def petition_create(
    *,
    actor,
    received_on,
    content,
    originating_agency=None,
    source="meeting",
    meeting=None,
    commune=None,
    locality="",
    voter_name="",
    voter_address="",
    voter_phone="",
    field="other",
    kind="petition",
    competence_level="",
    idempotency_key=None,
    suggestion=None,
):
    """Record a petition as received. The same idempotency key twice returns the first petition.

    The new petition carries its receipt's lookup code in `receipt_code` (not stored: only its hash is); a petition
    found by its idempotency key has none (`receipt_code` is None): reissue the receipt to give a new one.

    `suggestion`: what the suggestion offered when the clerk saved (form's hidden fields), recorded beside it."""
    if idempotency_key is not None:
        existing = Petition.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            existing.receipt_code = None
            return existing
    originating_agency = originating_agency or agency_of(actor)
    if originating_agency is None:
        raise ValidationError({"originating_agency": _("Choose the office that received the petition.")})
    petition = Petition(
        unit=originating_agency.unit,
        originating_agency=originating_agency,
        source=source,
        meeting=meeting,
        # A petition raised at a meeting is received on the day the meeting was held unless told otherwise.
        received_on=received_on or (meeting_day(meeting) if meeting is not None else None),
        commune=commune,
        locality=clean_text(locality),
        voter_name=clean_text(voter_name),
        voter_address=clean_text(voter_address),
        voter_phone=clean_text(voter_phone),
        content=clean_text(content),
        field=field or "other",
        kind=kind or "petition",
        competence_level=competence_level or "",
        idempotency_key=idempotency_key,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    petition.full_clean(exclude=["idempotency_key"])
    try:
        with transaction.atomic():
            petition.save()
    except IntegrityError:
        # A concurrent double submit won the race with the same key: hand back its petition.
        existing = Petition.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        if existing is None:
            raise
        existing.receipt_code = None
        return existing
    petition.search_text = search_text_for(petition)
    # The receipt's lookup code is issued at intake, in the same write: only its HMAC is stored; the code rides on
    # the returned object (`receipt_code`) for the clerk to print once, and is never logged nor audited.
    petition.receipt_code = receipt_code_generate()
    petition.receipt_code_hash = receipt_code_hash(petition.pk, petition.receipt_code)
    petition.save(update_fields=["search_text", "receipt_code_hash"])
    audit_record(
        actor=actor,
        obj=petition,
        action="create",
        changes={
            "source": petition.source,
            "received_on": petition.received_on,
            "field": petition.field,
            "kind": petition.kind,
            "meeting": petition.meeting,
            "personal_data": bool(petition.voter_name or petition.voter_address or petition.voter_phone),
        },
        summary=_("Petition received"),
    )
    if suggestion:
        _suggestion_record(petition, suggestion, originating_agency)
    return petition


def _suggestion_record(petition, suggestion, originating_agency):
    """The suggestion shown for the petition, if it came from the office's own province (never trusted blindly:
    the values come from the browser)."""
    from coordination.models import Agency

    from .suggestions import province_of, suggestion_record

    province = province_of(originating_agency.unit)
    agency = None
    if suggestion.get("suggested_agency"):
        agency = Agency.objects.filter(pk=suggestion["suggested_agency"]).select_related("unit").first()
        if agency is not None and province_of(agency.unit) != province:
            agency = None
    suggestion_record(
        petition=petition,
        version=suggestion["suggestion_version"],
        suggested_field=suggestion.get("suggested_field") or "",
        field_confidence=suggestion.get("suggested_field_confidence"),
        suggested_agency=agency,
        agency_confidence=suggestion.get("suggested_agency_confidence") if agency else None,
    )


def batch_row_key(batch_key, index):
    """The idempotency key of row `index` of a batch, so resubmitting the batch finds every row."""
    return uuid.uuid5(uuid.UUID(str(batch_key)), str(index))


@transaction.atomic
def petition_batch_create(*, actor, rows, received_on, source="meeting", meeting=None, batch_key=None):
    """Record many petitions raised at one meeting or reception; all or nothing.

    `rows` are dicts of petition fields (voter_name, voter_address, locality, content, field, kind...), with what
    the suggestion offered for the row if one was shown (`SUGGESTION_FIELDS`): recorded beside each petition, as
    the single form does."""
    created = []
    for index, row in enumerate(rows):
        row = dict(row)
        suggestion = suggestion_split(row)
        # The row's own key (given by the browser) wins: the offline queue may have sent the same row already.
        key = row.get("client_key") or (batch_row_key(batch_key, index) if batch_key else None)
        created.append(
            petition_create(
                actor=actor,
                received_on=row.get("received_on") or received_on,
                source=source,
                meeting=meeting,
                idempotency_key=key,
                suggestion=suggestion,
                **{name: value for name, value in row.items() if name not in ("received_on", "client_key")},
            )
        )
    return created


@transaction.atomic
def petition_intake_row(*, actor, client_key, **fields):
    """Record one row of the batch intake sent alone (the offline queue), keyed by the browser's `client_key`.

    Returns (petition, created): a key already stored answers with its petition, so a row sent twice (a retry
    after a timeout) is stored once. A key stored by another office is refused, not revealed."""
    _ensure(permissions.can_create(actor))
    agency = agency_of(actor)
    existing = Petition.objects.filter(idempotency_key=client_key).first()
    if existing is not None:
        _ensure(existing.originating_agency_id == agency.pk)
        existing.receipt_code = None
        return existing, False
    suggestion = suggestion_split(fields)
    petition = petition_create(
        actor=actor, originating_agency=agency, idempotency_key=client_key, suggestion=suggestion, **fields
    )
    return petition, True


@transaction.atomic
def petition_classify(*, actor, petition, field, kind, competence_level, version=None):
    _ensure(permissions.can_classify(actor, petition))
    version = _lock(petition, version)
    before = {"field": petition.field, "kind": petition.kind, "competence_level": petition.competence_level}
    petition.field, petition.kind, petition.competence_level = field, kind, competence_level
    petition.status = Status.CLASSIFIED
    _write(petition, version, ["field", "kind", "competence_level", "status"])
    after = {"field": field, "kind": kind, "competence_level": competence_level}
    audit_record(
        actor=actor,
        obj=petition,
        action="classify",
        changes={name: [before[name], after[name]] for name in after if before[name] != after[name]},
        summary=_("Classified"),
    )
    return petition


# --- forwarding -----------------------------------------------------------------------------------


def _forward(
    *,
    actor,
    petition,
    agency,
    supporting_agencies,
    dispatch_number,
    dispatch_date,
    due_date,
    version,
    action,
    batch_key=None,
):
    """Forward one petition; notifies the lead and supporting agencies unless it is part of a bulk
    forward (`batch_key`), which notifies once for all its petitions."""
    version = _lock(petition, version)
    if due_date is not None:
        _ensure(permissions.can_set_due_date(actor, petition))
    if agency.pk == petition.originating_agency_id:
        raise ValidationError({"agency": _("Forward the petition to another agency than the one that received it.")})
    supporting = [item for item in supporting_agencies if item.pk != agency.pk]
    set_by_hand = due_date is not None
    due_date = due_date or _due_date(petition=petition, anchor_date=dispatch_date)
    if due_date < dispatch_date:
        raise ValidationError({"due_date": _("The due date cannot be before the dispatch date.")})
    forwarding = Forwarding(
        petition=petition,
        agency=agency,
        dispatch_number=dispatch_number.strip(),
        dispatch_date=dispatch_date,
        due_date=due_date,
        due_date_set_by_hand=set_by_hand,
        forwarded_by=actor,
        batch_key=batch_key,
    )
    forwarding.full_clean()
    forwarding.save()
    forwarding.supporting_agencies.set(supporting)
    previous_lead = petition.lead_agency
    petition.status = Status.FORWARDED
    petition.lead_agency = agency
    petition.due_date = due_date
    _write(petition, version, ["status", "lead_agency", "due_date"])
    suggestion_agency_chosen(petition=petition, agency=agency)
    audit_record(
        actor=actor,
        obj=petition,
        action=action,
        changes={
            "lead_agency": [previous_lead, agency],
            "supporting_agencies": [str(item) for item in supporting],
            "dispatch_number": forwarding.dispatch_number,
            "dispatch_date": dispatch_date,
            "due_date": due_date,
            "due_date_set_by_hand": set_by_hand,
        },
        summary=_("Forwarded to %(agency)s, due %(due)s") % {"agency": agency, "due": due_date.strftime("%d/%m/%Y")},
    )
    _mirror_group(actor=actor, primary=petition)
    if batch_key is None:
        handoffs.notify_forwarded(actor=actor, petition=petition, forwarding=forwarding, supporting=supporting)
    return forwarding


@transaction.atomic
def petition_forward(
    *,
    actor,
    petition,
    agency,
    dispatch_date,
    supporting_agencies=(),
    dispatch_number="",
    due_date=None,
    version=None,
):
    """Send the petition to a lead agency; the due date comes from the deadline engine unless the
    originating office's leader sets it."""
    _ensure(permissions.can_forward(actor, petition))
    return _forward(
        actor=actor,
        petition=petition,
        agency=agency,
        supporting_agencies=supporting_agencies,
        dispatch_number=dispatch_number,
        dispatch_date=dispatch_date,
        due_date=due_date,
        version=version,
        action="forward",
    )


@transaction.atomic
def petition_reforward(
    *,
    actor,
    petition,
    agency,
    dispatch_date,
    supporting_agencies=(),
    dispatch_number="",
    due_date=None,
    version=None,
):
    """Send a returned petition to the right agency; the due date restarts from the new dispatch."""
    _ensure(permissions.can_reforward(actor, petition))
    return _forward(
        actor=actor,
        petition=petition,
        agency=agency,
        supporting_agencies=supporting_agencies,
        dispatch_number=dispatch_number,
        dispatch_date=dispatch_date,
        due_date=due_date,
        version=version,
        action="reforward",
    )


@transaction.atomic
def petition_bulk_forward(
    *, actor, petitions, agency, dispatch_date, supporting_agencies=(), dispatch_number="", due_date=None
):
    """Forward several petitions (e.g. one meeting's) to the same lead agency under one dispatch; all or none.
    Each person of the lead and supporting agencies gets one notification listing them all."""
    forwardings = []
    batch_key = uuid.uuid4()
    for petition in petitions:
        _ensure(permissions.can_forward(actor, petition))
        forwardings.append(
            _forward(
                actor=actor,
                petition=petition,
                agency=agency,
                supporting_agencies=supporting_agencies,
                dispatch_number=dispatch_number,
                dispatch_date=dispatch_date,
                due_date=due_date,
                version=None,
                action="forward",
                batch_key=batch_key,
            )
        )
    handoffs.notify_bulk_forwarded(
        actor=actor,
        batch_key=batch_key,
        forwardings=forwardings,
        supporting=[item for item in supporting_agencies if item.pk != agency.pk],
    )
    return forwardings


def _current_forwarding(petition):
    forwarding = petition.forwardings.filter(returned_at__isnull=True).order_by("-created_at", "-id").first()
    if forwarding is None:
        raise ValidationError(_("The petition has not been forwarded."))
    return forwarding


@transaction.atomic
def petition_acknowledge(*, actor, petition):
    """The lead agency confirms it received the forwarded petition."""
    _ensure(permissions.can_acknowledge(actor, petition))
    _lock(petition, None)
    forwarding = _current_forwarding(petition)
    forwarding.acknowledged_at = timezone.now()
    forwarding.acknowledged_by = actor
    forwarding.save(update_fields=["acknowledged_at", "acknowledged_by"])
    # The petition's own row is unchanged, but what it shows is not: an incremental sync (read API
    # `updated_since`) must see the acknowledgement.
    petition.updated_at = forwarding.acknowledged_at
    Petition.objects.filter(pk=petition.pk).update(updated_at=petition.updated_at)
    audit_record(
        actor=actor,
        obj=petition,
        action="acknowledge",
        changes={"agency": forwarding.agency},
        summary=_("Receipt acknowledged by %(agency)s") % {"agency": forwarding.agency},
    )
    return forwarding


@transaction.atomic
def petition_return(*, actor, petition, reason, version=None):
    """The lead agency sends the petition back: it is not within its authority."""
    _ensure(permissions.can_return(actor, petition))
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for returning the petition.")})
    version = _lock(petition, version)
    forwarding = _current_forwarding(petition)
    forwarding.returned_at = timezone.now()
    forwarding.returned_by = actor
    forwarding.return_reason = reason
    forwarding.full_clean()
    forwarding.save(update_fields=["returned_at", "returned_by", "return_reason"])
    previous = {"lead_agency": petition.lead_agency, "due_date": petition.due_date}
    petition.status = Status.RETURNED
    petition.lead_agency = None
    petition.due_date = None
    _write(petition, version, ["status", "lead_agency", "due_date"])
    audit_record(
        actor=actor,
        obj=petition,
        action="return",
        changes={
            "lead_agency": [previous["lead_agency"], None],
            "due_date": [previous["due_date"], None],
            "reason": reason,
        },
        summary=_("Returned as not within the authority of %(agency)s") % {"agency": forwarding.agency},
    )
    _mirror_group(actor=actor, primary=petition)
    handoffs.notify_returned(actor=actor, petition=petition, forwarding=forwarding)
    return forwarding


# --- answers and evaluation -----------------------------------------------------------------------


@transaction.atomic
def petition_answer(
    *,
    actor,
    petition,
    version,
    text,
    document_date,
    outcome,
    document_number="",
    plan="",
    target_date=None,
    attachments=(),
):
    """The lead agency answers (or answers again after an unsatisfactory judgement). A stale `version`
    (someone answered meanwhile) raises PetitionConflict. The office that forwarded it is notified."""
    _ensure(permissions.can_answer(actor, petition))
    version = _lock(petition, version)
    checked = [(upload, attachment_check(upload)) for upload in attachments]
    forwarding = _current_forwarding(petition)
    answer = Answer(
        petition=petition,
        forwarding=forwarding,
        agency=forwarding.agency,
        text=clean_text(text),
        document_number=clean_text(document_number),
        document_date=document_date,
        outcome=outcome,
        plan=clean_text(plan) if outcome == "in_progress_with_plan" else "",
        target_date=target_date if outcome == "in_progress_with_plan" else None,
        due_date=petition.due_date,
        is_reanswer=petition.status == Status.REANSWER,
        answered_by=actor,
    )
    answer.full_clean()
    answer.save()
    for upload, content_type in checked:
        attachment = AnswerAttachment(
            answer=answer, original_name=upload.name[:255], content_type=content_type, size=upload.size
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
    petition.status = Status.ANSWERED
    petition.answered_on = document_date
    petition.outcome = outcome
    fields = ["status", "answered_on", "outcome"]
    publish_now = petition.answer_published_at is None and petition.unit.publish_answers_by_default
    if publish_now:
        # The unit's default (set by its office): the answer goes on the citizens' pages as it is recorded.
        petition.answer_published_at, petition.answer_published_by = timezone.now(), actor
        fields += ["answer_published_at", "answer_published_by"]
    if publish_now or petition.answer_published_at is not None:
        petition.public_search_text = public_search_text_for(petition, answer.text)
        fields.append("public_search_text")
    _write(petition, version, fields)
    on_time = petition.due_date is None or document_date <= petition.due_date
    audit_record(
        actor=actor,
        obj=petition,
        action="answer",
        changes={
            "document_number": answer.document_number,
            "document_date": document_date,
            "outcome": outcome,
            "on_time": on_time,
            "due_date": answer.due_date,
            "reanswer": answer.is_reanswer,
            "attachments": [upload.name for upload, _type in checked],
        },
        summary=(_("Answered again by %(agency)s") if answer.is_reanswer else _("Answered by %(agency)s"))
        % {"agency": forwarding.agency},
    )
    if publish_now:
        audit_record(
            actor=actor,
            obj=petition,
            action="publish_answer",
            changes={"default_of_unit": True},
            summary=_("Answer published on the public pages (the unit's default)"),
        )
    _mirror_group(actor=actor, primary=petition)
    handoffs.notify_answered(actor=actor, petition=petition, answer=answer, forwarding=forwarding)
    return answer


@transaction.atomic
def petition_evaluate(*, actor, petition, result, comment="", version=None):
    """HĐND or MTTQ judges the answer: satisfactory closes it; unsatisfactory asks the lead agency to
    answer again ("re-answer requested") by a due date from the re-answer deadline rule, counted from
    today, and flags it for supervision. The answering agency is notified either way."""
    _ensure(permissions.can_evaluate(actor, petition))
    version = _lock(petition, version)
    if result == EvaluationResult.UNSATISFACTORY and not comment.strip():
        raise ValidationError({"comment": _("Say why the answer is unsatisfactory.")})
    answer = petition.answers.order_by("-created_at", "-id").first()
    today = timezone.localdate()
    reanswer_due = None
    if result == EvaluationResult.UNSATISFACTORY:
        reanswer_due = _due_date(petition=petition, anchor_date=today, rules=(REANSWER_DEADLINE_RULE, DEADLINE_RULE))
    evaluation = Evaluation(
        petition=petition,
        answer=answer,
        agency=agency_of(actor),
        result=result,
        comment=clean_text(comment),
        reanswer_due_date=reanswer_due,
        evaluated_by=actor,
    )
    evaluation.full_clean()
    evaluation.save()
    if result == EvaluationResult.SATISFACTORY:
        petition.status = Status.CLOSED
        _write(petition, version, ["status"])
        action, summary = "close", _("Answer judged satisfactory; closed")
        changes = {"result": result}
    else:
        previous_due = petition.due_date
        petition.status = Status.REANSWER
        petition.flagged_for_supervision = True
        petition.due_date = reanswer_due
        petition.answered_on = None
        petition.outcome = ""
        _write(petition, version, ["status", "flagged_for_supervision", "due_date", "answered_on", "outcome"])
        action = "reanswer"
        summary = _("Answer judged unsatisfactory; re-answer requested by %(due)s") % {
            "due": reanswer_due.strftime("%d/%m/%Y")
        }
        changes = {"result": result, "comment": evaluation.comment, "due_date": [previous_due, reanswer_due]}
    audit_record(actor=actor, obj=petition, action=action, changes=changes, summary=summary)
    _mirror_group(actor=actor, primary=petition)
    handoffs.notify_evaluated(actor=actor, petition=petition, evaluation=evaluation)
    return evaluation


@transaction.atomic
def petition_close(*, actor, petition, version=None):
    """The originating office closes an answered petition without a formal evaluation."""
    _ensure(permissions.can_close(actor, petition))
    version = _lock(petition, version)
    petition.status = Status.CLOSED
    _write(petition, version, ["status"])
    audit_record(actor=actor, obj=petition, action="close", changes={"status": [Status.ANSWERED, Status.CLOSED]})
    _mirror_group(actor=actor, primary=petition)
    return petition


# --- publication and receipts ---------------------------------------------------------------------


@transaction.atomic
def petition_answer_publish(*, actor, petition, version=None):
    """Put the petition's answer on the citizens' pages (/public/), redacted. The office decides
    (`permissions.can_publish`); publishing twice changes nothing."""
    _ensure(permissions.can_publish(actor, petition))
    version = _lock(petition, version)
    if petition.answer_published_at is not None:
        return petition
    answer = petition.answers.order_by("-created_at", "-id").first()
    petition.answer_published_at = timezone.now()
    petition.answer_published_by = actor
    petition.public_search_text = public_search_text_for(petition, answer.text if answer else "")
    _write(petition, version, ["answer_published_at", "answer_published_by", "public_search_text"])
    audit_record(
        actor=actor,
        obj=petition,
        action="publish_answer",
        changes={"answer_published_at": petition.answer_published_at},
        summary=_("Answer published on the public pages"),
    )
    return petition


@transaction.atomic
def petition_answer_unpublish(*, actor, petition, version=None):
    """Take the answer off the citizens' pages (e.g. something personal slipped through the redaction)."""
    _ensure(permissions.can_publish(actor, petition))
    version = _lock(petition, version)
    if petition.answer_published_at is None:
        return petition
    published_at = petition.answer_published_at
    petition.answer_published_at = None
    petition.answer_published_by = None
    petition.public_search_text = ""
    _write(petition, version, ["answer_published_at", "answer_published_by", "public_search_text"])
    audit_record(
        actor=actor,
        obj=petition,
        action="unpublish_answer",
        changes={"answer_published_at": [published_at, None]},
        summary=_("Answer withdrawn from the public pages"),
    )
    return petition


@transaction.atomic
def petition_receipt_issue(*, actor, petition):
    """Issue the receipt's secret lookup code: a fresh code replaces any earlier one (only its HMAC is kept).
    Returns the code, to be printed on the receipt once; it cannot be read back later."""
    _ensure(permissions.can_issue_receipt(actor, petition))
    _lock(petition, None)
    code = receipt_code_generate()
    reissued = bool(petition.receipt_code_hash)
    petition.receipt_code_hash = receipt_code_hash(petition.pk, code)
    # No version bump: a receipt changes nothing a colleague's open form holds.
    Petition.objects.filter(pk=petition.pk).update(receipt_code_hash=petition.receipt_code_hash)
    audit_record(
        actor=actor,
        obj=petition,
        action="receipt_issue",
        changes={"reissued": reissued},
        summary=_("Receipt issued with a new lookup code") if reissued else _("Receipt issued"),
    )
    return code


# --- duplicates -----------------------------------------------------------------------------------

GROUP_FIELDS = ("status", "lead_agency", "due_date", "answered_on", "outcome", "flagged_for_supervision")


def _mirror_group(*, actor, primary):
    """The group follows its primary: one forwarding, one answer, one judgement for all."""
    members = list(Petition.objects.select_for_update().filter(primary=primary))
    for member in members:
        before = {name: getattr(member, name) for name in GROUP_FIELDS}
        for name in GROUP_FIELDS:
            setattr(member, name, getattr(primary, name))
        after = {name: getattr(member, name) for name in GROUP_FIELDS}
        if before == after:
            continue
        _write(member, member.version, list(GROUP_FIELDS))
        audit_record(
            actor=actor,
            obj=member,
            action="group_update",
            changes={name: [before[name], after[name]] for name in GROUP_FIELDS if before[name] != after[name]},
            summary=_("Follows %(primary)s, the primary petition of its group") % {"primary": primary.reference},
        )


@dataclass
class GroupResult:
    primary: Petition
    members: list = field(default_factory=list)


@transaction.atomic
def petition_group_duplicates(*, actor, primary, members):
    """Group near-identical petitions under `primary`; the primary's answer answers them all."""
    _ensure(permissions.can_group(actor, primary))
    if primary.primary_id is not None:
        raise ValidationError(_("Choose a primary petition that is not itself grouped under another."))
    result = GroupResult(primary=primary)
    for member in members:
        if member.pk == primary.pk:
            continue
        if member.unit_id != primary.unit_id:
            raise ValidationError(_("Only petitions of the same unit can be grouped."))
        _ensure(permissions.can_group(actor, member))
        # A member that headed its own group brings its duplicates along.
        for follower in Petition.objects.select_for_update().filter(primary=member):
            follower.primary = primary
            _write(follower, follower.version, ["primary"])
            audit_record(
                actor=actor, obj=follower, action="merge", changes={"primary": [member.reference, primary.reference]}
            )
        member.primary = primary
        _write(member, member.version, ["primary"])
        audit_record(
            actor=actor,
            obj=member,
            action="merge",
            changes={"primary": primary.reference},
            summary=_("Grouped under %(primary)s") % {"primary": primary.reference},
        )
        result.members.append(member)
    if result.members:
        audit_record(
            actor=actor,
            obj=primary,
            action="group",
            changes={"duplicates": [item.reference for item in result.members]},
            summary=_("%(count)s duplicate petition(s) grouped under this one") % {"count": len(result.members)},
        )
        _mirror_group(actor=actor, primary=primary)
    return result


@transaction.atomic
def petition_ungroup(*, actor, petition):
    """Take a petition out of its group; it keeps the state it had reached with the group."""
    _ensure(petition.primary_id is not None and permissions.can_group(actor, petition))
    primary_reference = petition.primary.reference
    petition.primary = None
    _write(petition, petition.version, ["primary"])
    audit_record(actor=actor, obj=petition, action="ungroup", changes={"primary": [primary_reference, None]})
    return petition


# --- import ---------------------------------------------------------------------------------------


def _sha256_of(upload):
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1 << 16), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _already_imported(earlier):
    """The report refusing a file the office has imported before: when and by whom."""
    from coordination.spreadsheets import ImportReport

    report = ImportReport()
    report.error(
        None,
        "",
        _("This file was already imported at %(when)s by %(who)s; it is not imported again.")
        % {
            "when": timezone.localtime(earlier.imported_at).strftime("%H:%M %d/%m/%Y"),
            "who": earlier.imported_by.display_name if earlier.imported_by_id else _("the system (command line)"),
        },
    )
    return report


def _earlier_import(agency, digest):
    return PetitionImport.objects.select_related("imported_by").filter(agency=agency, sha256=digest).first()


@transaction.atomic
def petition_import_xlsx(*, actor, upload, originating_agency=None):
    """Import an .xlsx file of petitions: every row is checked first; one bad row imports nothing.
    The same file (same bytes) imported again by the same office is refused.

    Returns an `ImportReport`; its `created` is empty whenever it has errors."""
    from .importing import import_parse

    originating_agency = originating_agency or agency_of(actor)
    if originating_agency is None:
        raise ValidationError(_("Choose the office that received the petitions."))
    digest = _sha256_of(upload)
    earlier = _earlier_import(originating_agency, digest)
    if earlier is not None:
        return _already_imported(earlier)
    report = import_parse(upload, unit=originating_agency.unit)
    if report.errors:
        return report
    record = PetitionImport(
        agency=originating_agency,
        sha256=digest,
        file_name=os.path.basename(getattr(upload, "name", "") or "")[:255],
        row_count=len(report.rows),
        imported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record.full_clean(validate_constraints=False)  # the unique constraint is the database's to enforce, see below
    try:
        # Recorded before the rows so that a concurrent import of the same file waits here on the unique
        # index and then fails, instead of both writing every row.
        with transaction.atomic():
            record.save()
    except IntegrityError:
        earlier = _earlier_import(originating_agency, digest)
        if earlier is None:
            raise
        return _already_imported(earlier)
    # The rows as `petition_create` (+ `_forward`) would write them one by one, in a few bulk INSERTs.
    report.created = petitions_create_many(actor=actor, originating_agency=originating_agency, rows=report.rows)
    audit_record(
        actor=actor,
        obj=record,
        action="import",
        changes={"file_name": record.file_name, "sha256": digest, "row_count": record.row_count},
        summary=_("%(count)s petitions imported from %(file)s") % {"count": record.row_count, "file": record.file_name},
    )
    return report


__all__ = [
    "NOT_YET_FORWARDED",
    "PERSONAL_FIELDS",
    "PetitionConflict",
    "petition_acknowledge",
    "petition_answer",
    "petition_answer_publish",
    "petition_answer_unpublish",
    "petition_batch_create",
    "petition_bulk_forward",
    "petition_classify",
    "petition_close",
    "petition_create",
    "petition_evaluate",
    "petition_forward",
    "petition_group_duplicates",
    "petition_import_xlsx",
    "petition_intake_row",
    "petition_receipt_issue",
    "petition_reforward",
    "petition_return",
    "petition_ungroup",
]
