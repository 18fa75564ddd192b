"""Work programmes as documents: the Excel import of their items (634 in seconds, all or nothing, a row-by-row
report in Vietnamese), the figures as the Hà Nội 2019 report states them, the page and who may see it."""

import datetime
import io
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from charters import importing, services
from charters.models import Task, TaskOrigin, TaskStatus, WorkProgramme
from charters.reviews.stats import statistics_compute
from charters.selectors import programme_figures
from coordination.models import AuditEvent, Role
from tests.charters import review_factories as rf
from tests.factories import DepartmentFactory, member

pytestmark = pytest.mark.django_db

HEADERS = [header for _key, header, _required in importing.COLUMNS]
TODAY = datetime.date(2020, 1, 25)


def _xlsx(rows, headers=HEADERS, name="chuong-trinh.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def council_bodies(agencies):
    """The HĐND's own committee and office: agencies of kind OTHER of the unit."""
    return {
        "ban": DepartmentFactory(
            unit=agencies.hdnd.unit, name="Ban Pháp chế HĐND thành phố", short_name="Ban Pháp chế"
        ),
        "vp": DepartmentFactory(unit=agencies.hdnd.unit, name="Văn phòng HĐND thành phố", short_name="Văn phòng HĐND"),
    }


def _programme(agencies, clerk, *, year=2019, number=None, charter=None):
    return services.work_programme_create(
        actor=clerk,
        unit=agencies.hdnd.unit,
        year=year,
        number=number or f"01/CTr-HĐND-{year}",
        issued_on=datetime.date(year, 1, 7),
        issuer=agencies.hdnd,
        title=f"Chương trình công tác năm {year} của Thường trực, các Ban và Văn phòng HĐND thành phố",
        theme="Nâng cao hiệu lực, hiệu quả hoạt động của hệ thống chính trị",
        charter=charter,
    )


def _rows(planned=273, arising=361):
    """As an office fills the template: due months and days, the Ban and the Văn phòng in charge."""
    rows = []
    bodies = ["Thường trực HĐND thành phố Đà Nẵng", "Ban Pháp chế", "Văn phòng HĐND", "UBND thành phố Đà Nẵng"]
    for index in range(planned + arising):
        due = f"tháng {index % 12 + 1:02d}" if index % 2 else datetime.date(2019, index % 12 + 1, 10)
        rows.append(
            [
                f"Nội dung công việc số {index + 1}",
                bodies[index % len(bodies)],
                "Văn phòng HĐND; UBND" if index % 5 == 0 else "",
                due,
                "Theo chương trình" if index < planned else "Phát sinh",
                "",
                "",
            ]
        )
    return rows


def test_a_programme_of_634_items_imports_in_seconds_with_one_audit_entry(agencies, clerk, council_bodies):
    programme = _programme(agencies, clerk)
    upload = _xlsx(_rows())
    events_before = AuditEvent.objects.count()

    started = time.monotonic()
    report = services.work_programme_import_xlsx(actor=clerk, programme=programme, upload=upload)
    elapsed = time.monotonic() - started

    assert report.ok, report.errors[:5]
    assert len(report.created) == 634
    assert elapsed < 5, f"634 items took {elapsed:.1f} s"
    items = Task.objects.filter(programme=programme)
    assert items.count() == 634
    assert items.filter(origin=TaskOrigin.PLANNED).count() == 273
    assert items.filter(origin=TaskOrigin.ARISING).count() == 361
    assert items.filter(responsible_agency=council_bodies["ban"]).count() == 159
    assert items.filter(responsible_agency=council_bodies["vp"]).count() == 158
    assert set(items.values_list("unit", flat=True)) == {agencies.hdnd.unit_id}
    # "tháng 02" is due on the month's last day and says so; a day stays a day.
    second = items.get(title="Nội dung công việc số 2")
    assert (second.due_date, second.due_in_month) == (datetime.date(2019, 2, 28), True)
    first = items.get(title="Nội dung công việc số 1")
    assert (first.due_date, first.due_in_month) == (datetime.date(2019, 1, 10), False)
    assert set(first.supporting_agencies.all()) == {council_bodies["vp"], agencies.ubnd}
    # One entry for the import, none per item.
    events = AuditEvent.objects.order_by("id")[events_before:]
    assert [(event.action, event.object_id) for event in events] == [("import", str(programme.pk))]
    assert events[0].changes["items"] == 634
    # The same file again (a second click, a re-upload) is refused: the items are not doubled.
    again = services.work_programme_import_xlsx(actor=clerk, programme=programme, upload=upload)
    assert not again.ok and again.created == []
    assert Task.objects.filter(programme=programme).count() == 634


def test_one_bad_row_among_634_imports_nothing_and_is_reported_in_vietnamese(agencies, clerk, council_bodies):
    programme = _programme(agencies, clerk)
    rows = _rows()
    rows[399][1] = "Ban Không Tồn Tại"  # row 401 of the sheet
    rows[499][3] = "tháng 13"  # row 501
    rows[599][0] = ""  # row 601

    with translation.override("vi"):
        report = services.work_programme_import_xlsx(actor=clerk, programme=programme, upload=_xlsx(rows))

    assert not report.ok
    assert report.created == []
    assert Task.objects.filter(programme=programme).count() == 0
    assert not AuditEvent.objects.filter(action="import").exists()
    errors = {(row, column): message for row, column, message in report.errors}
    assert set(errors) == {(401, "Cơ quan chủ trì"), (501, "Thời hạn"), (601, "Nội dung công việc")}
    assert errors[(401, "Cơ quan chủ trì")] == "Không tìm thấy cơ quan “Ban Không Tồn Tại”."
    assert "tháng 03" in errors[(501, "Thời hạn")]
    assert errors[(601, "Nội dung công việc")] == "Nội dung là bắt buộc."

    # Corrected, the same file imports every row.
    rows[399][1], rows[499][3], rows[599][0] = "Ban Pháp chế", "tháng 12", "Nội dung sửa lại"
    report = services.work_programme_import_xlsx(actor=clerk, programme=programme, upload=_xlsx(rows))
    assert report.ok and Task.objects.filter(programme=programme).count() == 634


def test_wrong_columns_and_a_damaged_file_are_refused_without_a_server_error(agencies, clerk):
    programme = _programme(agencies, clerk)
    report = services.work_programme_import_xlsx(
        actor=clerk, programme=programme, upload=_xlsx([["x"]], headers=["Nội dung công việc", "Cột lạ"])
    )
    assert {(row, column) for row, column, _m in report.errors} == {
        (1, "Cột lạ"),
        (1, "Cơ quan chủ trì"),
        (1, "Thời hạn"),
    }
    damaged = SimpleUploadedFile("chuong-trinh.xlsx", b"PK\x03\x04 not really a workbook")
    report = services.work_programme_import_xlsx(actor=clerk, programme=programme, upload=damaged)
    assert not report.ok and Task.objects.count() == 0


def test_the_template_has_the_columns_the_import_reads(client, login, clerk):
    response = login(clerk).get(reverse("charters:programme_import_template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADERS


def _items(programme, agency, *, planned, arising=0, done_on_time=True):
    tasks = []
    for index in range(planned + arising):
        due = datetime.date(programme.year, index % 12 + 1, 28)
        tasks.append(
            Task(
                unit=programme.unit,
                programme=programme,
                title=f"Nội dung {index + 1}",
                responsible_agency=agency,
                due_date=due,
                origin=TaskOrigin.PLANNED if index < planned else TaskOrigin.ARISING,
                status=TaskStatus.DONE if done_on_time else TaskStatus.OPEN,
                completed_on=due - datetime.timedelta(days=2) if done_on_time else None,
            )
        )
    Task.objects.bulk_create(tasks)


def test_the_figures_are_those_of_the_hanoi_2019_report(agencies, clerk):
    """273 planned (+8.3% on 2018, +56.9% on 2017), 361 arising, all completed on time."""
    p2017 = _programme(agencies, clerk, year=2017)
    p2018 = _programme(agencies, clerk, year=2018)
    p2019 = _programme(agencies, clerk, year=2019)
    _items(p2017, agencies.hdnd, planned=174)
    _items(p2018, agencies.hdnd, planned=252)
    _items(p2019, agencies.hdnd, planned=273, arising=361)
    # A cancelled item counts nowhere; another issuer's programme is not compared.
    Task.objects.create(
        unit=p2019.unit, programme=p2019, title="Bỏ", responsible_agency=agencies.hdnd,
        due_date=datetime.date(2019, 5, 1), status=TaskStatus.CANCELLED,
    )  # fmt: skip
    other = services.work_programme_create(
        actor=clerk, unit=agencies.hdnd.unit, year=2018, number="05/CTr-UBND", issued_on=datetime.date(2018, 1, 5),
        issuer=agencies.ubnd, title="Chương trình công tác của UBND",
    )  # fmt: skip
    _items(other, agencies.ubnd, planned=40)

    figures = programme_figures(p2019, today=TODAY)

    assert (figures["planned"], figures["arising"], figures["total"]) == (273, 361, 634)
    assert figures["done_on_time"] == 634 and figures["all_done_on_time"] is True
    assert figures["cancelled"] == 1
    (y2018, y2017) = figures["comparisons"]
    assert (y2018["year"], y2018["planned"], str(y2018["change"])) == (2018, 252, "8.3")
    assert (y2017["year"], y2017["planned"], str(y2017["change"])) == (2017, 174, "56.9")


def test_the_programme_page_shows_the_figures_and_the_comparison(client, login, agencies, clerk):
    p2018 = _programme(agencies, clerk, year=2018)
    p2019 = _programme(agencies, clerk, year=2019)
    _items(p2018, agencies.hdnd, planned=252)
    _items(p2019, agencies.hdnd, planned=273, arising=361)
    client = login(clerk)

    response = client.get(reverse("charters:programme", args=[p2019.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-figure="planned">273<' in page
    assert 'data-figure="arising">361<' in page
    assert "+8,3%" in page
    assert "Nâng cao hiệu lực, hiệu quả hoạt động của hệ thống chính trị" in page
    # Filtered by state and origin, paginated.
    response = client.get(reverse("charters:programme", args=[p2019.pk]), {"origin": "arising", "state": "overdue"})
    assert response.status_code == 200
    response = client.get(reverse("charters:programme", args=[p2019.pk]), {"origin": "x' OR 1=1", "page": "zzz"})
    assert response.status_code == 200
    assert client.get(reverse("charters:programmes")).status_code == 200


def test_the_import_page_reports_rows_and_imports(client, login, agencies, clerk, council_bodies):
    programme = _programme(agencies, clerk)
    client = login(clerk)
    url = reverse("charters:programme_import", args=[programme.pk])
    rows = _rows(planned=3, arising=2)
    rows[1][1] = "Cơ quan lạ"
    response = client.post(url, {"file": _xlsx(rows)})
    assert response.status_code == 200
    assert "Cơ quan lạ" in response.content.decode()
    assert Task.objects.count() == 0
    rows[1][1] = "Văn phòng HĐND"
    response = client.post(url, {"file": _xlsx(rows)})
    assert response.status_code == 302
    assert Task.objects.filter(programme=programme).count() == 5


def test_who_may_see_and_import(client, login, agencies, clerk, other_unit):
    from tests.factories import AgencyFactory

    programme = _programme(agencies, clerk)
    leader = member(agencies.hdnd, Role.LEADER, username="hdnd_leader_wp")
    outsider = member(AgencyFactory(unit=other_unit, kind="HDND"), Role.CLERK, username="outsider_wp")
    with pytest.raises(PermissionDenied):
        services.work_programme_import_xlsx(actor=leader, programme=programme, upload=_xlsx(_rows(1, 0)))
    assert login(leader).get(reverse("charters:programme", args=[programme.pk])).status_code == 200
    assert login(leader).get(reverse("charters:programme_import", args=[programme.pk])).status_code == 403
    assert login(outsider).get(reverse("charters:programme", args=[programme.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        _programme(agencies, outsider, year=2020)


def test_items_without_an_article_count_in_the_charters_review(agencies, clerk, council_bodies):
    charter = rf.charter_in_force(agencies)
    article = rf.article(charter, 1)
    programme = _programme(agencies, clerk, year=2025, charter=charter)
    rows = [
        ["Tiếp xúc cử tri trước kỳ họp", "Thường trực HĐND thành phố Đà Nẵng", "", "tháng 06", "", "1", ""],
        ["Giao ban quý", "Văn phòng HĐND", "", "30/09/2025", "", "", ""],
        ["Phiên giải trình", "Ban Pháp chế", "", "tháng 11", "Phát sinh", "", ""],
    ]
    report = services.work_programme_import_xlsx(actor=clerk, programme=programme, upload=_xlsx(rows))
    assert report.ok, report.errors

    stats = statistics_compute(charter, 2025, today=datetime.date(2026, 1, 20))

    assert stats["tasks"]["planned"]["total"] == 2
    assert stats["tasks"]["arising"]["total"] == 1
    by_article = {row["article_id"]: row["total"] for row in stats["tasks"]["by_article"]}
    assert by_article == {article.pk: 1, None: 2}
    # An article number the charter lacks is a row error, not a crash.
    bad = [["X", "Văn phòng HĐND", "", "tháng 06", "", "9", ""]]
    report = services.work_programme_import_xlsx(actor=clerk, programme=programme, upload=_xlsx(bad))
    assert [(row, column) for row, column, _m in report.errors] == [(2, "Điều của Quy chế")]


def test_a_programme_number_is_unique_per_unit_and_year(agencies, clerk):
    from django.core.exceptions import ValidationError

    _programme(agencies, clerk, number="01/CTr-HĐND")
    with pytest.raises(ValidationError):
        _programme(agencies, clerk, number="01/CTr-HĐND")
    assert WorkProgramme.objects.count() == 1
