"""Journeys 3, 6 and 7: an Excel import with a bad row, the language switch, and another unit's petition by URL."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.browser.conftest import look, sign_in
from tests.voters.factories import PetitionFactory
from voters.importing import COLUMNS
from voters.models import Petition

pytestmark = pytest.mark.browser

IMPORTED = [
    ("Đề nghị nạo vét kênh thoát nước khu dân cư tổ 12 trước mùa mưa.", "Môi trường", "Nguyễn Thị Hạnh"),
    ("Đề nghị lắp đặt biển báo giảm tốc trước cổng trường tiểu học.", "Hạ tầng, giao thông", "Phan Văn Lộc"),
    ("Đề nghị xem xét chế độ trợ cấp cho người cao tuổi neo đơn.", "Chính sách xã hội", "Lê Thị Kim"),
    ("Đề nghị cấp đổi sổ đỏ cho các hộ dân khu tái định cư Hòa Minh.", "Đất đai", "Trần Văn Bình"),
]
BAD_ROW = 3  # the third petition (sheet row 4) has a date nobody can read


def workbook_bytes(template, received_texts):
    """The downloaded template with one petition per row, filled by its own column headers."""
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [header for _key, header, _required in COLUMNS], "the template's columns"
    column = {header: index for index, header in enumerate(headers, start=1)}
    for offset, ((content, field, voter), received) in enumerate(zip(IMPORTED, received_texts, strict=True), start=2):
        sheet.cell(row=offset, column=column["Ngày tiếp nhận"], value=received)
        sheet.cell(row=offset, column=column["Nguồn"], value="Tiếp công dân")
        sheet.cell(row=offset, column=column["Họ tên cử tri"], value=voter)
        sheet.cell(row=offset, column=column["Nội dung"], value=content)
        sheet.cell(row=offset, column=column["Lĩnh vực"], value=field)
        sheet.cell(row=offset, column=column["Loại"], value="Kiến nghị")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_clerk_imports_petitions_from_excel_after_fixing_the_reported_row(live_server, watch, clerk, tmp_path):
    page, base = watch.page, live_server.url
    sign_in(page, base, clerk)
    page.goto(base + reverse("voters:list"))
    with page.expect_navigation():
        page.click(f"a[href='{reverse('voters:import')}']")
    look(page, "petition-import")
    with page.expect_download() as download:
        page.click(f"a[href='{reverse('voters:import_template')}']")
    template = download.value.path().read_bytes()

    dates = [datetime.date(2026, 11, 3), "04/11/2026", "31/02/2026", datetime.date(2026, 11, 5)]
    wrong = tmp_path / "kien-nghi-thang-11.xlsx"
    wrong.write_bytes(workbook_bytes(template, dates))
    page.set_input_files("input[type=file]", str(wrong))
    with page.expect_navigation():
        page.click("form[data-once] button[type=submit]")
    assert Petition.objects.count() == 0, "an import with a bad row must import nothing"
    report = page.locator("section[aria-labelledby=report-title]")
    assert report.is_visible(), page.locator("main").inner_text()
    rows = report.locator("tbody tr")
    assert rows.count() == 1, report.inner_text()
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[0] == str(BAD_ROW + 1) and cells[1] == "Ngày tiếp nhận", cells
    look(page, "petition-import-errors", fresh_phone=False)

    dates[BAD_ROW - 1] = "18/11/2026"  # the clerk checks the paper record: 18/11, not 31/02
    fixed = tmp_path / "kien-nghi-thang-11-da-sua.xlsx"
    fixed.write_bytes(workbook_bytes(template, dates))
    page.set_input_files("input[type=file]", str(fixed))
    with page.expect_navigation():
        page.click("form[data-once] button[type=submit]")
    # The import lands on the receipts of what it recorded (references and lookup codes, shown once), then the list.
    assert page.url == base + reverse("voters:intake_receipts"), page.locator("main").inner_text()
    assert page.locator("main table tbody tr").count() == len(IMPORTED)
    with page.expect_navigation():
        page.locator(f"main a[href^='{reverse('voters:list')}']").last.click()
    assert page.url.startswith(base + reverse("voters:list")), page.locator("main").inner_text()
    saved = list(Petition.objects.order_by("id").values_list("content", "received_on", "source", "field"))
    assert [row[0] for row in saved] == [row[0] for row in IMPORTED]
    assert saved[BAD_ROW - 1][1] == datetime.date(2026, 11, 18)
    assert {row[2] for row in saved} == {"reception"}
    assert [row[3] for row in saved] == ["environment", "infrastructure", "social_policy", "land"]
    assert page.locator("table.petition-table tbody tr").count() == len(IMPORTED)
    watch.check()


def test_a_user_switches_the_interface_to_english_and_back(live_server, watch, clerk):
    page, base = watch.page, live_server.url
    sign_in(page, base, clerk)
    page.goto(base + reverse("voters:list"))
    assert page.locator("html").get_attribute("lang") == "vi"
    assert "Kiến nghị cử tri" in page.locator("h1").inner_text()

    with page.expect_navigation():
        page.click("form.nav-lang button[value=en]")
    assert page.url.endswith(reverse("voters:list")), "the switch stays on the page"
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Voter petitions" in page.locator("h1").inner_text()
    page.goto(base + reverse("meetings:list"))
    assert page.locator("html").get_attribute("lang") == "en", "the choice holds on the next page"
    look(page, "meeting-list-english")

    with page.expect_navigation():
        page.click("form.nav-lang button[value=vi]")
    page.goto(base + reverse("profile"))
    look(page, "profile")
    page.goto(base + reverse("notifications"))
    look(page, "notifications")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.goto(base + reverse("voters:list"))
    assert "Kiến nghị cử tri" in page.locator("h1").inner_text()
    watch.check()


def test_a_clerk_of_another_unit_opening_a_petition_by_url_gets_the_not_found_page(
    live_server, watch, agencies, outsider
):
    page, base = watch.page, live_server.url
    petition = PetitionFactory(originating_agency=agencies.hdnd, voter_name="Nguyễn Văn Bảo")
    url = reverse("voters:detail", args=[petition.pk])
    watch.allow(r"status of 404")  # Chromium logs the refused page itself as a failed resource
    sign_in(page, base, outsider)
    response = page.goto(base + url)
    assert response.status == 404
    text = page.locator("body").inner_text()
    assert "Nguyễn Văn Bảo" not in text and petition.content not in text
    assert "Không tìm thấy" in text, text
    for action in ("answer", "forward", "evaluate"):
        assert page.goto(base + reverse(f"voters:{action}", args=[petition.pk])).status == 404, action
    watch.check()
