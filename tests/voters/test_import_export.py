"""Excel import (all or nothing, row-by-row report, malformed files refused) and export (BOM, hidden data)."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from voters import importing, services
from voters.models import Petition

pytestmark = pytest.mark.django_db

HEADERS = [header for _key, header, _required in importing.COLUMNS]


def _xlsx(rows, headers=HEADERS, name="kien-nghi.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _row(content="Cử tri kiến nghị sửa đường", day=datetime.date(2026, 11, 10), agency="", field="Hạ tầng, giao thông"):
    return [
        day,
        "Tiếp xúc cử tri",
        "Nguyễn Văn Bình",
        "5 Trần Phú",
        "0912000111",
        "Phường Hải Châu",
        content,
        field,
        "Kiến nghị",
        "Tỉnh",
        agency,
    ]


@pytest.mark.smoke
def test_template_has_the_vietnamese_columns(clerk, login):
    response = login(clerk).get("/petitions/import/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS


@pytest.mark.smoke
def test_good_file_imports_every_row(clerk, login, agencies, reference_data):
    rows = [_row(f"Kiến nghị số {i}") for i in range(3)]
    rows.append(_row("Kiến nghị chuyển ngay", agency="Sở Xây dựng thành phố Đà Nẵng"))
    rows.append([None] * len(HEADERS))  # blank line ignored
    response = login(clerk).post("/petitions/import/", {"file": _xlsx(rows)})
    assert response.status_code == 302
    assert Petition.objects.count() == 4
    imported = Petition.objects.get(content="Kiến nghị chuyển ngay")
    assert imported.status == "forwarded" and imported.lead_agency == agencies.department
    assert Petition.objects.filter(field="infrastructure", originating_agency=agencies.hdnd).count() == 4


def _report(clerk, login, upload):
    response = login(clerk).post("/petitions/import/", {"file": upload})
    assert response.status_code == 200
    assert Petition.objects.count() == 0
    return response.context["report"], response.content.decode()


def test_one_bad_row_imports_nothing_and_reports_each_row(clerk, login, agencies):
    rows = [_row("Đúng"), _row(""), _row("Sai lĩnh vực", field="Thời tiết"), _row("Sai cơ quan", agency="Sở Ma")]
    report, body = _report(clerk, login, _xlsx(rows))
    assert [(row, column) for row, column, _message in report.errors] == [
        (3, "Nội dung"),
        (4, "Lĩnh vực"),
        (5, "Cơ quan giải quyết"),
    ]
    assert "Sở Ma" in body


def test_wrong_columns_are_refused(clerk, login):
    report, _body = _report(clerk, login, _xlsx([["x", "y"]], headers=["Ngày", "Ý kiến"]))
    assert any(column == "Nội dung" for _row, column, _message in report.errors)
    assert any(column == "Ngày" for _row, column, _message in report.errors)


def test_broken_file_is_refused(clerk, login):
    report, _body = _report(clerk, login, SimpleUploadedFile("hong.xlsx", b"PK\x03\x04 this is not a workbook"))
    assert len(report.errors) == 1 and report.errors[0][0] is None


def test_not_an_excel_file_is_refused(clerk, login):
    report, _body = _report(clerk, login, SimpleUploadedFile("danh-sach.csv", b"a,b\n1,2\n"))
    assert report.errors


def test_dates_as_unparseable_text_are_refused_but_ddmmyyyy_text_is_read(clerk, login):
    rows = [_row(day="15/10/2026"), _row(day="tháng 10/2026"), _row(day="31/02/2026"), _row(day=45000)]
    report, _body = _report(clerk, login, _xlsx(rows))
    assert [row for row, column, _message in report.errors] == [3, 4, 5]
    assert {column for _row, column, _message in report.errors} == {"Ngày tiếp nhận"}


def test_future_date_is_refused(clerk, login):
    report, _body = _report(clerk, login, _xlsx([_row(day=datetime.date(2030, 1, 1))]))
    assert report.errors[0][:2] == (2, "Ngày tiếp nhận")


def test_formulas_are_refused(clerk, login):
    row = _row()
    row[6] = '=CONCATENATE("Kiến nghị ", "sửa đường")'
    report, _body = _report(clerk, login, _xlsx([row]))
    assert report.errors[0][:2] == (2, "Nội dung")


def test_too_many_rows_are_refused(clerk, login, monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 30)  # the real limit (20,000) the same way, without a 20,001-row file
    rows = [_row(f"Kiến nghị {i}") for i in range(31)]
    report, _body = _report(clerk, login, _xlsx(rows))
    assert any("30" in message for _row, _column, message in report.errors)


def _large_xlsx(rows, *, write_only):
    """A real workbook of `rows` data rows; openpyxl's normal mode writes a <dimension>, write-only mode none."""
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet() if write_only else book.active
    sheet.append(HEADERS)
    row = _row()
    for _index in range(rows):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("write_only", [False, True], ids=["with-dimension", "without-dimension"])
