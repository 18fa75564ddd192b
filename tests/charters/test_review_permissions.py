"""Every review URL for every role: party secretariat drafts and prints, leaders approve, clerks read,
non-party agencies of the unit get 403, other units 404, anonymous users the login page."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from charters.reviews.models import ReportFile, ReportStatus, ReviewStatus, report_storage
from charters.reviews.services import review_submit
from tests.charters.review_fixtures import *  # noqa: F403

READ = "read"
DRAFT = "draft"


def _urls(review):
    pk = review.pk
    return {
        "detail": ("get", reverse("charters:review_detail", args=[pk]), READ),
        "version": ("get", reverse("charters:review_version", args=[pk, 1]), READ),
        "files": ("get", reverse("charters:review_report_files", args=[pk]), READ),
        "create": ("get", reverse("charters:review_create", args=[review.charter_id]), DRAFT),
        "edit": ("post", reverse("charters:review_edit", args=[pk]), DRAFT),
        "refresh": ("post", reverse("charters:review_action", args=[pk, "refresh"]), DRAFT),
        "print": ("post", reverse("charters:review_report_request", args=[pk]), DRAFT),
    }


EXPECTED = {
    # role: (status for READ urls, status for DRAFT urls)
    "secretariat": ({200}, {200, 302}),
    "leader": ({200}, {403}),
    "clerk": ({200}, {403}),
    "department_clerk": ({403}, {403}),
    "outsider": ({404}, {404}),
    "site_admin": ({200}, {200, 302}),
}


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("name", ["detail", "version", "files", "create", "edit", "refresh", "print"])
def test_every_review_url_for_every_role(request, client, review, role, name, django_capture_on_commit_callbacks):
    user = request.getfixturevalue(role)
    client.force_login(user)
    method, url, kind = _urls(review)[name]
    data = {"version": review.version} if method == "post" else None
    with django_capture_on_commit_callbacks(execute=False):
        response = getattr(client, method)(url, data)
    allowed = EXPECTED[role][0 if kind == READ else 1]
    assert response.status_code in allowed


@pytest.mark.smoke
def test_anonymous_users_are_sent_to_login(client, review):
    response = client.get(reverse("charters:review_detail", args=[review.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_only_a_party_leader_sees_and_uses_the_approve_button(client, review, secretariat, leader, clerk):
    review_submit(actor=secretariat, review=review, version=review.version)
    url = reverse("charters:review_approve", args=[review.pk])
    client.force_login(clerk)
    assert client.post(url).status_code == 403
    client.force_login(leader)
    page = client.get(reverse("charters:review_detail", args=[review.pk]))
    assert url in page.content.decode()
    assert client.post(url).status_code == 302
    review.refresh_from_db()
    assert review.approvals.count() == 1
    assert review.status == ReviewStatus.SUBMITTED
    # Approving twice for the same agency is refused (the button is gone).
    assert client.post(url).status_code == 403


def test_review_list_shows_only_reviews_of_the_users_charters(client, review, clerk, outsider):
    client.force_login(clerk)
    assert (
        reverse("charters:review_detail", args=[review.pk])
        in client.get(reverse("charters:review_list")).content.decode()
    )
    client.force_login(outsider)
    page = client.get(reverse("charters:review_list"))
    assert page.status_code == 200
    assert reverse("charters:review_detail", args=[review.pk]) not in page.content.decode()


def test_download_is_permission_checked_with_a_safe_file_name(client, review, clerk, outsider, department_clerk):
    version = review.versions.get(number=1)
    name = report_storage.save("charters/reports/test.pdf", ContentFile(b"%PDF-1.7 test"))
    report = ReportFile.objects.create(review=review, source_version=version, status=ReportStatus.READY, file=name)
    url = reverse("charters:review_report_download", args=[review.pk, report.pk])

    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(department_clerk)
    assert client.get(url).status_code == 403
    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="bao-cao-so-ket-2025-v1-{report.pk}.pdf"' in disposition
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"


def test_a_file_of_another_review_is_not_reachable_through_this_one(client, review, secretariat, clerk):
    version = review.versions.get(number=1)
    report = ReportFile.objects.create(review=review, source_version=version, status=ReportStatus.QUEUED)
    client.force_login(clerk)
    assert client.get(reverse("charters:review_report_download", args=[review.pk + 1, report.pk])).status_code == 404
    # Not ready yet: nothing to download.
    assert client.get(reverse("charters:review_report_download", args=[review.pk, report.pk])).status_code == 404


def test_pending_files_fragment_polls_every_two_seconds_and_stops_when_done(client, review, clerk):
    version = review.versions.get(number=1)
    report = ReportFile.objects.create(review=review, source_version=version, status=ReportStatus.RENDERING)
    client.force_login(clerk)
    url = reverse("charters:review_report_files", args=[review.pk])
    body = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in body
    assert f'hx-get="{url}"' in body
    ReportFile.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, error="OSError: disk full")
    body = client.get(url).content.decode()
    assert "hx-trigger" not in body
    assert "OSError: disk full" in body
