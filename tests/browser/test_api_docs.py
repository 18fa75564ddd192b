"""The read API's documentation page (Redoc) in Chromium: it renders every endpoint with no console error and no
Content-Security-Policy violation (Redoc's remote logo used to be blocked on every visit)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


def test_the_api_docs_render_under_the_sites_policy(live_server, watch):
    page = watch.page
    page.goto(live_server.url + reverse("api:docs"))
    page.get_by_text("API docs by Redocly").wait_for()
    for endpoint in ("/api/v1/units/", "/api/v1/petitions/"):
        page.get_by_text(endpoint).first.wait_for(state="attached")
    assert page.locator("img[src*='cdn.redoc.ly']").count() == 0
    page.wait_for_load_state("networkidle")  # the watch fixture then fails the test on any violation or error
