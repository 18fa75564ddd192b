"""What the Excel imports share (voters/importing.py for petitions, charters/importing.py for work-programme items):
the template's layout, opening the upload within its limits, the header row, the agencies by name, the report of
an all-or-nothing import, row by row, and the dd/mm/yyyy date typed as text."""

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from .models import Agency
from .text import fold

MAX_ERRORS = 200  # listed row by row; more are counted
TEXT_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)  # the cleaned fields, one dict per row
    errors: list = field(default_factory=list)  # (row number or None, column header or "", message)
    created: list = field(default_factory=list)
    more_errors: int = 0

    def error(self, row, column, message):
        if len(self.errors) >= MAX_ERRORS:
            self.more_errors += 1
            return
        self.errors.append((row, column, str(message)))

    @property
    def ok(self):
        return not self.errors


# --- the template -------------------------------------------------------------------------------------------

REQUIRED_FILL, OPTIONAL_FILL = "1F4E79", "5B7FA6"  # the header cells: required columns darker


def template_workbook(*, title, columns, widths, guide, choices=None, max_rows, date_columns=()):
    """A blank import template as .xlsx bytes: one sheet `title` with the header row of `columns` ((key, header,
    required) triples; required ones darker), column `widths`, a drop-down on each column of `choices` ({key:
    allowed values}) down to `max_rows`, dd/mm/yyyy cells in `date_columns`, and a second sheet with the `guide`
    lines (the first in bold)."""
    choices = choices or {}
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([header for _key, header, _required in columns])
    for index, (key, _header, required) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=REQUIRED_FILL if required else OPTIONAL_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[cell.column_letter].width = widths[index - 1]
        if key in choices:
            validation = DataValidation(
                type="list", formula1='"' + ",".join(choices[key]) + '"', allow_blank=True, showDropDown=False
            )
            sheet.add_data_validation(validation)
            validation.add(f"{cell.column_letter}2:{cell.column_letter}{max_rows + 1}")
        if key in date_columns:
            for row in range(2, 202):
                sheet.cell(row=row, column=index).number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"
    sheet_guide = book.create_sheet("Hướng dẫn")
    for line in guide:
        sheet_guide.append([line])
    sheet_guide["A1"].font = Font(bold=True)
    sheet_guide.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- reading an upload ---------------------------------------------------------------------------------------

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 60 * 1024 * 1024  # a small file that unpacks huge is refused before it is read


def _unpacked_size_ok(upload, limit):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return None
    finally:
        upload.seek(0)
    return total <= limit


def workbook_open(upload, report, *, max_file_bytes=MAX_FILE_BYTES, max_unpacked_bytes=MAX_UNPACKED_BYTES):
    """The uploaded .xlsx opened read-only (formulas kept, to be refused), or None with the reason in `report`:
    not .xlsx, over `max_file_bytes`, not a zip, over `max_unpacked_bytes` unpacked, or unreadable. The caller
    closes the book."""
    name = getattr(upload, "name", "") or ""
    if name and not name.lower().endswith(".xlsx"):
        report.error(None, "", _("The file must be an Excel workbook (.xlsx)."))
        return None
    size = getattr(upload, "size", None)
    if size is not None and size > max_file_bytes:
        report.error(None, "", _("The file is larger than 5 MB. Split it into smaller files."))
        return None
    unpacked_ok = _unpacked_size_ok(upload, max_unpacked_bytes)
    if unpacked_ok is None:
        report.error(None, "", _("The file cannot be read as an Excel workbook (.xlsx). It may be damaged."))
        return None
    if not unpacked_ok:
        report.error(None, "", _("The workbook is too large once unpacked. Split it into smaller files."))
        return None
    try:
        return load_workbook(upload, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        report.error(None, "", _("The file cannot be read as an Excel workbook (.xlsx). It may be damaged."))
        return None


def cell_text(value):
    """A cell's value as text: "" for an empty cell, 12 for 12.0, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def workbook_import(upload, parse, *, max_file_bytes=MAX_FILE_BYTES, max_unpacked_bytes=MAX_UNPACKED_BYTES):
    """The report of an all-or-nothing import: the upload opened (`workbook_open`), `parse(sheet, report)` run on
    its first sheet, the book closed; the clean rows dropped if any row was wrong."""
    report = ImportReport()
    book = workbook_open(upload, report, max_file_bytes=max_file_bytes, max_unpacked_bytes=max_unpacked_bytes)
    if book is None:
        return report
    try:
        parse(book.worksheets[0], report)
    finally:
        book.close()
    if report.errors:
        report.rows = []
    return report


def header_positions(header_cells, report, columns, *, ignored=(), text=cell_text):
    """{key: column index} of the header row, each title (`text` of the cell) matched folded to a header of
    `columns`; a title in `ignored` (e.g. "STT") is allowed and skipped. Unknown, repeated and missing required
    columns go to `report` (row 1)."""
    expected = {fold(header): key for key, header, _required in columns}
    expected.update({fold(title): None for title in ignored})
    positions = {}
    for index, cell in enumerate(header_cells):
        title = text(cell.value)
        if not title:
            continue
        folded = fold(title)
        if folded not in expected:
            report.error(1, title, _("Unknown column. Use the columns of the template."))
            continue
        key = expected[folded]
        if key is None:
            continue
        if key in positions:
            report.error(1, title, _("This column appears twice."))
        else:
            positions[key] = index
    for key, header, required in columns:
        if required and key not in positions:
            report.error(1, header, _("Required column missing. Use the columns of the template."))
    return positions


def data_rows(rows, positions):
    """(row number, {key: cell or None}) of each row below the header (`rows`: the sheet's rows after it) that has
    a value in one of the known columns (`positions`, from `header_positions`); blank rows are passed over."""
    for row_number, cells in enumerate(rows, start=2):
        values = {key: (cells[index] if index < len(cells) else None) for key, index in positions.items()}
        if all(cell is None or cell.value in (None, "") for cell in values.values()):
            continue
        yield row_number, values


def agency_lookup(unit):
    """The active agencies of `unit` and of its child units, by folded name and short name (the first wins)."""
    lookup = {}
    agencies = Agency.objects.filter(unit=unit, is_active=True) | Agency.objects.filter(
        unit__parent=unit, is_active=True
    )
    for agency in agencies.select_related("unit"):
        for name in (agency.name, agency.short_name):
            if name:
                lookup.setdefault(fold(name), agency)
    return lookup
