"""Browser journeys: a watched page (console errors, CSP violations), keyboard sign-in, screenshots and axe-core.

The browser itself (Debian's /usr/bin/chromium through Playwright) and the real Celery worker come from
`tests/realparts.py`; this module adds what every journey needs around them:

- `watch` (fixture): the page of `page`, with every console error, uncaught exception and
  Content-Security-Policy violation recorded; the test fails at teardown if any occurred. A violation is
  reported to Python the moment it happens (an exposed binding), so none is lost when the page navigates.
- `sign_in(page, base, user)`: through the real login page, typing with the keyboard, Enter to submit.
- `look(page, name)`: screenshots at laptop (1366) and phone (390) width under `screenshots/e2e/` (the page
  must not scroll sideways on the phone), and an axe-core audit that fails on any serious or critical
  violation. `E2E_AXE_LOG=/tmp/axe.log` logs the violations of every page instead of failing at the first one
  (for a round of template fixes; never set in `make test`).
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.charters.review_fixtures import charter, year_data  # noqa: F401 - the annual report's year of records
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent.parent
SCREENSHOTS = ROOT / "screenshots" / "e2e"
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
BLOCKING_IMPACTS = ("serious", "critical")

# Runs in every document before its own scripts (init scripts are not subject to the page's CSP).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.__reportCspViolation([event.violatedDirective, event.blockedURI, (event.sourceFile || "") + ":"
    + event.lineNumber, event.sample || ""].join(" "));
});
"""


class PageWatch:
    """What went wrong in one page's life: console errors, page errors, CSP violations."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        self.allowed = []  # regular expressions of console messages a test expects (e.g. its own 404)
        page.expose_binding("__reportCspViolation", self._csp)
        page.add_init_script(CSP_LISTENER)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error on {page.url}: {error}"))

    def _csp(self, source, text):
        self.problems.append(f"CSP violation on {source['frame'].url}: {text}")

    def _console(self, message):
        if message.type != "error":
            return
        text = f"{message.text} ({message.location.get('url', '')})"
        if any(re.search(pattern, text) for pattern in self.allowed):
            return
        self.problems.append(f"console error on {self.page.url}: {text}")

    def allow(self, pattern):
        """Do not count console errors matching `pattern` (a regular expression)."""
        self.allowed.append(pattern)

    def check(self):
        problems, self.problems = self.problems, []
        assert not problems, "\n".join(problems)


@pytest.fixture
def watch(page):
    """The test's page, watched; the test fails if the page logged an error or broke the CSP."""
    page.set_default_timeout(15_000)
    watcher = PageWatch(page)
    yield watcher
    if watcher.problems:
        pytest.fail("problems in the browser:\n" + "\n".join(watcher.problems), pytrace=False)


def sign_in(page, base, user, password=PASSWORD):
    """Sign in through the login page with the keyboard: type the name, Tab, type the password, Enter."""
    page.goto(base + reverse("login"))
    page.locator("input[name=username]").focus()
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url, f"sign-in of {user.username} failed: {page.url}"


def sign_out(page):
    page.context.clear_cookies()


# The outermost elements that stick out past the right edge of the window, outside any scrolling box
# (a wide table inside .table-responsive scrolls on its own and is fine).
OVERFLOW_PROBE = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const scrolls = (element) => ["auto", "scroll", "hidden"].includes(getComputedStyle(element).overflowX);
  const found = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    let parent = element.parentElement, contained = false, reported = false;
    while (parent && parent !== document.body) {
      if (scrolls(parent)) { contained = true; break; }
      if (found.some((item) => item.element === parent)) { reported = true; break; }
      parent = parent.parentElement;
    }
    if (!contained && !reported) found.push({element, right: Math.round(box.right)});
  }
  if (!found.length) {
    return ["the document is " + document.documentElement.scrollWidth + " px wide (an absolutely positioned element"
      + " escaping a scroll box?)"];
  }
  return found.slice(0, 8).map(({element, right}) =>
    element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
    + (typeof element.className === "string" && element.className.trim()
      ? "." + element.className.trim().split(/\\s+/).join(".") : "")
    + " right=" + right + "px");
}"""


def screenshot(page, name, fresh_phone=True):
    """Full-page screenshots at laptop and phone width; returns what makes the page scroll sideways on the phone.

    The phone view is a fresh load of the same URL in a phone-sized page of the same session (a resized
    laptop page can keep a layout a phone never gets); pass fresh_phone=False for a page that answered a
    POST, which is then resized instead of reloaded."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-laptop.png"), full_page=True)
    if fresh_phone:
        phone = page.context.new_page()
        phone.set_viewport_size(PHONE)
        phone.goto(page.url)
        phone.wait_for_load_state("networkidle")
    else:
        phone = page
        phone.set_viewport_size(PHONE)
    try:
        # Let resize observers (Chart.js) lay the page out for the width.
        phone.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
        overflow = phone.evaluate(OVERFLOW_PROBE)
        phone.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=True)
    finally:
        if fresh_phone:
            phone.close()
        else:
            page.set_viewport_size(LAPTOP)
    return overflow


def axe_violations(page):
    """axe-core's serious and critical violations on the page as it is now (WCAG 2.1 A/AA rules)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: not an inline script, so the page's CSP does not apply.
        page.evaluate(AXE_SOURCE)
    results = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
            resultTypes: ["violations"],
        })"""
    )
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:10],
            "why": (violation["nodes"][0].get("failureSummary") or "")[:300],
        }
        for violation in results["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def assert_accessible(page, name):
    violations = axe_violations(page)
    if violations and os.environ.get("E2E_AXE_LOG"):
        # While fixing templates: log every page's violations to a file and go on.
        with open(os.environ["E2E_AXE_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{name} {page.url}\n{json.dumps(violations, ensure_ascii=False, indent=1)}\n")
        return
    assert not violations, f"axe-core on {name} ({page.url}):\n" + json.dumps(violations, ensure_ascii=False, indent=1)


def look(page, name, fresh_phone=True):
    """A main page: wait for it to settle, screenshot it at both widths, audit it with axe-core."""
    page.wait_for_load_state("networkidle")
    overflow = screenshot(page, name, fresh_phone=fresh_phone)
    assert not overflow, f"{name} ({page.url}) scrolls sideways on a phone (390 px); what sticks out:\n" + "\n".join(
        overflow
    )
    assert_accessible(page, name)
