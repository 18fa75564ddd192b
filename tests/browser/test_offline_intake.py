"""The batch intake at a meeting with no signal, on a phone: the network goes off mid-meeting, rows are typed,
the page is reloaded (served by the service worker), the network comes back; every row is stored exactly once,
a refused row stays on the phone with its reason; saved "all the same" (Vẫn lưu) it is stored once and leaves the
phone; and the next user of the phone sees none of it."""

import datetime

import pytest
from django.urls import reverse

from coordination.models import Role
from tests.browser.conftest import PHONE, SCREENSHOTS, assert_accessible, sign_in, sign_out
from tests.factories import member
from tests.meetings.factories import MeetingFactory
from tests.realparts import wait_until
from tests.voters.factories import PetitionFactory
from voters.models import Petition

pytestmark = pytest.mark.browser

ONLINE_ROW = ("Nguyễn Văn Hùng", "12 Lê Duẩn", "Phường Hải Châu", "Đề nghị sửa chữa kiệt 45 Lê Duẩn bị xuống cấp.")
OFFLINE_ROWS = [
    ("Trần Thị Mai", "8 Hoàng Sa", "Phường Sơn Trà", "Đề nghị bố trí thêm đèn chiếu sáng đường Hoàng Sa gần chợ."),
    ("Lê Quang Vinh", "21 Nguyễn Tri Phương", "Phường Thanh Khê", "Đề nghị đẩy nhanh cấp sổ đỏ khu tái định cư."),
]
# Raised before at another meeting: the server refuses the row until the clerk confirms it is a new petition.
REPEATED = ("Bùi Thị Ngọc", "44 Tôn Đức Thắng", "Phường Liên Chiểu", "Đề nghị xử lý mùi hôi từ bãi rác Khánh Sơn.")

SHELL_CACHED = """async (url) => {
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    if (await cache.match(url, {ignoreVary: true})) return true;
  }
  return false;
}"""

# How many rows the device keeps (IndexedDB), of any user; of the given states only when a list is passed.
DEVICE_ROWS = """(states) => new Promise((resolve, reject) => {
  const request = indexedDB.open("phoihop-intake", 1);
  request.onsuccess = () => {
    const all = request.result.transaction("rows").objectStore("rows").getAll();
    all.onsuccess = () => resolve(all.result.filter((row) => !states || states.includes(row.state)).length);
    all.onerror = () => reject(all.error);
  };
  request.onerror = () => reject(request.error);
})"""


def type_row(page, index, row):
    voter, address, locality, content = row
    page.locator(f"input[name='rows-{index}-voter_name']").focus()
    for text in (voter, address, locality):
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    page.keyboard.type(content)


def content_values(page):
    return [
        value
        for value in page.locator("#batch-rows textarea[data-col=content]").evaluate_all(
            "areas => areas.map(a => a.value)"
        )
        if value
    ]


