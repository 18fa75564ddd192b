"""Reading a work programme's items from an .xlsx file: the template, the checks, the row-by-row report.

Shares the template's layout, the upload's limits, the header row and the agencies by name with the petition import
(voters/importing.py) through coordination/spreadsheets.py: the column names and choice values are Vietnamese, a
document format offices fill in by hand.
"""

import calendar
import datetime
import re

from django.utils.translation import gettext as _

from coordination import spreadsheets
from coordination.models import CoordinationArea
from coordination.spreadsheets import MAX_FILE_BYTES, MAX_UNPACKED_BYTES, TEXT_DATE
from coordination.text import fold

from .models import TaskOrigin

MAX_ROWS = 5_000  # a city's programme has some 600 items (Hà Nội 2019: 273 planned, 361 arising)
TITLE_MAX = 500

# (key, header, required)
COLUMNS = [
    ("title", "Nội dung công việc", True),
    ("responsible", "Cơ quan chủ trì", True),
    ("supporting", "Cơ quan phối hợp", False),
    ("due", "Thời hạn", True),
    ("origin", "Loại", False),
    ("article", "Điều của Quy chế", False),
    ("area", "Lĩnh vực", False),
]
ORIGINS = {"Theo chương trình": TaskOrigin.PLANNED, "Phát sinh": TaskOrigin.ARISING}
# "tháng 03", "tháng 3/2019", "03/2019", "3"
TEXT_MONTH = re.compile(r"^\s*(?:th[aá]ng\s*)?(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?\s*$", re.IGNORECASE)
SEPARATORS = re.compile(r"\s*[;,\n]\s*")


