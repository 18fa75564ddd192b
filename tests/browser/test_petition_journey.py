"""Journeys 1, 2 and 4 in one story: voter contact → batch intake → forwarding → answers → dashboard.

One test, because each step needs the state the previous one left (a module-scoped scenario cannot
share rows across tests under `live_server`'s flush); every step says what it was doing in its
assertion messages, so a failure names the step.
"""

import datetime

import pytest
from django.urls import reverse

from coordination.models import Role
from meetings.models import Meeting
from tests.browser.conftest import look, sign_in, sign_out
from tests.factories import member
from tests.meetings.factories import CouncilSessionFactory
from voters.models import Petition, Status

pytestmark = pytest.mark.browser

# (voter, address, locality, content): what voters of Hải Châu and Sơn Trà raised after the session.
PETITIONS = [
    (
        "Nguyễn Văn Hùng",
        "12 Lê Duẩn",
        "Phường Hải Châu",
        "Đề nghị sửa chữa tuyến đường kiệt 45 Lê Duẩn bị xuống cấp, ngập nước khi mưa.",
    ),
    (
        "Trần Thị Mai",
        "8 Hoàng Sa",
        "Phường Sơn Trà",
        "Đề nghị bố trí thêm đèn chiếu sáng trên đường Hoàng Sa đoạn gần chợ.",
    ),
    (
        "Lê Quang Vinh",
        "21 Nguyễn Tri Phương",
        "Phường Thanh Khê",
        "Đề nghị đẩy nhanh tiến độ cấp giấy chứng nhận quyền sử dụng đất khu tái định cư.",
    ),
    (
        "Phạm Thị Hoa",
        "5 Phan Châu Trinh",
        "Phường Hải Châu",
        "Đề nghị kiểm tra việc xả nước thải của các nhà hàng ra sông Hàn.",
    ),
    (
        "Võ Minh Tuấn",
        "30 Ngô Quyền",
        "Phường An Hải",
        "Đề nghị xây dựng thêm trường mầm non công lập tại phường An Hải.",
    ),
    (
        "Huỳnh Thị Lan",
        "17 Trưng Nữ Vương",
        "Phường Hòa Cường",
        "Đề nghị tăng cường kiểm tra an toàn thực phẩm tại các bếp ăn tập thể.",
    ),
    (
        "Đặng Văn Sơn",
        "9 Điện Biên Phủ",
        "Phường Thanh Khê",
        "Đề nghị giải quyết dứt điểm việc lấn chiếm vỉa hè trên đường Điện Biên Phủ.",
    ),
    (
        "Bùi Thị Ngọc",
        "44 Tôn Đức Thắng",
        "Phường Liên Chiểu",
        "Đề nghị có phương án xử lý mùi hôi từ bãi rác Khánh Sơn.",
    ),
    (
        "Ngô Đức Anh",
        "3 Lê Văn Hiến",
        "Phường Ngũ Hành Sơn",
        "Đề nghị hỗ trợ hộ nghèo sửa chữa nhà ở trước mùa mưa bão.",
    ),
    (
        "Trương Thị Thu",
        "60 Cách Mạng Tháng Tám",
        "Phường Cẩm Lệ",
        "Đề nghị nâng cấp trạm y tế phường, bổ sung bác sĩ khám bệnh buổi tối.",
    ),
]
MISSING_CONTENT_ROW = 6  # the seventh row: the clerk typed the voter but not what they said
TO_UBND = 7  # the first seven go to UBND, the last three to the Department of Construction


def type_row(page, row):
    """Type one row with the keyboard, from the voter-name cell: Tab between cells."""
    voter, address, locality, content = row
    page.keyboard.type(voter)
    page.keyboard.press("Tab")
    page.keyboard.type(address)
    page.keyboard.press("Tab")
    page.keyboard.type(locality)
    page.keyboard.press("Tab")
    page.keyboard.type(content)


def list_rows(page):
    return page.locator("table.petition-table tbody tr").count()


