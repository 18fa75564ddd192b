"""The streamed workbook writer (voters/xlsx_stream.py) read back by openpyxl: types, formats, escaping, limits."""

import datetime
import io
import zipfile
from decimal import Decimal

from lxml import etree
from openpyxl import load_workbook

from voters import xlsx_stream
from voters.xlsx_stream import xlsx_stream as write


def _book(header, rows, **options):
    buffer = io.BytesIO()
    count = write(buffer, "Kiến nghị", header, rows, **options)
    return count, buffer.getvalue()


def test_cells_are_typed_and_dates_formatted_day_first():
    rows = [
        ["KN-1", datetime.date(2026, 12, 2), 42, 2.5, Decimal("1.25"), True, datetime.datetime(2026, 1, 2, 13, 30)],
        ["KN-2", None, "", "Đà Nẵng"],
    ]
    count, data = _book(["Mã số", "Ngày nhận", "Số", "Tỷ lệ", "Tiền", "Có", "Lúc"], rows)
    assert count == 2
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Kiến nghị"]
    sheet = book.worksheets[0]
    header = sheet[1]
    assert [cell.value for cell in header] == ["Mã số", "Ngày nhận", "Số", "Tỷ lệ", "Tiền", "Có", "Lúc"]
    assert all(cell.font.b for cell in header)
    first = sheet[2]
    assert first[0].data_type == "s" and first[0].value == "KN-1"
    assert first[1].is_date and first[1].number_format == "DD/MM/YYYY"
    assert first[1].value == datetime.datetime(2026, 12, 2)
    assert (first[2].data_type, first[2].value) == ("n", 42)
    assert (first[3].data_type, first[3].value) == ("n", 2.5)
    assert first[4].value == 1.25
    assert (first[5].data_type, first[5].value) == ("b", True)
    assert first[6].is_date and first[6].value == datetime.datetime(2026, 1, 2, 13, 30)
    assert not first[0].font.b
    second = sheet[3]
    # None and "" are no cell at all; the text after them is in its own column.
    assert [cell.value for cell in second][:4] == ["KN-2", None, None, "Đà Nẵng"]
    assert sheet.cell(row=3, column=4).coordinate == "D3"


def test_text_is_escaped_and_kept_as_text():
    hostile = ["A & B <c>", "=SUM(A1)", " leading", "trailing ", "line\nbreak", "\u00a0no-break", "a_x0041_b", "x\x01y"]
    _count, data = _book(["h"] * len(hostile), [hostile])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        etree.fromstring(archive.read("xl/worksheets/sheet1.xml"))  # well-formed XML
        assert "[Content_Types].xml" in archive.namelist()
    cells = load_workbook(io.BytesIO(data)).worksheets[0][2]
    assert all(cell.data_type == "s" for cell in cells)  # a formula-looking text is text, not a formula
    values = [cell.value for cell in cells]
    assert values[:6] == hostile[:6]
    # Excel's escape of a literal "_xHHHH_" and of a character XML cannot hold (Excel reads both back as written).
    assert values[6] == "a_x005F_x0041_b" and values[7] == "x_x0001_y"


def test_a_cell_holds_at_most_excels_32767_characters():
    _count, data = _book(["h"], [["x" * 40_000]])
    assert load_workbook(io.BytesIO(data)).worksheets[0]["A2"].value == "x" * 32_767


def test_rows_past_a_sheets_limit_continue_on_the_next_sheet_under_the_header():
    rows = ([f"KN-{n}", datetime.date(2026, 1, 1) + datetime.timedelta(days=n)] for n in range(7))
    count, data = _book(["Mã số", "Ngày"], rows, max_sheet_rows=4)
    assert count == 7
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Kiến nghị", "Kiến nghị (2)", "Kiến nghị (3)"]
    values = [[cell.value for cell in row] for sheet in book.worksheets for row in sheet.iter_rows()]
    headers = [row for row in values if row[0] == "Mã số"]
    assert len(headers) == 3
    assert [row[0] for row in values if row[0] != "Mã số"] == [f"KN-{n}" for n in range(7)]


def test_an_empty_export_is_a_workbook_with_its_header():
    count, data = _book(["Mã số"], iter([]))
    assert count == 0
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [["Mã số"]]


def test_sheet_titles_follow_excels_rules():
    assert xlsx_stream._sheet_titles("Kiến nghị: 01/2026 [a]?", 2) == [
        "Kiến nghị  01 2026  a",
        "Kiến nghị  01 2026  a (2)",
    ]
    assert all(len(title) <= 31 for title in xlsx_stream._sheet_titles("x" * 40, 12))
