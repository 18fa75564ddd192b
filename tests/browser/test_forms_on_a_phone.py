"""A phone (390 px wide): the petition list shows whole texts with nothing cut at the screen's edge and its
tap targets are at least 44 px; a form with errors opens on its error summary, whose links reach the fields."""

import pytest
from django.urls import reverse

from tests.browser.conftest import look, sign_in
from tests.voters.factories import PetitionFactory

pytestmark = pytest.mark.browser

LONG = (
    "Cử tri phường Hải Châu kiến nghị sớm sửa chữa tuyến đường Nguyễn Văn Linh đoạn trước chợ, "
    "mặt đường xuống cấp nghiêm trọng, nhiều ổ gà gây mất an toàn giao thông vào giờ cao điểm."
)


def test_the_petition_list_fits_a_phone(live_server, watch, clerk, agencies):
    PetitionFactory(originating_agency=agencies.hdnd, content=LONG)
    page, base = watch.page, live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, clerk)
    page.goto(base + reverse("voters:list"))
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing scrolls sideways"
    cell = page.locator("td.petition-content").first
    box = cell.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, "the text stays on screen"
    assert page.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1", cell.element_handle()), "no text cut off"
    small = page.evaluate(
        """() => Array.from(document.querySelectorAll(
              '.petition-table a, .petition-table label.touch-check, .petition-quick a, .filter-card button,'
              + ' .filter-card select, .filter-card a.btn, .pagination a'))
            .filter((el) => el.offsetParent !== null)
            .map((el) => [el.textContent.trim().slice(0, 30), el.getBoundingClientRect().height])
            .filter(([, height]) => height < 44)"""
    )
    assert small == [], f"tap targets under 44 px: {small}"
    look(page, "petition-list-phone")


def test_a_form_with_errors_opens_on_its_summary(live_server, watch, clerk, agencies):
    page, base = watch.page, live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, clerk)
    page.goto(base + reverse("voters:create"))
    page.fill("#id_received_on", "")
    with page.expect_navigation():
        page.locator("form[data-once] button[type=submit]").click()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')"), "the summary takes the focus"
    # The similar petitions come before the Save button on a phone.
    similar = page.locator("#similar-box").bounding_box()
    save = page.locator("form[data-once] button[type=submit]").bounding_box()
    assert similar["y"] < save["y"]
    page.click("[data-error-summary] a[data-error-link='id_content']")
    assert page.evaluate("document.activeElement.id") == "id_content"
    look(page, "petition-form-errors")


def test_the_meeting_picker_narrows_as_you_type_and_sets_the_date(live_server, watch, clerk, agencies):
    from tests.meetings.factories import MeetingFactory, local_datetime

    MeetingFactory(host_agency=agencies.hdnd, title="Tiếp xúc cử tri phường Hải Châu", place="Nhà văn hóa Hải Châu")
    held = MeetingFactory(
        host_agency=agencies.hdnd,
        title="Tiếp xúc cử tri phường Thanh Khê",
        place="Hội trường Thanh Khê",
        starts_at=local_datetime(2026, 11, 20, 14),
    )
    page, base = watch.page, live_server.url
    sign_in(page, base, clerk)
    page.goto(base + reverse("voters:create"))
    page.fill("#id_received_on", "")
    page.fill(".select-search", "thanh khe")  # no accents typed
    shown = page.eval_on_selector_all("#id_meeting option", "os => os.filter((o) => !o.hidden && o.value).length")
    assert shown == 1
    assert page.input_value("#id_meeting") == str(held.pk), "the only match is chosen"
    assert page.input_value("#id_received_on") == "20/11/2026", "the meeting's day fills the date received"