def submit(page, form_selector):
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").last.click()


@pytest.fixture
def people(agencies, reference_data, clerk, leader, mttq_clerk, ubnd_clerk):
    return {
        "mttq": mttq_clerk,
        "ubnd": ubnd_clerk,
        "hdnd": clerk,
        "leader": leader,
        "department": member(agencies.department, Role.CLERK, username="sxd_clerk"),
    }


def test_voter_contact_petitions_from_intake_to_the_dashboard(live_server, watch, agencies, people):
    page, base = watch.page, live_server.url
    session = CouncilSessionFactory(
        host_agency=agencies.hdnd,
        title="Kỳ họp thứ 30 HĐND thành phố Đà Nẵng khóa X",
        starts_at=datetime.datetime(2026, 11, 10, 8, tzinfo=datetime.UTC),
    )

    # --- Journey 1: the Front's clerk records the meeting and enters its petitions ------------------
    page.goto(base + reverse("login"))
    look(page, "login")
    sign_in(page, base, people["mttq"])
    look(page, "home")

    page.goto(base + reverse("meetings:create"))
    look(page, "meeting-create")
    page.fill("input[name=title]", "Tiếp xúc cử tri sau Kỳ họp thứ 30 tại phường Hải Châu")
    page.select_option("select[name=kind]", "voter_contact_after")
    page.check(f"input[name=participating_agencies][value='{agencies.hdnd.pk}']")
    page.fill("input[name=starts_at]", "2026-11-20T14:00")
    page.fill("input[name=place]", "Hội trường UBND phường Hải Châu")
    page.select_option("select[name=session]", str(session.pk))
    submit(page, "form.meeting-form")
    meeting = Meeting.objects.filter(kind="voter_contact_after").first()
    assert meeting is not None, f"recording the meeting: no meeting saved; page {page.url}"
    assert meeting.host_agency == agencies.mttq and meeting.session == session
    assert page.url.endswith(reverse("meetings:detail", args=[meeting.pk])), page.url
    look(page, "meeting-detail")

    page.goto(base + reverse("voters:batch_intake") + f"?meeting={meeting.pk}")
    look(page, "batch-intake")
    page.locator("input[name='rows-0-voter_name']").focus()
    for index, row in enumerate(PETITIONS):
        if index == MISSING_CONTENT_ROW:
            type_row(page, (*row[:3], ""))
        else:
            type_row(page, row)
        if index < len(PETITIONS) - 1:
            page.keyboard.press("Enter")  # next row; the table grows past its five blank rows
            focused = page.evaluate("document.activeElement.name")
            assert focused == f"rows-{index + 1}-voter_name", (
                f"batch intake: Enter on row {index + 1} went to {focused}"
            )
    assert page.locator("#batch-rows tr.batch-row").count() == len(PETITIONS)
    submit(page, "#batch-form")

    assert Petition.objects.count() == 0, "batch intake: a batch with an invalid row must save nothing"
    assert page.locator("#batch-form .alert-danger").is_visible(), page.locator("main").inner_text()
    bad = page.locator("#batch-rows tr.batch-row").nth(MISSING_CONTENT_ROW)
    assert "table-danger-subtle" in (bad.get_attribute("class") or "")
    for index, (voter, _address, _locality, content) in enumerate(PETITIONS):
        assert page.input_value(f"input[name='rows-{index}-voter_name']") == voter, (
            f"batch intake: row {index + 1} lost"
        )
        if index != MISSING_CONTENT_ROW:
            assert page.input_value(f"textarea[name='rows-{index}-content']") == content
    page.locator(f"textarea[name='rows-{MISSING_CONTENT_ROW}-content']").focus()
    page.keyboard.type(PETITIONS[MISSING_CONTENT_ROW][3])
    submit(page, "#batch-form")

    petitions = list(Petition.objects.filter(meeting=meeting).order_by("id"))
    assert [petition.content for petition in petitions] == [row[3] for row in PETITIONS], "batch intake: saved rows"
    assert {petition.originating_agency_id for petition in petitions} == {agencies.mttq.pk}
    assert {petition.received_on for petition in petitions} == {datetime.date(2026, 11, 20)}
    # The batch's receipts: each row's reference and lookup code, shown once; then on to the meeting's list.
    receipts = page.locator(".receipt tbody tr")
    assert receipts.count() == len(PETITIONS), f"receipts after the batch: {page.url}"
    assert receipts.first.inner_text().split()[1] == petitions[0].reference
    look(page, "batch-receipts")
    with page.expect_navigation():
        page.locator("p.d-print-none a.btn-link").click()
    assert list_rows(page) == len(PETITIONS), f"list after the batch: {page.url}"
    look(page, "petition-list")

    def forward_ticked(ids, agency, dispatch, name=None):
        for pk in ids:
            page.check(f"input.bulk-item[value='{pk}']")
        with page.expect_navigation():
            page.click("#bulk-forward")
        if name:
            look(page, name)
        page.select_option("select[name=agency]", str(agency.pk))
        page.fill("input[name=dispatch_number]", dispatch)
        # Dispatched the day after the meeting, so that the answers of 24/11 come after it (the records refuse
        # an answer dated before its dispatch).
        page.fill("input[name=dispatch_date]", "21/11/2026")
        submit(page, "form[data-once]")

    forward_ticked([p.pk for p in petitions[:TO_UBND]], agencies.ubnd, "112/MTTQ-BTT", name="petition-bulk-forward")
    forward_ticked([p.pk for p in petitions[TO_UBND:]], agencies.department, "113/MTTQ-BTT")
    leads = list(Petition.objects.filter(meeting=meeting).order_by("id").values_list("status", "lead_agency_id"))
    assert leads == [(Status.FORWARDED, agencies.ubnd.pk)] * TO_UBND + [(Status.FORWARDED, agencies.department.pk)] * (
        len(PETITIONS) - TO_UBND
    ), "forwarding: each petition to its lead agency"

    # --- Journey 2: UBND answers three, returns one; it is re-forwarded; one answer is rejected ------
    sign_out(page)
    sign_in(page, base, people["ubnd"])
    page.goto(base + reverse("voters:list") + "?status=forwarded")
    shown = page.locator("table.petition-table").inner_text()
    for petition in petitions[:TO_UBND]:
        assert petition.reference in shown, f"UBND's list: {petition.reference} missing"

    for number, petition in enumerate(petitions[:3], start=1):
        page.click(f"table.petition-table a[href='{reverse('voters:detail', args=[petition.pk])}'] >> nth=0")
        if number == 1:
            look(page, "petition-detail")
        with page.expect_navigation():
            page.click(f"a[href='{reverse('voters:answer', args=[petition.pk])}']")
        if number == 1:
            look(page, "petition-answer")
        page.fill("textarea[name=text]", f"UBND thành phố đã giao các sở, ngành xử lý; kết quả lần {number}.")
        page.fill("input[name=document_number]", f"{4500 + number}/UBND-TH")
        page.fill("input[name=document_date]", "2026-11-24")
        page.select_option("select[name=outcome]", "resolved")
        submit(page, "form[data-draft]")
        assert "/answer/" not in page.url, f"answering {petition.reference}: {page.url}"
        page.goto(base + reverse("voters:list") + "?status=forwarded")
    assert Petition.objects.filter(pk__in=[p.pk for p in petitions[:3]], status=Status.ANSWERED).count() == 3

    returned = petitions[3]
    page.goto(base + reverse("voters:detail", args=[returned.pk]))
    with page.expect_navigation():
        page.click(f"a[href='{reverse('voters:return', args=[returned.pk])}']")
    page.fill(
        "textarea[name=reason]",
        "Việc xử lý nước thải của nhà hàng thuộc thẩm quyền Sở Nông nghiệp và Môi trường, đề nghị chuyển đúng cơ quan.",
    )
    submit(page, "form[data-draft]")
    returned.refresh_from_db()
    assert returned.status == Status.RETURNED, "returning as wrong authority"

    # The office that took the petition in (here the Front) sends it again; the People's Council clerk
    # may too (see the test below).
    sign_out(page)
    sign_in(page, base, people["mttq"])
    page.goto(base + reverse("voters:detail", args=[returned.pk]))
    assert "thẩm quyền Sở Nông nghiệp" in page.locator("main").inner_text(), "the return reason is shown"
    with page.expect_navigation():
        page.click(f"a[href='{reverse('voters:reforward', args=[returned.pk])}']")
    page.select_option("select[name=agency]", str(agencies.department.pk))
    page.fill("input[name=dispatch_number]", "120/MTTQ-BTT")
    submit(page, "form[data-draft]")
    returned.refresh_from_db()
    assert (returned.status, returned.lead_agency_id) == (Status.FORWARDED, agencies.department.pk), "re-forwarding"

    sign_out(page)
    sign_in(page, base, people["hdnd"])
    rejected = petitions[0]
    page.goto(base + reverse("voters:detail", args=[rejected.pk]))
    with page.expect_navigation():
        page.click(f"a[href='{reverse('voters:evaluate', args=[rejected.pk])}']")
    look(page, "petition-evaluate")
    page.check("input[name=result][value=unsatisfactory]")
    page.fill("textarea[name=comment]", "Trả lời chưa nêu thời gian hoàn thành sửa chữa tuyến đường.")
    submit(page, "form[data-draft]")
    rejected.refresh_from_db()
    assert rejected.status == Status.REANSWER and rejected.flagged_for_supervision, "unsatisfactory: re-answer"

    # --- Journey 4: the leader reads the dashboard; each number opens the list it counts ------------
    sign_out(page)
    sign_in(page, base, people["leader"])
    page.goto(base + reverse("dashboard"))
    look(page, "dashboard")
    measures = page.locator("dl.dash-measures > div")
    # Received, forwarded, answered, answered on time, answered late, overdue now, returned, unsatisfactory.
    figures = [measures.nth(index).locator("dd").inner_text().strip() for index in range(8)]
    assert figures[0] == "10", f"dashboard: received {figures}"
    assert figures[1] == "10", f"dashboard: forwarded {figures}"
    assert figures[2] == "2", f"dashboard: answered (three, one reopened) {figures}"
    assert figures[6] == "1", f"dashboard: returned as wrong authority {figures}"
    assert figures[7] == "1", f"dashboard: answers judged unsatisfactory {figures}"
    for index in (0, 2, 6, 7):
        page.goto(base + reverse("dashboard"))
        link = page.locator("dl.dash-measures > div").nth(index).locator("a.figure-link")
        with page.expect_navigation():
            link.click()
        assert list_rows(page) == int(figures[index]), f"dashboard figure {index} ({figures[index]}) opens {page.url}"
    watch.check()


def test_the_peoples_council_clerk_reforwards_a_petition_the_front_took_in(live_server, watch, agencies, people):
    from tests.voters.factories import PetitionFactory
    from voters import services

    page, base = watch.page, live_server.url
    petition = PetitionFactory(originating_agency=agencies.mttq)
    services.petition_forward(
        actor=people["mttq"],
        petition=petition,
        agency=agencies.ubnd,
        dispatch_number="112/MTTQ-BTT",
        dispatch_date=datetime.date(2026, 11, 20),
    )
    petition.refresh_from_db()
    services.petition_return(actor=people["ubnd"], petition=petition, reason="Không thuộc thẩm quyền UBND.")
    sign_in(page, base, people["hdnd"])
    page.goto(base + reverse("voters:detail", args=[petition.pk]))
    assert page.locator(f"a[href='{reverse('voters:reforward', args=[petition.pk])}']").count() == 1