def shoot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_rows_typed_offline_are_kept_then_stored_once_and_a_refused_row_stays(live_server, watch, agencies):
    page, base = watch.page, live_server.url
    # Offline, the page's own requests fail by design (the notifications bell, the service worker's tries).
    watch.allow(r"ERR_INTERNET_DISCONNECTED|Failed to fetch|net::ERR_FAILED")
    # The server's refusal of the repeated row (409) is logged by the browser as a failed load; it is expected.
    watch.allow(r"status of 409 \(Conflict\).*/petitions/batch/rows/")
    page.set_viewport_size(PHONE)
    context = page.context
    clerk = member(agencies.mttq, Role.CLERK, username="mttq_phone")
    meeting = MeetingFactory(
        host_agency=agencies.mttq,
        kind="voter_contact_after",
        title="Tiếp xúc cử tri sau kỳ họp tại phường Sơn Trà",
        place="Nhà văn hóa tổ 12",
        starts_at=datetime.datetime(2026, 11, 20, 7, tzinfo=datetime.UTC),
    )
    earlier = PetitionFactory(originating_agency=agencies.mttq, content=REPEATED[3])
    intake = base + reverse("voters:batch_intake") + f"?meeting={meeting.pk}"

    # Before leaving for the meeting: the clerk opens the intake page; the service worker keeps it.
    sign_in(page, base, clerk)
    page.goto(intake)
    page.evaluate("() => navigator.serviceWorker.ready")
    wait_until(lambda: page.evaluate(SHELL_CACHED, intake), timeout=20, message="the intake page kept for offline")

    # At the meeting: one row typed while the signal holds, then the network goes.
    type_row(page, 0, ONLINE_ROW)
    context.set_offline(True)
    page.keyboard.press("Enter")
    type_row(page, 1, OFFLINE_ROWS[0])
    page.keyboard.press("Enter")
    type_row(page, 2, REPEATED)
    page.keyboard.press("Enter")
    type_row(page, 3, OFFLINE_ROWS[1])
    page.locator("#batch-form button[type=submit]").last.click()  # "Save all" with no network: kept
    assert page.locator("#intake-offline-banner").is_visible()
    wait_until(
        lambda: page.locator("#batch-rows .intake-state .badge").count() == 4, message="four rows marked not sent"
    )
    assert page.locator("#batch-rows .intake-state .badge").first.inner_text() == "chưa gửi"
    assert Petition.objects.count() == 1  # only the earlier one

    # The phone locks, the browser is closed and opened again: still no network; the service worker serves the page.
    page.reload()
    assert page.locator("#batch-form").is_visible()
    wait_until(lambda: len(content_values(page)) == 4, message="the four rows back from the device")
    assert content_values(page) == [ONLINE_ROW[3], OFFLINE_ROWS[0][3], REPEATED[3], OFFLINE_ROWS[1][3]]
    assert page.input_value("input[name='rows-1-voter_name']") == OFFLINE_ROWS[0][0]
    wait_until(lambda: page.locator("#batch-rows .intake-state .badge").count() == 4, message="rows marked not sent")
    assert page.locator("#intake-queue-count").inner_text() == "4"
    shoot(page, "intake-offline-phone")
    assert_accessible(page, "intake-offline")

    # Back in signal: the rows go by themselves, each once; the repeated one is refused and stays with its reason.
    context.set_offline(False)
    wait_until(lambda: Petition.objects.filter(meeting=meeting).count() == 3, timeout=30, message="rows stored")
    wait_until(
        lambda: page.locator("#batch-rows tr.intake-refused").count() == 1, timeout=15, message="refused row shown"
    )
    refused = page.locator("#batch-rows tr.intake-refused")
    assert earlier.reference in refused.locator(".intake-reason").inner_text()
    assert refused.locator("textarea[data-col=content]").input_value() == REPEATED[3]
    # The database has the rows before the page has read every answer: wait for the page's list of sent rows.
    wait_until(lambda: page.locator("#intake-sent li").count() == 3, timeout=15, message="three rows listed as sent")
    shoot(page, "intake-back-online-phone")
    stored = sorted(Petition.objects.filter(meeting=meeting).values_list("content", flat=True))
    assert stored == sorted([ONLINE_ROW[3], OFFLINE_ROWS[0][3], OFFLINE_ROWS[1][3]])

    # Reloaded online: the refused row is still there with its reason, editable; the stored ones are not resent.
    page.reload()
    wait_until(lambda: page.locator("#batch-rows tr.intake-refused").count() == 1, message="refused row kept")
    assert earlier.reference in page.locator("#batch-rows tr.intake-refused .intake-reason").inner_text()
    assert Petition.objects.filter(meeting=meeting).count() == 3
    assert page.evaluate(DEVICE_ROWS, ["refused"]) == 1

    # The clerk checks the repeated row is a new petition and saves it all the same: stored once, gone from the phone.
    save_anyway = page.locator("#batch-rows tr.intake-refused .intake-retry")
    assert save_anyway.inner_text() == "Vẫn lưu"
    save_anyway.click()
    wait_until(lambda: Petition.objects.filter(meeting=meeting).count() == 4, timeout=30, message="the row stored")
    wait_until(lambda: page.locator("#batch-rows tr.intake-refused").count() == 0, message="the refused row gone")
    wait_until(lambda: page.evaluate(DEVICE_ROWS, None) == 0, message="nothing left on the device")
    assert Petition.objects.filter(meeting=meeting, content=REPEATED[3]).count() == 1
    wait_until(
        lambda: page.locator("#intake-sent li").filter(has_text=REPEATED[3][:40]).count() == 1,
        message="the row listed as sent",
    )
    assert page.locator("#intake-queue").is_hidden()
    # Opened again: nothing is sent twice.
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.evaluate(DEVICE_ROWS, None) == 0
    assert page.locator("#batch-rows tr.intake-refused").count() == 0
    assert Petition.objects.filter(meeting=meeting).count() == 4
    assert Petition.objects.filter(content=REPEATED[3]).count() == 2  # the earlier one and this meeting's

    # A second user of the same phone sees none of the first user's rows.
    sign_out(page)
    second = member(agencies.mttq, Role.CLERK, username="mttq_phone_2")
    sign_in(page, base, second)
    page.goto(intake)
    page.wait_for_load_state("networkidle")
    assert content_values(page) == []
    assert page.locator("#batch-rows .intake-state").count() == 0
    assert page.locator("#intake-queue").is_hidden()
