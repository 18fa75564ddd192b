"""Recording many petitions at once (the Excel import): the rows, deadlines, search text and audit entries
that `petition_create` (+ `_forward` for a row naming its agency) would write row by row, written with a
few bulk INSERTs per chunk of rows instead of ~30 queries per row.

What the row-by-row path checks per row is checked here once per row without a query:
- the fields (`clean_fields`, `clean`): the foreign keys are the objects loaded once (receiving office,
  its unit, the agencies of the import's look-up, the actor), so their existence checks are not repeated;
- the check constraints (`petition_forwarded_has_lead`, `forwarding_due_after_dispatch`) hold by
  construction and stay enforced by the database;
- the deadline comes from the same engine (`coordination.deadlines`), its rule looked up once per
  dispatch date.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coordination.audit import audit_event, audit_record_many
from coordination.deadlines import deadline_compute, deadline_rule_for
from coordination.text import clean_text

from . import handoffs
from .models import Forwarding, Petition, Status, meeting_day
from .receipts import receipt_code_hash, receipt_codes_generate
from .rules import DEADLINE_RULE, search_text_for

CHUNK = 1000  # rows written per round of bulk INSERTs (petitions, forwardings, audit events)

# Foreign keys: the objects are given (loaded once), so `clean_fields` skips their existence queries.
_PETITION_RELATIONS = [field.name for field in Petition._meta.concrete_fields if field.is_relation]
_FORWARDING_RELATIONS = [field.name for field in Forwarding._meta.concrete_fields if field.is_relation]


def _petition(*, actor, originating_agency, row):
    """The unsaved petition `petition_create` builds from the same arguments."""
    return Petition(
        unit=originating_agency.unit,
        originating_agency=originating_agency,
        source=row.get("source") or "meeting",
        meeting=row.get("meeting"),
        received_on=row.get("received_on") or (meeting_day(row["meeting"]) if row.get("meeting") else None),
        commune=row.get("commune"),
        locality=clean_text(row.get("locality")),
        voter_name=clean_text(row.get("voter_name")),
        voter_address=clean_text(row.get("voter_address")),
        voter_phone=clean_text(row.get("voter_phone")),
        content=clean_text(row["content"]),
        field=row.get("field") or "other",
        kind=row.get("kind") or "petition",
        competence_level=row.get("competence_level") or "",
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _validate(instance, relations):
    """`full_clean` without its queries: field checks and the model's `clean`."""
    errors = {}
    try:
        instance.clean_fields(exclude=relations)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


class _Deadlines:
    """The due date of a forwarding dispatched on a given day, as `services._due_date` computes it:
    the rule in force on that day for the unit, looked up once per day."""

    def __init__(self, unit):
        self.unit = unit
        self.due = {}

    def __call__(self, dispatch_date):
        if dispatch_date not in self.due:
            rule = deadline_rule_for(DEADLINE_RULE, unit=self.unit, on_date=dispatch_date)
            if rule is None:
                raise ValidationError({"due_date": _("No deadline rule applies; enter the due date by hand.")})
            self.due[dispatch_date] = deadline_compute(rule, dispatch_date)
        return self.due[dispatch_date]


def _reserve_ids(count):
    """`count` new petition ids, in increasing order, taken from the table's sequence (PostgreSQL), so that
    the search text (which holds the reference KN-000123) is written with the row; None elsewhere."""
    if connection.vendor != "postgresql" or not count:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Petition._meta.db_table, count],
        )
        return sorted(row[0] for row in cursor.fetchall())


def _forward_summary(agency, due_date):
    return _("Forwarded to %(agency)s, due %(due)s") % {"agency": agency, "due": due_date.strftime("%d/%m/%Y")}


