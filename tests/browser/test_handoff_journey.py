"""Every handoff of a petition reaches the side that must act, in the browser on the real stack:

forward → the lead agency's bell and "waiting for you" → acknowledge → answer → the forwarding office is
told → evaluation unsatisfactory → "re-answer requested" with a new due date and its reason → the lead
agency is told → answered again on time → the forwarding office is told again.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from coordination.deadlines import working_days_add
from tests.browser.conftest import look, sign_in, sign_out
from tests.voters.factories import PetitionFactory
from voters.models import Petition, Status

pytestmark = pytest.mark.browser


def bell_count(page):
    badge = page.locator(".notifications-bell .notifications-count")
    return int(badge.inner_text()) if badge.count() else 0


def open_newest_notification(page, base, expected_text):
    """From the bell: the newest notification says `expected_text`; opening it lands on the petition."""
    with page.expect_navigation():
        page.locator(".notifications-bell").first.click()
    assert page.url.startswith(base + reverse("notifications")), page.url
    first = page.locator("ul.notifications-list li.list-group-item:not(.bg-body-tertiary)").first
    title = first.locator("button.btn-link").inner_text()
    assert expected_text in title, f"newest notification: {title!r}, expected {expected_text!r}"
    return first


def answer(page, text):
    with page.expect_navigation():
        page.click("a[href$='/answer/']")
    page.fill("textarea[name=text]", text)
    page.fill("input[name=document_number]", "4512/UBND-TH")
    page.fill("input[name=document_date]", timezone.localdate().isoformat())
    page.select_option("select[name=outcome]", "resolved")
    with page.expect_navigation():
        page.locator("form[data-draft] button[type=submit]").last.click()
    assert "/answer/" not in page.url, page.locator("main").inner_text()


def test_each_handoff_notifies_the_side_that_must_act(live_server, watch, agencies, reference_data, clerk, ubnd_clerk):
    page, base = watch.page, live_server.url
    petition = PetitionFactory(
        originating_agency=agencies.hdnd, content="Cử tri đề nghị sửa chữa cầu treo thôn 3 đã hư hỏng nặng."
    )
    detail = base + reverse("voters:detail", args=[petition.pk])
    today = timezone.localdate()

    # --- The People's Council clerk forwards it to the People's Committee -------------------------------
    sign_in(page, base, clerk)
    page.goto(detail)
    with page.expect_navigation():
        page.click(f"a[href='{reverse('voters:forward', args=[petition.pk])}']")
    page.select_option("select[name=agency]", str(agencies.ubnd.pk))
    page.check(f"input[name=supporting_agencies][value='{agencies.department.pk}']")
    page.fill("input[name=dispatch_number]", "215/HĐND-VP")
    page.fill("input[name=dispatch_date]", today.isoformat())
    with page.expect_navigation():
        page.locator("form[data-draft] button[type=submit]").last.click()
    petition.refresh_from_db()
    assert petition.status == Status.FORWARDED, page.locator("main").inner_text()
    due = petition.due_date

    # --- The People's Committee clerk: the bell, "waiting for you", acknowledge, answer -----------------
    sign_out(page)
    sign_in(page, base, ubnd_clerk)
    assert bell_count(page) == 1, "the lead agency's bell after the forward"
    panel = page.locator("#waiting")
    assert petition.reference in panel.inner_text() and due.strftime("%d/%m/%Y") in panel.inner_text()
    look(page, "handoff-home-waiting")
    note = open_newest_notification(page, base, f"Chuyển đến {agencies.ubnd.name}: trả lời trước {due:%d/%m/%Y}")
    assert petition.voter_name not in page.locator("main").inner_text(), "no personal data in notifications"
    look(page, "handoff-notifications")
    with page.expect_navigation():
        note.locator("button.btn-link").click()
    assert page.url == detail, f"the notification opens the petition: {page.url}"
    with page.expect_navigation():
        page.locator(f"form[action='{reverse('voters:acknowledge', args=[petition.pk])}'] button").click()
    answer(page, "UBND thành phố đã giao Sở Xây dựng khảo sát, lập phương án sửa chữa.")
    assert Petition.objects.get(pk=petition.pk).status == Status.ANSWERED

    # --- The People's Council is told; it judges the answer unsatisfactory ------------------------------
    sign_out(page)
    sign_in(page, base, clerk)
    assert bell_count(page) == 1, "the forwarding office's bell after the answer"
    open_newest_notification(page, base, "đánh giá nội dung trả lời")
    page.goto(detail)
    with page.expect_navigation():
        page.click(f"a[href='{reverse('voters:evaluate', args=[petition.pk])}']")
    page.check("input[name=result][value=unsatisfactory]")
    page.fill("textarea[name=comment]", "Chưa nêu thời gian hoàn thành sửa chữa cầu.")
    with page.expect_navigation():
        page.locator("form[data-draft] button[type=submit]").last.click()
    petition.refresh_from_db()
    new_due = working_days_add(today, 15)
    assert (petition.status, petition.due_date) == (Status.REANSWER, new_due), "re-answer requested, new due date"

    # --- The People's Committee is told why and by when; it answers again on time -----------------------
    sign_out(page)
    sign_in(page, base, ubnd_clerk)
    assert bell_count(page) == 1, "the lead agency's bell after the judgement"
    open_newest_notification(page, base, f"trả lời lại trước {new_due:%d/%m/%Y}")
    look(page, "handoff-notifications-reanswer")
    page.goto(detail)
    banner = page.locator("#reanswer-request").inner_text()
    assert "Chưa nêu thời gian hoàn thành sửa chữa cầu." in banner and new_due.strftime("%d/%m/%Y") in banner
    look(page, "handoff-reanswer-requested")
    answer(page, "Sở Xây dựng sẽ hoàn thành sửa chữa cầu trong quý I năm 2027.")
    petition.refresh_from_db()
    second = petition.answers.order_by("-id").first()
    assert petition.status == Status.ANSWERED and second.is_reanswer and second.document_date <= second.due_date
    timeline = page.locator("main").inner_text()
    assert timeline.count("Trả lời lại") >= 1 and "Yêu cầu trả lời lại" in timeline, "every round stays"

    sign_out(page)
    sign_in(page, base, clerk)
    open_newest_notification(page, base, "Trả lời lại từ")
    watch.check()