def template_workbook():
    """The blank import template as .xlsx bytes, with the kinds as a drop-down."""
    return spreadsheets.template_workbook(
        title="Chương trình công tác",
        columns=COLUMNS,
        widths=[60, 30, 34, 14, 18, 10, 26],
        choices={"origin": ORIGINS},
        max_rows=MAX_ROWS,
        guide=[
            "HƯỚNG DẪN NHẬP CHƯƠNG TRÌNH CÔNG TÁC",
            "",
            "Nhập mỗi nội dung công việc một dòng ở trang đầu, giữ nguyên dòng tiêu đề.",
            "Cột bắt buộc (nền đậm): Nội dung công việc, Cơ quan chủ trì, Thời hạn.",
            "Cơ quan chủ trì, Cơ quan phối hợp: tên hoặc tên viết tắt của cơ quan trong địa phương (kể cả các Ban, "
            "Văn phòng HĐND); nhiều cơ quan phối hợp cách nhau bằng dấu chấm phẩy.",
            "Thời hạn: một ngày (ô kiểu ngày hoặc dd/mm/yyyy) hoặc một tháng (“tháng 03”, “03/2019”): "
            "hạn là ngày cuối tháng.",
            "Loại: " + ", ".join(ORIGINS) + " (để trống: Theo chương trình).",
            "Điều của Quy chế: số điều (nếu chương trình gắn với một quy chế); để trống nếu không thuộc điều nào.",
            "Lĩnh vực: tên lĩnh vực phối hợp (không bắt buộc).",
            "Không dùng công thức. Tối đa " + str(MAX_ROWS) + " dòng, tệp không quá 5 MB.",
            "Nếu có một dòng sai, không dòng nào được nhập: sửa theo báo cáo lỗi rồi tải lên lại.",
        ],
    )


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _month_end(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def due_parse(value, year):
    """(due date, due within the month) from a cell: a date, or a month of `year` ("tháng 03") or of a given
    year ("03/2019"); None when it is neither."""
    if isinstance(value, datetime.datetime):
        return value.date(), False
    if isinstance(value, datetime.date):
        return value, False
    text = _text(value)
    match = TEXT_DATE.match(text)
    if match:
        day, month, year_given = (int(part) for part in match.groups())
        try:
            return datetime.date(year_given, month, day), False
        except ValueError:
            return None
    match = TEXT_MONTH.match(text)
    if match:
        month = int(match.group(1))
        year_given = int(match.group(2)) if match.group(2) else year
        if 1 <= month <= 12 and 2000 <= year_given <= 2100:
            return _month_end(year_given, month), True
    return None


def import_parse(upload, *, programme):
    """Check every row of the uploaded workbook; the report holds either clean rows or errors."""
    return spreadsheets.workbook_import(
        upload,
        lambda sheet, report: _parse_sheet(sheet, report, programme=programme),
        max_file_bytes=MAX_FILE_BYTES,
        max_unpacked_bytes=MAX_UNPACKED_BYTES,
    )


def _parse_sheet(sheet, report, *, programme):
    rows = sheet.iter_rows()
    try:
        header_cells = next(rows)
    except StopIteration:
        report.error(None, "", _("The workbook is empty."))
        return
    # A numbering column ("STT") is allowed and ignored.
    positions = spreadsheets.header_positions(header_cells, report, COLUMNS, ignored=("STT",), text=_text)
    if report.errors:
        return
    headers = {key: header for key, header, _required in COLUMNS}
    agencies = spreadsheets.agency_lookup(programme.unit)
    areas = {}
    for area in CoordinationArea.objects.filter(is_active=True):
        areas.setdefault(fold(area.name), area)
        areas.setdefault(area.code, area)
    articles = {}
    if programme.charter_id:
        articles = {article.number: article for article in programme.charter.articles.select_related("area")}
    origins = {fold(label): code for label, code in ORIGINS.items()}
    count = 0
    for row_number, values in spreadsheets.data_rows(rows, positions):
        count += 1
        if count > MAX_ROWS:
            message = _("The file has more than %(max)s rows. Split it into smaller files.")
            report.error(None, "", message % {"max": MAX_ROWS})
            return
        row = {"origin": TaskOrigin.PLANNED, "supporting": [], "article": None, "area": None}

        def bad(key, message, row_number=row_number):
            report.error(row_number, headers[key], message)

        for key, cell in values.items():
            value = None if cell is None else cell.value
            if cell is not None and getattr(cell, "data_type", None) == "f":
                bad(key, _("Formulas are not accepted: paste the values instead."))
                continue
            text = _text(value)
            if key == "title":
                if not text:
                    bad(key, _("The content is required."))
                elif len(text) > TITLE_MAX:
                    bad(key, _("Too long (at most %(max)s characters).") % {"max": TITLE_MAX})
                row["title"] = text
            elif key == "responsible":
                agency = agencies.get(fold(text)) if text else None
                if not text:
                    bad(key, _("Give the agency in charge."))
                elif agency is None:
                    bad(key, _("Unknown agency “%(value)s”.") % {"value": text})
                row["responsible"] = agency
            elif key == "supporting":
                for part in filter(None, SEPARATORS.split(text)):
                    agency = agencies.get(fold(part))
                    if agency is None:
                        bad(key, _("Unknown agency “%(value)s”.") % {"value": part})
                    elif agency not in row["supporting"]:
                        row["supporting"].append(agency)
            elif key == "due":
                parsed = due_parse(value, programme.year) if text else None
                if not text:
                    bad(key, _("Give the due date or month."))
                elif parsed is None:
                    bad(key, _("Not a date or a month. Use dd/mm/yyyy, “tháng 03” or “03/2019”."))
                elif not programme.year - 1 <= parsed[0].year <= programme.year + 1:
                    bad(key, _("The due date is far from the programme's year."))
                else:
                    row["due_date"], row["due_in_month"] = parsed
            elif key == "origin" and text:
                code = origins.get(fold(text))
                if code is None:
                    message = _("Unknown value “%(value)s”. Allowed: %(allowed)s.")
                    bad(key, message % {"value": text, "allowed": ", ".join(ORIGINS)})
                row["origin"] = code
            elif key == "article" and text:
                if not programme.charter_id:
                    bad(key, _("The programme is not tied to a charter: leave the article empty."))
                elif not text.isdigit() or int(text) not in articles:
                    bad(key, _("The charter has no article %(value)s.") % {"value": text})
                else:
                    row["article"] = articles[int(text)]
            elif key == "area" and text:
                area = areas.get(fold(text))
                if area is None:
                    bad(key, _("Unknown coordination area “%(value)s”.") % {"value": text})
                row["area"] = area
        if row.get("responsible") is not None:
            row["supporting"] = [agency for agency in row["supporting"] if agency.pk != row["responsible"].pk]
        report.rows.append(row)
    if count == 0 and not report.errors:
        report.error(None, "", _("The file has no items below the header row."))