@transaction.atomic
def petitions_create_many(*, actor, originating_agency, rows, chunk=None):
    """Record `rows` (the import's cleaned rows: petition fields, plus `forward_to`, an agency or None) as
    received by `originating_agency`; a row with `forward_to` is forwarded to it, dispatched today (or on
    the date received if later), due when the deadline engine says. All or nothing: the first
    invalid row raises the `ValidationError` the row-by-row path would raise, before anything is written.

    Returns the petitions, in the order of `rows`, with their ids."""
    chunk = chunk or CHUNK
    today = timezone.localdate()
    batch_keys = {}  # the import's forwardings to each agency: one notification (and list link) per agency
    deadlines = _Deadlines(originating_agency.unit)
    planned = []  # (petition, forwarding or None)
    for row in rows:
        petition = _petition(actor=actor, originating_agency=originating_agency, row=row)
        _validate(petition, _PETITION_RELATIONS)
        forwarding = None
        agency = row.get("forward_to")
        if agency is not None:
            if agency.pk == originating_agency.pk:
                raise ValidationError(
                    {"agency": _("Forward the petition to another agency than the one that received it.")}
                )
            dispatch = max(petition.received_on, today)
            due_date = deadlines(dispatch)
            if due_date < dispatch:
                raise ValidationError({"due_date": _("The due date cannot be before the dispatch date.")})
            forwarding = Forwarding(
                petition=petition,
                agency=agency,
                dispatch_number="",
                dispatch_date=dispatch,
                due_date=due_date,
                due_date_set_by_hand=False,
                forwarded_by=actor,
                batch_key=batch_keys.setdefault(agency.pk, uuid.uuid4()),
            )
            _validate(forwarding, _FORWARDING_RELATIONS)
            # The petition's row as `_forward` leaves it: forwarded, one write after its creation.
            petition.status = Status.FORWARDED
            petition.lead_agency = agency
            petition.due_date = due_date
            petition.version = 2
        planned.append((petition, forwarding))

    created = []
    for start in range(0, len(planned), chunk):
        part = planned[start : start + chunk]
        _write_chunk(actor=actor, part=part)
        created.extend(petition for petition, _forwarding in part)
    by_agency = {}
    for _petition_row, forwarding in planned:
        if forwarding is not None:
            by_agency.setdefault(forwarding.agency_id, []).append(forwarding)
    for agency_id, forwardings in by_agency.items():
        handoffs.notify_bulk_forwarded(
            actor=actor, batch_key=batch_keys[agency_id], forwardings=forwardings, supporting=[]
        )
    return created


def _write_chunk(*, actor, part):
    petitions = [petition for petition, _forwarding in part]
    ids = _reserve_ids(len(petitions))
    # The receipts' lookup codes, issued at intake as `petition_create` does: drawn at once, hashed (an HMAC,
    # bound to the id) and written with the row; the code itself only on the returned objects.
    codes = receipt_codes_generate(len(petitions))
    if ids is not None:
        for petition, pk, code in zip(petitions, ids, codes, strict=True):
            petition.pk = pk
            petition.search_text = search_text_for(petition)
            petition.receipt_code = code
            petition.receipt_code_hash = receipt_code_hash(pk, code)
        Petition.objects.bulk_create(petitions, batch_size=len(petitions))
    else:
        Petition.objects.bulk_create(petitions, batch_size=len(petitions))
        for petition, code in zip(petitions, codes, strict=True):
            petition.search_text = search_text_for(petition)
            petition.receipt_code = code
            petition.receipt_code_hash = receipt_code_hash(petition.pk, code)
        Petition.objects.bulk_update(petitions, ["search_text", "receipt_code_hash"])
    forwardings = []
    events = []
    for petition, forwarding in part:
        events.append(
            audit_event(
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
        )
        if forwarding is None:
            continue
        forwarding.petition = petition  # now with its id
        forwardings.append(forwarding)
        events.append(
            audit_event(
                actor=actor,
                obj=petition,
                action="forward",
                changes={
                    "lead_agency": [None, forwarding.agency],
                    "supporting_agencies": [],
                    "dispatch_number": forwarding.dispatch_number,
                    "dispatch_date": forwarding.dispatch_date,
                    "due_date": forwarding.due_date,
                    "due_date_set_by_hand": False,
                },
                summary=_forward_summary(forwarding.agency, forwarding.due_date),
            )
        )
    if forwardings:
        Forwarding.objects.bulk_create(forwardings, batch_size=len(forwardings))
    audit_record_many(events, batch_size=len(events))