def test_a_file_over_the_row_limit_is_refused_before_any_row_is_parsed(clerk, login, monkeypatch, write_only):
    content = _large_xlsx(importing.MAX_ROWS + 1, write_only=write_only)
    assert len(content) < importing.MAX_FILE_BYTES  # refused for its rows, not its size
    parsed = []
    monkeypatch.setattr(importing, "_parse_sheet", lambda *args, **kwargs: parsed.append(args))

    report, _body = _report(clerk, login, SimpleUploadedFile("lon.xlsx", content))

    assert parsed == []
    assert [message for _row, _column, message in report.errors] == [
        f"Tệp có hơn {importing.MAX_ROWS} dòng. Hãy chia thành các tệp nhỏ hơn."
    ]


def test_the_row_count_comes_from_the_dimension_or_the_row_tags():
    with_dimension = load_workbook(io.BytesIO(_large_xlsx(3, write_only=False)), read_only=True)
    assert importing._declared_rows(with_dimension.worksheets[0]) == 4
    # Past the 1 MiB chunks the tags are counted in, none counted twice or missed at a boundary.
    without = load_workbook(io.BytesIO(_large_xlsx(importing.MAX_ROWS, write_only=True)), read_only=True)
    assert without.worksheets[0].max_row is None
    assert importing._declared_rows(without.worksheets[0]) == importing.MAX_ROWS + 1


def test_file_unpacking_huge_is_refused(clerk, login):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (importing.MAX_UNPACKED_BYTES + 10))
    report, _body = _report(clerk, login, SimpleUploadedFile("bom.xlsx", buffer.getvalue()))
    assert len(report.errors) == 1


def test_management_command_imports_and_refuses(tmp_path, agencies, reference_data):
    good = tmp_path / "good.xlsx"
    good.write_bytes(_xlsx([_row("Kiến nghị từ tệp")]).read())
    call_command("import_petitions", str(good), "--agency", str(agencies.hdnd.pk), "--unit", "P48")
    assert Petition.objects.get().content == "Kiến nghị từ tệp"
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_xlsx([_row("")]).read())
    with pytest.raises(CommandError):
        call_command("import_petitions", str(bad), "--agency", str(agencies.hdnd.pk))
    assert Petition.objects.count() == 1


def test_the_same_file_again_is_refused_naming_when_and_by_whom(clerk, login, agencies, reference_data):
    from voters.models import PetitionImport

    content = _xlsx([_row("Kiến nghị lắp đèn đường"), _row("Kiến nghị nạo vét kênh")]).read()
    client = login(clerk)
    assert client.post("/petitions/import/", {"file": SimpleUploadedFile("dot-1.xlsx", content)}).status_code == 302
    record = PetitionImport.objects.get()
    assert (record.agency, record.row_count, record.file_name, record.imported_by) == (
        agencies.hdnd,
        2,
        "dot-1.xlsx",
        clerk,
    )

    # The same bytes under another name are the same file.
    response = client.post("/petitions/import/", {"file": SimpleUploadedFile("dot-1-ban-sao.xlsx", content)})
    assert response.status_code == 200
    [(row, column, message)] = response.context["report"].errors
    assert (row, column) == (None, "")
    when = timezone.localtime(record.imported_at).strftime("%H:%M %d/%m/%Y")
    assert message == f"Tệp này đã được nhập lúc {when} bởi {clerk.display_name}; không nhập lại."
    assert message in response.content.decode()
    assert Petition.objects.count() == 2 and PetitionImport.objects.count() == 1


