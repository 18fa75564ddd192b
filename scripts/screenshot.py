"""Screenshots of pages as a signed-in user: `python scripts/screenshot.py /path ... --user NAME --base URL --out DIR`.

Signs in through the login form (demo password), optionally switches the interface language,
then saves a laptop (1366x900) and a phone (390x844) full-page PNG of each path and prints the
browser console errors and failed requests, so a page that "looks fine" but logs errors is noticed.
"""

import argparse
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "demo-phoihop-2026"  # noqa: S105 - the documented demo password, not a secret
VIEWPORTS = {"laptop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def slug(path):
    name = re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")
    return name or "root"


def record_console(message, bag):
    # Failed loads are reported with their URL by record_response; the console line has none.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        bag.append(f"console: {message.text}")


def record_response(response, bag):
    # The page itself may legitimately answer 403/404; its sub-resources (CSS, JS, fonts, htmx) may not.
    if response.status >= 400 and response.request.resource_type != "document":
        bag.append(f"HTTP {response.status}: {response.request.resource_type} {response.url}")


def record_failure(request, bag):
    # ERR_ABORTED is a load the browser cancelled itself (the page moved on), not a broken resource.
    if request.failure and "ERR_ABORTED" not in request.failure:
        bag.append(f"request failed ({request.failure}): {request.url}")


def sign_in(page, base, user, password):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form [type=submit]:not([name=language])")
    if "/accounts/login/" in page.url:
        raise SystemExit(f"sign-in as {user!r} failed (still on {page.url})")


def choose_language(page, base, language):
    """POST to set_language from the page's own switcher form, as a user would."""
    page.goto(f"{base}/accounts/login/" if page.url == "about:blank" else page.url)
    selector = f"form[action$='/i18n/setlang/'] button[name=language][value={language}]"
    # A programmatic click: on a phone the switcher sits in the collapsed menu.
    with page.expect_navigation():
        page.evaluate("(selector) => document.querySelector(selector).click()", selector)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="URL paths such as / or /petitions/")
    parser.add_argument("--user", help="user name to sign in as (omit for anonymous pages)")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="screenshots")
    parser.add_argument("--lang", choices=["vi", "en"], help="switch the interface language after signing in")
    parser.add_argument("--only", choices=sorted(VIEWPORTS), help="one viewport only")
    parser.add_argument("--prefix", default="", help="prefix for the file names")
    args = parser.parse_args(argv)

    base = args.base.rstrip("/")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    problems = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for viewport_name, viewport in VIEWPORTS.items():
            if args.only and viewport_name != args.only:
                continue
            context = browser.new_context(
                viewport=viewport,
                device_scale_factor=1,
                is_mobile=viewport_name == "phone",
                has_touch=viewport_name == "phone",
                locale="vi-VN",
            )
            page = context.new_page()
            messages = []
            page.on("console", lambda msg, bag=messages: record_console(msg, bag))
            page.on("pageerror", lambda exc, bag=messages: bag.append(f"page error: {exc}"))
            page.on("requestfailed", lambda req, bag=messages: record_failure(req, bag))
            page.on("response", lambda resp, bag=messages: record_response(resp, bag))
            if args.user:
                sign_in(page, base, args.user, args.password)
            if args.lang:
                choose_language(page, base, args.lang)
            for path in args.paths:
                messages.clear()
                response = page.goto(f"{base}{path}", wait_until="networkidle")
                status = response.status if response else "?"
                name = f"{args.prefix}{slug(path)}{'-' + args.lang if args.lang else ''}-{viewport_name}.png"
                page.screenshot(path=str(out / name), full_page=True)
                print(f"{status} {path} -> {out / name}")
                for message in messages:
                    problems += 1
                    print(f"    {message}")
            context.close()
        browser.close()
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
