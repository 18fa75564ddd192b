"""The review pages cost the same number of queries with one row as with many."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from charters.reviews.models import ReportFile, ReportStatus
from charters.reviews.services import review_create, review_update
from tests.charters.review_fixtures import *  # noqa: F403
from tests.charters.review_fixtures import TODAY


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_review_list_queries_do_not_grow_with_reviews(client, review, year_data, secretariat):
    client.force_login(secretariat)
    url = reverse("charters:review_list")
    one = _count(client, url)
    for year in range(2018, 2025):
        review_create(actor=secretariat, charter=year_data, year=year, today=TODAY)
    assert _count(client, url) == one


def test_review_detail_queries_do_not_grow_with_versions_and_files(client, review, secretariat):
    client.force_login(secretariat)
    url = reverse("charters:review_detail", args=[review.pk])
    ReportFile.objects.create(review=review, source_version=review.versions.get(), status=ReportStatus.QUEUED)
    one = _count(client, url)
    for index in range(10):
        review.refresh_from_db()
        review_update(actor=secretariat, review=review, version=review.version, causes=f"Nguyên nhân {index}")
        ReportFile.objects.create(
            review=review, source_version=review.versions.first(), status=ReportStatus.FAILED, error="x"
        )
    assert _count(client, url) == one