def test_a_different_file_still_imports(clerk, login, agencies, reference_data):
    client = login(clerk)
    client.post("/petitions/import/", {"file": _xlsx([_row("Kiến nghị lắp đèn đường")])})
    response = client.post("/petitions/import/", {"file": _xlsx([_row("Kiến nghị nạo vét kênh")])})
    assert response.status_code == 302
    assert Petition.objects.count() == 2


def test_another_office_may_import_the_same_file(clerk, mttq_clerk, agencies, reference_data):
    content = _xlsx([_row("Kiến nghị lắp đèn đường")]).read()
    for actor in (clerk, mttq_clerk):
        report = services.petition_import_xlsx(actor=actor, upload=SimpleUploadedFile("a.xlsx", content))
        assert report.ok, report.errors
    assert Petition.objects.filter(originating_agency=agencies.mttq).count() == 1


def test_management_command_refuses_a_file_imported_before(tmp_path, agencies, reference_data):
    path = tmp_path / "dot-1.xlsx"
    path.write_bytes(_xlsx([_row("Kiến nghị từ tệp")]).read())
    call_command("import_petitions", str(path), "--agency", str(agencies.hdnd.pk))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_petitions", str(path), "--agency", str(agencies.hdnd.pk), stderr=err)
    assert "Tệp này đã được nhập lúc" in err.getvalue() and "không nhập lại" in err.getvalue()
    assert Petition.objects.count() == 1


def test_losing_a_concurrent_import_of_the_same_file_refuses_it(clerk, agencies, reference_data, monkeypatch):
    """Both imports passed the look-up before either was recorded: the unique constraint decides."""
    content = _xlsx([_row("Kiến nghị lắp đèn đường")]).read()
    services.petition_import_xlsx(actor=clerk, upload=SimpleUploadedFile("a.xlsx", content))
    monkeypatch.setattr(services, "_earlier_import", _first_look_up_misses(services._earlier_import))
    report = services.petition_import_xlsx(actor=clerk, upload=SimpleUploadedFile("a.xlsx", content))
    assert "không nhập lại" in report.errors[0][2]
    assert Petition.objects.count() == 1


def _first_look_up_misses(look_up):
    calls = []

    def wrapped(agency, digest):
        calls.append(agency)
        return None if len(calls) == 1 else look_up(agency, digest)

    return wrapped


@pytest.mark.smoke
def test_csv_export_has_bom_and_hides_personal_data_from_readers(petition, clerk, mttq_clerk, login, client):
    response = login(clerk).get("/petitions/export.csv")
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "Nguyễn Văn An" in raw.decode("utf-8")
    client.logout()
    raw = b"".join(login(mttq_clerk).get("/petitions/export.csv").streaming_content)
    text = raw.decode("utf-8-sig")
    assert petition.content in text
    assert "Nguyễn Văn An" not in text and "0905123456" not in text


def test_xlsx_export_follows_the_filters(petition, clerk, login, agencies):
    from .factories import PetitionFactory

    PetitionFactory(originating_agency=agencies.hdnd, field="health", content="Thiếu thuốc bảo hiểm y tế")
    response = login(clerk).get("/petitions/export.xlsx?field=health")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2
    assert "Thiếu thuốc bảo hiểm y tế" in values[1]


def test_export_quotes_formula_like_text(agencies, clerk, login):
    services.petition_create(actor=clerk, received_on=datetime.date(2026, 11, 10), content='=HYPERLINK("x")')
    text = b"".join(login(clerk).get("/petitions/export.csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
