"""Reading petitions from an .xlsx file: the template, the checks, the row-by-row report.

The column names and the values of the choice columns are Vietnamese: they are a document format
that offices fill in by hand, whatever language the interface is in.
"""

import datetime
import zipfile
import zlib

from django.utils.translation import gettext as _

from coordination import spreadsheets
from coordination.spreadsheets import MAX_FILE_BYTES, MAX_UNPACKED_BYTES, TEXT_DATE, cell_text
from coordination.text import fold

from .models import CONTENT_MAX

MAX_ROWS = 20_000  # one file of 10,000+ rows imports in seconds (voters.batch); memory stays bounded (read_only)

# (key, header, required)
COLUMNS = [
    ("received_on", "Ngày tiếp nhận", True),
    ("source", "Nguồn", False),
    ("voter_name", "Họ tên cử tri", False),
    ("voter_address", "Địa chỉ", False),
    ("voter_phone", "Số điện thoại", False),
    ("locality", "Địa bàn", False),
    ("content", "Nội dung", True),
    ("field", "Lĩnh vực", False),
    ("kind", "Loại", False),
    ("competence_level", "Cấp thẩm quyền", False),
    ("forward_to", "Cơ quan giải quyết", False),
]

CHOICES = {
    "source": {
        "Tiếp xúc cử tri": "meeting",
        "Tiếp công dân": "reception",
        "Đơn thư": "writing",
        "Khác": "other",
    },
    "field": {
        "Đất đai": "land",
        "Hạ tầng, giao thông": "infrastructure",
        "Chính sách xã hội": "social_policy",
        "Y tế": "health",
        "Giáo dục": "education",
        "Môi trường": "environment",
        "An ninh, trật tự": "security",
        "Kinh tế, ngân sách": "economy",
        "Khác": "other",
    },
    "kind": {"Kiến nghị": "petition", "Ý kiến": "opinion"},
    "competence_level": {"Xã": "commune", "Tỉnh": "province", "Trung ương": "central"},
}
DEFAULTS = {"source": "meeting", "field": "other", "kind": "petition", "competence_level": ""}
MAX_LENGTHS = {"voter_name": 255, "voter_address": 255, "voter_phone": 30, "locality": 255, "content": CONTENT_MAX}


