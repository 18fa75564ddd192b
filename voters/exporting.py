"""Exporting a filtered petition list to .xlsx or CSV (UTF-8 with BOM, so Excel shows the diacritics)."""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from .models import Petition
from .permissions import can_see_personal_data

HIDDEN = "—"
# A workbook is built whole before it is sent; past this many rows the CSV export (streamed) is the tool.
XLSX_MAX_ROWS = 100_000


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


def _date(value):
    return value.strftime("%d/%m/%Y") if value else ""


def export_rows(queryset, user, today=None):
    """One list of cell values per petition; personal data hidden where the user may not see it."""
    today = today or timezone.localdate()
    yield [_safe(value) for value in _headers()]
    for petition in queryset.iterator(chunk_size=2000):
        personal = can_see_personal_data(user, petition)
        locality = petition.locality or (petition.commune.name if petition.commune_id else "")
        # Every cell, not only the free-text ones: meeting titles, agency and unit names, localities and
        # choice labels are typed by someone too.
        row = [
            petition.reference,
            _date(petition.received_on),
            petition.get_source_display(),
            str(petition.originating_agency),
            petition.meeting.title if petition.meeting_id else "",
            petition.voter_name if personal else HIDDEN,
            petition.voter_address if personal else HIDDEN,
            petition.voter_phone if personal else HIDDEN,
            locality,
            petition.content,
            petition.get_field_display(),
            petition.get_kind_display(),
            petition.get_competence_level_display() if petition.competence_level else "",
            petition.get_status_display(),
            str(petition.lead_agency) if petition.lead_agency_id else "",
            _date(petition.due_date),
            _date(petition.answered_on),
            petition.get_outcome_display() if petition.outcome else "",
            _("yes") if petition.is_overdue(today) else "",
            Petition.reference_for(petition.primary_id) if petition.primary_id else "",
        ]
        yield [_safe(value) for value in row]


class _Echo:
    def write(self, value):
        return value


def csv_chunks(queryset, user):
    """CSV text, streamed row by row, starting with the UTF-8 byte order mark."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in export_rows(queryset, user):
        yield writer.writerow(row)


def xlsx_bytes(queryset, user):
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Petitions")[:31])
    bold = Font(bold=True)
    for index, row in enumerate(export_rows(queryset, user)):
        if index > XLSX_MAX_ROWS:
            sheet.append(
                [
                    _("Only the first %(count)s petitions are in this workbook; export CSV for all of them.")
                    % {"count": XLSX_MAX_ROWS}
                ]
            )
            break
        if index == 0:
            from openpyxl.cell import WriteOnlyCell

            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                cell.font = bold
                cells.append(cell)
            sheet.append(cells)
        else:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
