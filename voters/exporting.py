"""Exporting a filtered petition list to .xlsx or CSV (UTF-8 with BOM, so Excel shows the diacritics).

Small exports are answered in the request; larger ones (over EXPORT_INLINE_MAX_ROWS) are Celery jobs that
write the same rows into a file (`voters.export_jobs`)."""

import csv
import datetime
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import AWAITING_ANSWER, Petition
from .permissions import with_personal_data_flag
from .xlsx_stream import xlsx_stream

HIDDEN = "—"


def _headers():
    return [
        _("Reference"),
        _("Date received"),
        _("Source"),
        _("Receiving office"),
        _("Meeting"),
        _("Voter name(s)"),
        _("Voter address"),
        _("Voter phone"),
        _("Locality"),
        _("Content"),
        pgettext("petition", "Field"),
        _("Kind"),
        _("Competence level"),
        _("Status"),
        _("Lead agency"),
        pgettext("petition", "Due date"),
        _("Date answered"),
        _("Outcome"),
        _("Overdue"),
        _("Grouped under"),
    ]


# What a spreadsheet may read as the start of a formula (OWASP "CSV injection", plus the line feed and the
# full-width forms some spreadsheet programs also accept).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def _safe(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _date_text(value):
    return value.strftime("%d/%m/%Y") if value else ""


# What one exported row reads: plain columns through the joins (no model instances, no per-row queries).
# `may_see_personal` is the annotation of `with_personal_data_flag` (the list's and the export's queryset).
ROW_VALUES = (
    "id",
    "received_on",
    "source",
    "originating_agency__name",
    "meeting__title",
    "voter_name",
    "voter_address",
    "voter_phone",
    "locality",
    "commune__name",
    "content",
    "field",
    "kind",
    "competence_level",
    "status",
    "lead_agency__name",
    "due_date",
    "answered_on",
    "outcome",
    "primary_id",
    "may_see_personal",
)
# Positions of the date cells in a row (received, due, answered): typed dates in the workbook.
DATE_COLUMNS = (1, 15, 16)
CHUNK_SIZE = 2000


def _labels(name):
    """The choice labels of one Petition field, translated once per export (not once per row)."""
    return {value: str(label) for value, label in Petition._meta.get_field(name).flatchoices}


def export_rows(queryset, user, today=None):
    """The header, then one list of cell values per petition (dates as `datetime.date`); personal data hidden
    where the user may not see it. Reads `ROW_VALUES` in chunks: memory stays flat at any size."""
    today = today or timezone.localdate()
    yield [_safe(value) for value in _headers()]
    sources, fields, kinds = _labels("source"), _labels("field"), _labels("kind")
    levels, statuses, outcomes = _labels("competence_level"), _labels("status"), _labels("outcome")
    awaiting = set(AWAITING_ANSWER)
    yes = _("yes")
    if "may_see_personal" not in queryset.query.annotations:
        queryset = with_personal_data_flag(queryset, user)
    for (
        pk,
        received_on,
        source,
        originating,
        meeting,
        voter_name,
        voter_address,
        voter_phone,
        locality,
        commune,
        content,
        field,
        kind,
        level,
        status,
        lead,
        due_date,
        answered_on,
        outcome,
        primary_id,
        personal,
    ) in queryset.values_list(*ROW_VALUES).iterator(chunk_size=CHUNK_SIZE):
        # Every text cell, not only the free-text ones: meeting titles, agency and unit names, localities and
        # choice labels are typed by someone too.
        row = [
            Petition.reference_for(pk),
            received_on,
            sources.get(source, source),
            originating or "",
            meeting or "",
            voter_name if personal else HIDDEN,
            voter_address if personal else HIDDEN,
            voter_phone if personal else HIDDEN,
            locality or commune or "",
            content,
            fields.get(field, field),
            kinds.get(kind, kind),
            levels.get(level, level) if level else "",
            statuses.get(status, status),
            lead or "",
            due_date,
            answered_on,
            outcomes.get(outcome, outcome) if outcome else "",
            yes if status in awaiting and due_date is not None and due_date < today else "",
            Petition.reference_for(primary_id) if primary_id else "",
        ]
        yield [_safe(value) for value in row]


class _Echo:
    def write(self, value):
        return value


def csv_chunks(queryset, user, rows=None):
    """CSV text, streamed row by row, starting with the UTF-8 byte order mark; dates as dd/mm/yyyy."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows if rows is not None else export_rows(queryset, user):
        for index in DATE_COLUMNS:
            if isinstance(row[index], datetime.date):
                row[index] = _date_text(row[index])
        yield writer.writerow(row)


def xlsx_write(target, rows):
    """Write `rows` (from `export_rows`: the header first) into a workbook at `target` (a path or a binary
    file), streamed (`voters.xlsx_stream`): memory stays flat at any size. Dates are date cells formatted
    dd/mm/yyyy, so a spreadsheet sorts and filters them as dates; the header is bold; an empty value is no
    cell. Returns the data rows written."""
    header = next(rows)
    return xlsx_stream(target, _("Petitions"), header, rows)


def xlsx_bytes(queryset, user):
    """The workbook of a small export, built in memory (the large ones are jobs: `voters.export_jobs`)."""
    buffer = io.BytesIO()
    xlsx_write(buffer, export_rows(queryset, user))
    return buffer.getvalue()