def template_workbook():
    """The blank import template as .xlsx bytes, with the choice lists as drop-downs."""
    return spreadsheets.template_workbook(
        title="Kiến nghị cử tri",
        columns=COLUMNS,
        widths=[14, 16, 24, 30, 14, 22, 60, 20, 12, 14, 30],
        choices=CHOICES,
        date_columns=("received_on",),
        max_rows=MAX_ROWS,
        guide=[
            "HƯỚNG DẪN NHẬP KIẾN NGHỊ CỬ TRI",
            "",
            "Nhập mỗi ý kiến, kiến nghị một dòng ở trang đầu, giữ nguyên dòng tiêu đề.",
            "Cột bắt buộc (nền đậm): Ngày tiếp nhận, Nội dung.",
            "Ngày tiếp nhận: ô kiểu ngày hoặc chữ dạng dd/mm/yyyy (ví dụ 15/10/2026).",
            "Nguồn: " + ", ".join(CHOICES["source"]) + " (để trống: Tiếp xúc cử tri).",
            "Lĩnh vực: " + ", ".join(CHOICES["field"]) + ".",
            "Loại: " + ", ".join(CHOICES["kind"]) + " (để trống: Kiến nghị).",
            "Cấp thẩm quyền: " + ", ".join(CHOICES["competence_level"]) + ".",
            "Cơ quan giải quyết: tên hoặc tên viết tắt của cơ quan trong địa phương; để trống nếu chưa chuyển.",
            "Không dùng công thức. Tối đa " + str(MAX_ROWS) + " dòng, tệp không quá 5 MB.",
            "Nếu có một dòng sai, không dòng nào được nhập: sửa theo báo cáo lỗi rồi tải lên lại.",
        ],
    )


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        match = TEXT_DATE.match(value)
        if match:
            day, month, year = (int(part) for part in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                return None
    return None


def import_parse(upload, *, unit, today=None):
    """Check every row of the uploaded workbook; the report holds either clean rows or errors."""
    from django.utils import timezone

    today = today or timezone.localdate()

    def parse(sheet, report):
        if _declared_rows(sheet) > MAX_ROWS + 1:  # + the header row
            report.error(None, "", _too_many_rows())
        else:
            _parse_sheet(sheet, report, unit=unit, today=today)

    return spreadsheets.workbook_import(
        upload, parse, max_file_bytes=MAX_FILE_BYTES, max_unpacked_bytes=MAX_UNPACKED_BYTES
    )


def _too_many_rows():
    return _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": MAX_ROWS}


def _declared_rows(sheet):
    """How many rows the sheet spans, known before any cell is parsed, so an oversized file is refused at
    once: its <dimension> element, or (a sheet written without one, e.g. by openpyxl's write-only mode)
    the <row> tags counted in its XML, a byte search of at most MAX_UNPACKED_BYTES. A file that lies here
    is still stopped by the row count while parsing."""
    try:
        declared = int(sheet.max_row or 0)
    except (TypeError, ValueError):
        declared = 0
    if declared:
        return declared
    count, tail = 0, b""
    try:
        # openpyxl keeps the sheet's path in the archive private; reading it is how the rows are counted unparsed.
        with sheet.parent._archive.open(sheet._worksheet_path) as source:
            while chunk := source.read(1 << 20):
                data = tail + chunk
                count += data.count(b"<row ") + data.count(b"<row>")
                tail = data[-5:]
                count -= tail.count(b"<row ") + tail.count(b"<row>")  # counted again with the next chunk
    except (AttributeError, KeyError, OSError, zipfile.BadZipFile, zlib.error):
        return 0  # unreadable here: parsing reports the damage
    return count + tail.count(b"<row ") + tail.count(b"<row>")


def _parse_sheet(sheet, report, *, unit, today):
    rows = sheet.iter_rows()
    try:
        header_cells = next(rows)
    except StopIteration:
        report.error(None, "", _("The workbook is empty."))
        return
    positions = spreadsheets.header_positions(header_cells, report, COLUMNS)
    if report.errors:
        return
    headers = {key: header for key, header, _required in COLUMNS}
    agencies = None
    choice_lookup = {key: {fold(label): code for label, code in values.items()} for key, values in CHOICES.items()}
    for key, values in CHOICES.items():
        for code in values.values():
            choice_lookup[key].setdefault(code, code)
    count = 0
    for row_number, values in spreadsheets.data_rows(rows, positions):
        count += 1
        if count > MAX_ROWS:
            report.error(None, "", _too_many_rows())
            return
        row = {}
        for key, cell in values.items():
            header = headers[key]
            value = None if cell is None else cell.value
            if cell is not None and getattr(cell, "data_type", None) == "f":
                report.error(row_number, header, _("Formulas are not accepted: paste the values instead."))
                continue
            if key == "received_on":
                day = _date(value)
                if day is None:
                    report.error(row_number, header, _("Not a date. Use a date cell or dd/mm/yyyy."))
                elif day > today:
                    report.error(row_number, header, _("The date is in the future."))
                elif day.year < 2000:
                    report.error(row_number, header, _("The date is too old."))
                row[key] = day
            elif key in CHOICES:
                text = cell_text(value)
                if not text:
                    row[key] = DEFAULTS[key]
                    continue
                code = choice_lookup[key].get(fold(text))
                if code is None:
                    report.error(
                        row_number,
                        header,
                        _("Unknown value “%(value)s”. Allowed: %(allowed)s.")
                        % {"value": text, "allowed": ", ".join(CHOICES[key])},
                    )
                row[key] = code
            elif key == "forward_to":
                text = cell_text(value)
                if not text:
                    continue
                if agencies is None:
                    agencies = spreadsheets.agency_lookup(unit)
                agency = agencies.get(fold(text))
                if agency is None:
                    report.error(row_number, header, _("Unknown agency “%(value)s”.") % {"value": text})
                row[key] = agency
            else:
                text = cell_text(value)
                if key == "content" and not text:
                    report.error(row_number, header, _("The content is required."))
                if key in MAX_LENGTHS and len(text) > MAX_LENGTHS[key]:
                    report.error(
                        row_number, header, _("Too long (at most %(max)s characters).") % {"max": MAX_LENGTHS[key]}
                    )
                row[key] = text
        report.rows.append(row)
    if count == 0 and not report.errors:
        report.error(None, "", _("The file has no petitions below the header row."))
