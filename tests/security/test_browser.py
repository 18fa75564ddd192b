"""In headless Chromium: the pages satisfy the Content-Security-Policy, and a draft survives an expired session."""

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.realparts import wait_until
from voters.models import Answer

pytestmark = pytest.mark.browser

# Runs in every page before its scripts: records CSP violations where the test can read them.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI + " " + (event.sourceFile || "")
    + ":" + event.lineNumber + " " + (event.sample || ""));
});
"""


class PageWatch:
    """Console errors, failed requests and CSP violations of one browser page."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        page.add_init_script(CSP_LISTENER)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda request: self.problems.append(f"request failed: {request.url}"))
        page.on("response", self._response)

    def _response(self, response):
        if response.status >= 400:
            self.problems.append(f"{response.status} for {response.url} (page {self.page.url})")

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def visit(self, url):
        response = self.page.goto(url)
        assert response is not None and response.status < 400, f"{url}: {response and response.status}"
        self.page.wait_for_load_state("networkidle")
        for violation in self.page.evaluate("window.__cspViolations"):
            self.problems.append(f"CSP violation on {url}: {violation}")
        return response


# The key of the first draft in this browser's localStorage whose fields hold every one of `values` (null if none).
FIND_DRAFT = """(values) => Object.keys(localStorage).find((key) => {
  if (!key.startsWith("phoihop-draft:")) return false;
  const stored = Object.values((JSON.parse(localStorage.getItem(key)) || {}).fields || {}).flat();
  return values.every((value) => stored.includes(value));
}) || null"""


# How many rows the batch intake keeps on the device (IndexedDB "phoihop-intake", store "rows"). Neither this nor
# CLEAR_ROWS opens the database before the page has created it (with its store): that would create it empty.
STORED_ROWS = """async n => {
    if (!(await indexedDB.databases()).some((d) => d.name === "phoihop-intake")) return false;
    const db = await new Promise((ok, no) => {
        const r = indexedDB.open("phoihop-intake");
        r.onsuccess = () => ok(r.result);
        r.onerror = () => no(r.error);
    });
    if (!db.objectStoreNames.contains("rows")) return false;
    const count = await new Promise((ok, no) => {
        const r = db.transaction("rows").objectStore("rows").count();
        r.onsuccess = () => ok(r.result);
        r.onerror = () => no(r.error);
    });
    db.close();
    return count >= n;
}"""


CLEAR_ROWS = """async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === "phoihop-intake")) return;
    const db = await new Promise((ok, no) => {
        const r = indexedDB.open("phoihop-intake");
        r.onsuccess = () => ok(r.result);
        r.onerror = () => no(r.error);
    });
    if (db.objectStoreNames.contains("rows")) {
        await new Promise((ok, no) => {
            const tx = db.transaction("rows", "readwrite");
            tx.objectStore("rows").clear();
            tx.oncomplete = () => ok();
            tx.onerror = () => no(tx.error);
        });
    }
    db.close();
}"""


# The intake page's user and meeting, whether a service worker serves it, the table's rows and every row kept on
# the device (user, meeting, state, content): printed when the restored rows do not appear.
DEVICE_STATE = """async () => {
    const panel = document.getElementById("intake-offline");
    const meeting = document.querySelector('[name="batch-meeting"]');
    const state = {
        user: panel && panel.dataset.user, meeting: meeting && meeting.value,
        controlled: !!(navigator.serviceWorker && navigator.serviceWorker.controller),
        table: [...document.querySelectorAll("#batch-rows tr.batch-row")].map((row) => [
            (row.querySelector("[data-col=client_key]") || {}).value, row.dataset.state,
            (row.querySelector("textarea[data-col=content]") || {}).value]),
    };
    if (!(await indexedDB.databases()).some((d) => d.name === "phoihop-intake")) return JSON.stringify(state);
    const db = await new Promise((ok, no) => {
        const r = indexedDB.open("phoihop-intake");
        r.onsuccess = () => ok(r.result);
        r.onerror = () => no(r.error);
    });
    state.device = await new Promise((ok, no) => {
        const r = db.transaction("rows").objectStore("rows").getAll();
        r.onsuccess = () => ok(r.result.map((row) => [row.key, row.user, row.meeting, row.state, row.content]));
        r.onerror = () => no(r.error);
    });
    db.close();
    return JSON.stringify(state);
}"""


