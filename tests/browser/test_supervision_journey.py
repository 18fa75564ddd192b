"""A supervision programme end to end in the browser, on the real stack: the council's clerk plans it → asks
the People's Committee for its report → the Committee's clerk is notified → the report comes in late → a
post-supervision recommendation → the Committee marks it done; its figures then appear on the dashboard and
in the annual review."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from charters.reviews.models import AnnualReview
from charters.reviews.report import supervision_sentence
from supervision.models import Recommendation, ReportRequest, SupervisionProgramme
from tests.browser.conftest import look, sign_in, sign_out

pytestmark = pytest.mark.browser

SUBJECT = "Việc thực hiện chính sách, pháp luật về quản lý chợ truyền thống"


def vn(day):
    return day.strftime("%d/%m/%Y")


def submit(page):
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()


def bell_count(page):
    badge = page.locator(".notifications-bell .notifications-count")
    return int(badge.inner_text()) if badge.count() else 0


def test_a_supervision_programme_from_plan_to_recommendation_done(
    live_server, watch, agencies, reference_data, clerk, secretariat, ubnd_clerk, charter
):
    page, base = watch.page, live_server.url
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=20), today + datetime.timedelta(days=10)

    # --- The council's clerk plans the programme -----------------------------------------------------------
    sign_in(page, base, clerk)
    page.goto(base + reverse("supervision:list"))
    look(page, "supervision-list-empty")
    with page.expect_navigation():
        page.click(f"a[href='{reverse('supervision:create')}'] >> nth=0")
    page.select_option("select[name=supervising_agency]", str(agencies.hdnd.pk))
    page.fill("input[name=subject]", SUBJECT)
    page.fill("textarea[name=members]", "Phó Chủ tịch HĐND (Trưởng đoàn); Trưởng Ban Kinh tế - Ngân sách")
    page.check(f"input[name=supervised_agencies][value='{agencies.ubnd.pk}']")
    page.fill("input[name=period_start]", vn(start))
    page.fill("input[name=period_end]", vn(end))
    page.fill("input[name=plan_number]", "15/KH-HĐND")
    look(page, "supervision-form", fresh_phone=False)
    submit(page)
    programme = SupervisionProgramme.objects.get(subject=SUBJECT)
    detail = base + reverse("supervision:detail", args=[programme.pk])
    assert page.url == detail, page.locator("main").inner_text()
    assert programme.period_start == start and list(programme.supervised_agencies.all()) == [agencies.ubnd]

    # --- It asks the People's Committee for a report, due three days ago (the request was sent earlier) ---
    requested, due = today - datetime.timedelta(days=10), today - datetime.timedelta(days=3)
    with page.expect_navigation():
        page.click(f"a[href='{reverse('supervision:report_request', args=[programme.pk])}']")
    page.select_option("select[name=agency]", str(agencies.ubnd.pk))
    page.fill("textarea[name=content]", "Báo cáo kết quả quản lý, khai thác chợ giai đoạn 2021–2026")
    page.fill("input[name=document_number]", "215/HĐND-VP")
    page.fill("input[name=requested_on]", vn(requested))
    page.fill("input[name=due_date]", vn(due))
    submit(page)
    report = ReportRequest.objects.get(programme=programme)
    assert (report.agency, report.due_date, report.received_on) == (agencies.ubnd, due, None)

    # --- The People's Committee's clerk is notified ---------------------------------------------------------
    sign_out(page)
    sign_in(page, base, ubnd_clerk)
    assert bell_count(page) == 1, "the supervised body's bell after the request"
    with page.expect_navigation():
        page.locator(".notifications-bell").first.click()
    note = page.locator("ul.notifications-list li.list-group-item:not(.bg-body-tertiary)").first.inner_text()
    assert SUBJECT in note and vn(due) in note, note
    page.goto(detail)
    assert "Quá hạn" in page.locator("#reports").inner_text(), "not received and past its due date"

    # --- The report comes in today: late -------------------------------------------------------------------
    sign_out(page)
    sign_in(page, base, clerk)
    page.goto(detail)
    with page.expect_navigation():
        page.click(f"a[href='{reverse('supervision:report_receive', args=[report.pk])}']")
    page.fill("input[name=received_on]", vn(today))
    page.fill("input[name=received_document]", "512/BC-UBND")
    submit(page)
    report.refresh_from_db()
    assert report.received_on == today and report.is_late
    assert f"Nhận chậm ngày {vn(today)}" in page.locator("#reports").inner_text()

    # --- A post-supervision recommendation to the People's Committee ----------------------------------------
    with page.expect_navigation():
        page.click(f"a[href='{reverse('supervision:recommendation_create', args=[programme.pk])}']")
    page.fill("textarea[name=text]", "Rà soát, sắp xếp lại các chợ xuống cấp; báo cáo HĐND tại kỳ họp giữa năm.")
    page.select_option("select[name=responsible_agency]", str(agencies.ubnd.pk))
    page.fill("input[name=due_date]", vn(today + datetime.timedelta(days=30)))
    submit(page)
    recommendation = Recommendation.objects.get(programme=programme)
    look(page, "supervision-detail")

    # --- The People's Committee is told, and marks it done ---------------------------------------------------
    sign_out(page)
    sign_in(page, base, ubnd_clerk)
    assert bell_count(page) == 2, "the request and now the recommendation"
    page.goto(detail)
    with page.expect_navigation():
        page.click(f"a[href='{reverse('supervision:recommendation_done', args=[recommendation.pk])}']")
    page.fill("input[name=done_on]", vn(today))
    page.fill("textarea[name=result]", "Đã ban hành kế hoạch sắp xếp 12 chợ.")
    submit(page)
    recommendation.refresh_from_db()
    assert recommendation.status == "done" and recommendation.done_on == today
    assert "Đã thực hiện ngày" in page.locator("#recommendations").inner_text()

    # --- The figures on the dashboard ------------------------------------------------------------------------
    sign_out(page)
    sign_in(page, base, secretariat)
    page.goto(base + reverse("dashboard") + f"?year={today.year}")
    panel = page.locator("#supervision")

    def figure(container, name):
        return container.locator(f"[data-figure={name}]").inner_text().strip()

    assert figure(panel, "programmes_held") == "1"
    assert (figure(panel, "reports_on_time"), figure(panel, "reports_late")) == ("0", "1")
    assert (figure(panel, "recommendations_done"), figure(panel, "recommendations_overdue")) == ("1", "0")

    # --- and in the annual review --------------------------------------------------------------------------
    page.goto(base + reverse("charters:review_create", args=[charter.pk]))
    page.fill("input[name=year]", str(today.year))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    review = AnnualReview.objects.get(charter=charter, year=today.year)
    section = page.locator("#review-supervision")
    assert figure(section, "programmes_held") == "1" and figure(section, "reports_late") == "1"
    assert figure(section, "recommendations_done") == "1"
    assert review.stats["supervision"]["reports_late"] == 1
    sentence = supervision_sentence(review.stats["supervision"])
    assert sentence.startswith("Tổ chức 1 cuộc giám sát chuyên đề") and "1 báo cáo gửi chậm" in sentence
    look(page, "supervision-review")
    watch.check()
