"""The benchmark's page list and export measurement work on a small data set (what `bench/run.py` runs at 1M)."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from bench.loadgen import load_data_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(agencies, other_agency, reference_data):
    load_data_generate(petitions=150, meetings=20, tasks=20, seed=5, today=timezone.localdate())


def test_every_benchmarked_page_answers_as_expected_for_every_scope(generated, clerk, site_admin, client):
    from bench import inprocess

    for user in (clerk, site_admin):
        urls, _facts = inprocess.page_urls(user)
        assert {"search_common", "search_rare", "search_reference", "dashboard_range", "ical_feed_304"} <= set(urls)
        client.force_login(user)
        for name, spec in urls.items():
            if name.startswith("floor") or "/None/" in spec["url"]:
                continue  # the bench's own URLs (bench.urls, not mounted here); no charter in this data set
            response = client.get(spec["url"], headers=spec["headers"])
            assert response.status_code == spec["expect"], (user, name, spec)
        client.logout()


def test_benchmark_export_prints_time_and_memory(generated, site_admin):
    for fmt in ("xlsx", "csv"):
        out = io.StringIO()
        call_command("benchmark_export", "--user", site_admin.username, "--format", fmt, "--rows", "100", stdout=out)
        line = next(line for line in out.getvalue().splitlines() if line.startswith("BENCH_JSON "))
        result = json.loads(line.removeprefix("BENCH_JSON "))
        assert result["rows"] == 100 and result["format"] == fmt
        assert result["seconds"] >= 0 and result["peak_rss_mb"] > 0