def stored_draft(page, *values):
    """Wait until the page has saved a draft holding `values` (drafts.js writes it 300 ms after the last
    keystroke) and return its localStorage key, `phoihop-draft:<user id>:<form>`."""
    return page.wait_for_function(FIND_DRAFT, arg=list(values), timeout=10_000).json_value()


def sign_in(page, base_url, user):
    page.goto(base_url + reverse("login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form [type=submit]")
    # A click does not wait for the navigation it starts (Playwright >= 1.46): wait for the condition itself,
    # the browser having left the sign-in page.
    page.wait_for_url(lambda url: reverse("login") not in url)
    page.wait_for_load_state("networkidle")


def test_the_pages_of_every_app_satisfy_the_content_security_policy(live_server, page, world, clerk, secretariat):
    watch = PageWatch(page)
    base = live_server.url
    watch.visit(base + reverse("login"))
    sign_in(page, base, clerk)
    w = world
    pages = [
        reverse("home"),
        reverse("dashboard"),
        reverse("dashboard_documents"),
        reverse("notifications"),
        reverse("profile"),
        reverse("password_change"),
        reverse("voters:list"),
        reverse("voters:create"),
        reverse("voters:batch_intake"),
        reverse("voters:import"),
        reverse("voters:detail", args=[w.received.pk]),
        reverse("voters:detail", args=[w.answered.pk]),
        reverse("voters:forward", args=[w.received.pk]),
        reverse("voters:evaluate", args=[w.answered.pk]),
        reverse("meetings:list"),
        reverse("meetings:calendar"),
        reverse("meetings:calendar_feed_settings"),
        reverse("meetings:create"),
        reverse("meetings:detail", args=[w.session.pk]),
        reverse("meetings:edit", args=[w.session.pk]),
        reverse("meetings:minutes", args=[w.session.pk]),
        reverse("charters:list"),
        reverse("charters:create"),
        reverse("charters:detail", args=[w.charter.pk]),
        reverse("charters:edit", args=[w.charter.pk]),
        reverse("charters:article", args=[w.charter.pk, w.article.pk]),
        reverse("charters:obligation_edit", args=[w.charter.pk, w.obligation.pk]),
        reverse("charters:detail", args=[w.in_force.pk]),
        reverse("charters:tasks"),
        reverse("charters:task_create"),
        reverse("charters:task", args=[w.task.pk]),
        reverse("charters:review_list"),
        reverse("charters:review_detail", args=[w.review.pk]),
    ]
    for path in pages:
        watch.visit(base + path)
    # The secretariat's pages of the annual review (drafting form, figures).
    page.context.clear_cookies()
    sign_in(page, base, secretariat)
    watch.visit(base + reverse("charters:review_create", args=[w.in_force.pk]))
    watch.visit(base + reverse("charters:review_detail", args=[w.review.pk]))

    assert not watch.problems, "\n".join(watch.problems)


def test_an_answer_typed_after_the_session_expired_is_restored_after_signing_in_again(live_server, page, world):
    w = world
    base = live_server.url
    answer_url = base + reverse("voters:answer", args=[w.forwarded.pk])
    text = "Sở Xây dựng đã khảo sát tuyến đường; dự kiến sửa chữa trong quý I năm 2027 bằng nguồn vốn duy tu."
    watch = PageWatch(page)
    sign_in(page, base, w.department_clerk)
    watch.visit(answer_url)
    page.fill("textarea[name=text]", text)
    page.fill("input[name=document_number]", "789/SXD-QLĐT")
    page.select_option("select[name=outcome]", "resolved")
    stored_draft(page, text, "789/SXD-QLĐT", "resolved")

    # The session ends on the server (idle timeout) while the clerk is still typing.
    Session.objects.all().delete()
    page.click("form[data-draft] [type=submit]")
    page.wait_for_url(lambda url: url.startswith(base + reverse("login")))
    page.wait_for_load_state("networkidle")
    assert not Answer.objects.filter(petition=w.forwarded).exists()

    page.fill("input[name=username]", w.department_clerk.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form [type=submit]")
    page.wait_for_url(answer_url)  # signed in, then sent back to the answer form
    page.wait_for_load_state("networkidle")

    assert page.url == answer_url
    assert page.input_value("textarea[name=text]") == text
    assert page.input_value("input[name=document_number]") == "789/SXD-QLĐT"
    notice = page.locator("[data-draft-notice]")
    assert notice.is_visible()
    assert "Đã khôi phục bản nháp chưa gửi" in notice.inner_text()

    with page.expect_navigation():
        page.click("form[data-draft] [type=submit]")
    page.wait_for_load_state("networkidle")
    answer = Answer.objects.get(petition=w.forwarded)
    assert answer.text == text
    # The server confirmed the save: the draft is gone, the empty form is not filled again.
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('phoihop-draft:')).length") == 0
    assert not watch.problems, "\n".join(watch.problems)


def test_a_restored_draft_can_be_discarded(live_server, page, world):
    w = world
    base = live_server.url
    url = base + reverse("voters:forward", args=[w.received.pk])
    sign_in(page, base, w.department_clerk.__class__.objects.get(username="hdnd_clerk"))
    page.goto(url)
    page.fill("input[name=dispatch_number]", "200/HĐND-VP")
    stored_draft(page, "200/HĐND-VP")
    page.goto(url)
    assert page.input_value("input[name=dispatch_number]") == "200/HĐND-VP"

    page.click("[data-draft-discard]")
    expect(page.locator("input[name=dispatch_number]")).to_have_value("")
    expect(page.locator("[data-draft-notice]")).to_have_count(0)
    assert page.evaluate(FIND_DRAFT, ["200/HĐND-VP"]) is None
    page.goto(url)
    assert page.input_value("input[name=dispatch_number]") == ""


def test_another_user_of_the_same_browser_never_sees_the_draft(live_server, page, world, clerk, leader):
    w = world
    base = live_server.url
    url = base + reverse("voters:forward", args=[w.received.pk])
    sign_in(page, base, clerk)
    page.goto(url)
    page.fill("input[name=dispatch_number]", "201/HĐND-VP")
    # The first user's draft really is in this browser: what follows proves it is kept from the second user.
    key = stored_draft(page, "201/HĐND-VP")
    assert key.startswith(f"phoihop-draft:{clerk.pk}:"), key
    page.context.clear_cookies()  # the session ends without signing out

    sign_in(page, base, leader)
    page.goto(url)
    assert page.evaluate(FIND_DRAFT, ["201/HĐND-VP"]) == key  # still stored, under the first user
    assert page.input_value("input[name=dispatch_number]") == ""
    assert page.locator("[data-draft-notice]").count() == 0


def test_a_long_batch_intake_is_restored_with_the_rows_added_in_the_browser(live_server, page, world, clerk):
    """The rows typed in the batch intake are kept on the device (IndexedDB, static/voters/intake-offline.js), so
    a session that expires meanwhile loses nothing: after signing in again, every row, those added in the
    browser too, is back in the form."""
    base = live_server.url
    url = base + reverse("voters:batch_intake")
    sign_in(page, base, clerk)
    page.goto(url)
    # The browser may keep rows of an earlier test on this origin (whose user had the same id): start empty.
    page.evaluate(CLEAR_ROWS)
    page.reload()
    rendered = page.locator("tr.batch-row").count()
    typed = [f"Cử tri tổ dân phố {index + 1} kiến nghị sửa đường" for index in range(rendered + 2)]
    for index, text in enumerate(typed):
        if index >= rendered:
            page.click("#batch-add")
        page.fill(f"textarea[name='rows-{index}-content']", text)
    # Polled from here: wait_for_function takes the Promise an async predicate returns as a truthy answer and
    # returns at once, so the test went on before the rows were stored (and the navigation below lost them).
    wait_until(lambda: page.evaluate(STORED_ROWS, len(typed)), timeout=10, message="the typed rows on the device")

    Session.objects.all().delete()
    page.goto(url)  # the expired session sends the clerk to sign in, then back to the page
    assert page.url.startswith(base + reverse("login"))
    page.fill("input[name=username]", clerk.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form [type=submit]")
    page.wait_for_url(url)  # signed in, then sent back to the intake page
    page.wait_for_load_state("networkidle")

    assert page.url == url
    try:
        page.wait_for_function(
            "n => [...document.querySelectorAll('#batch-rows textarea[data-col=content]')].filter(a => a.value)"
            ".length >= n",
            arg=len(typed),
            timeout=10_000,
        )
    except PlaywrightTimeoutError:
        # What the page and the device held when the rows did not come back (for the intermittent failure).
        pytest.fail(f"rows not restored after signing in again; the page and the device: {page.evaluate(DEVICE_STATE)}")
    restored = page.locator("#batch-rows textarea[data-col=content]").evaluate_all("areas => areas.map(a => a.value)")
    assert [value for value in restored if value] == typed
