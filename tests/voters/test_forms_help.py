"""Forms that help: empty choices that say what to choose, dates as dd/mm/yyyy in every language, an error
summary linking to each field, counters on long texts, and links that point at the address really served."""

import datetime
import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from coordination.widgets import DateInput

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_no_page_offers_djangos_dashes(login, clerk, leader, agencies):
    client = login(clerk)
    for url in (
        reverse("voters:list"),
        reverse("voters:create"),
        reverse("voters:batch_intake"),
        reverse("meetings:list"),
        reverse("meetings:create"),
        reverse("charters:list"),
        reverse("charters:tasks"),
    ):
        page = client.get(url).content.decode()
        assert "---------" not in page, url
    petitions = client.get(reverse("voters:list")).content.decode()
    assert ">Tất cả trạng thái</option>" in petitions  # a filter: "all …"
    assert ">— Chọn cấp thẩm quyền —</option>" in client.get(reverse("voters:create")).content.decode()


def test_dates_are_text_in_day_month_year_order_in_english_too(login, clerk):
    clerk.language = "en"
    clerk.save(update_fields=["language"])
    client = login(clerk)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("voters:create"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    field = re.search(r'<input[^>]*name="received_on"[^>]*>', page).group(0)
    assert 'type="text"' in field and 'inputmode="numeric"' in field
    assert re.search(r'value="\d{2}/\d{2}/\d{4}"', field)
    with translation.override("en"):
        assert DateInput().format_value(datetime.date(2026, 11, 5)) == "05/11/2026"


def test_error_summary_lists_each_error_with_a_link_to_its_field(login, clerk):
    response = login(clerk).post(reverse("voters:create"), {"content": "", "received_on": "31/02/2026"})
    page = response.content.decode()
    start = page.index("data-error-summary")
    summary = page[start : page.index("</ul>", start)]
    assert 'href="#id_content"' in summary and 'href="#id_received_on"' in summary
    assert 'tabindex="-1"' in page[start - 200 : start]


def test_crispy_forms_get_the_summary_too(login, department_clerk, forwarded):
    response = login(department_clerk).post(
        reverse("voters:answer", args=[forwarded.pk]), {"version": forwarded.version, "text": "", "outcome": ""}
    )
    page = response.content.decode()
    assert page.count("data-error-summary") == 1
    assert 'href="#id_text"' in page and 'href="#id_document_date"' in page


def test_long_texts_have_a_limit_and_a_counter(login, clerk):
    page = login(clerk).get(reverse("voters:create")).content.decode()
    content = re.search(r"<textarea[^>]*name=\"content\"[^>]*>", page).group(0)
    assert 'maxlength="4000"' in content and "data-counter" in content


def test_make_run_serves_links_at_its_own_port():
    output = subprocess.run(
        ["make", "-n", "run", "DEV_PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    runserver = next(line for line in output.splitlines() if "runserver" in line)
    assert "SITE_URL=http://127.0.0.1:8123" in runserver and "127.0.0.1:8123" in runserver
