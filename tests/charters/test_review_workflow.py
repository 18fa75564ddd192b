"""A review is generated with frozen figures, edited with optimistic locking, submitted and approved by every party."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from charters.reviews.models import AnnualReview, ReviewApproval, ReviewStatus, ReviewVersion
from charters.reviews.services import (
    ReviewConflict,
    review_approve,
    review_create,
    review_return,
    review_stats_refresh,
    review_submit,
    review_update,
)
from coordination.models import AuditEvent
from tests.charters import review_factories as rf
from tests.charters.review_fixtures import *  # noqa: F403
from tests.charters.review_fixtures import TODAY


@pytest.mark.smoke
def test_generated_review_has_frozen_figures_and_prefilled_sentences(review, year_data):
    assert review.status == ReviewStatus.DRAFT
    assert review.stats["petitions"]["received"] == 7
    assert review.symbol == "BC-HĐND-UBND-MTTQ"
    assert review.place == "Đà Nẵng"
    assert "Kết quả thực hiện Quy chế phối hợp công tác năm 2025" in review.summary
    # The narrative carries the figures in sentences the secretariat can edit.
    assert "tổng số ý kiến, kiến nghị cử tri tiếp nhận là 7" in review.results
    assert "Còn 1 kiến nghị cử tri quá hạn" in review.shortcomings
    assert ReviewVersion.objects.filter(review=review, number=1, action="create").exists()
    assert AuditEvent.objects.filter(object_id=str(review.pk), action="create").exists()


def test_later_data_does_not_change_a_generated_review(review, year_data, agencies):
    frozen = review.stats["petitions"]["received"]
    for _ in range(3):
        rf.petition(year_data.unit, agencies.hdnd, received=date(2025, 10, 1))
    review.refresh_from_db()
    assert review.stats["petitions"]["received"] == frozen == 7
    version = ReviewVersion.objects.get(review=review, number=1)
    assert version.data["stats"]["petitions"]["received"] == 7


def test_recomputing_a_draft_takes_the_new_data_and_keeps_the_text(review, year_data, agencies, secretariat):
    review_update(actor=secretariat, review=review, version=review.version, results="Văn bản do Văn phòng viết.")
    review.refresh_from_db()
    rf.petition(year_data.unit, agencies.hdnd, received=date(2025, 10, 1))
    review = review_stats_refresh(actor=secretariat, review=review, version=review.version, today=TODAY)
    assert review.stats["petitions"]["received"] == 8
    assert review.results == "Văn bản do Văn phòng viết."
    assert list(review.versions.values_list("number", flat=True)) == [3, 2, 1]


def test_the_same_form_submitted_twice_creates_one_review(year_data, secretariat):
    first = review_create(actor=secretariat, charter=year_data, year=2025, idempotency_token="tok-1", today=TODAY)
    second = review_create(actor=secretariat, charter=year_data, year=2025, idempotency_token="tok-1", today=TODAY)
    assert first.pk == second.pk
    assert AnnualReview.objects.count() == 1


def test_a_second_review_of_the_same_year_is_refused(review, year_data, secretariat):
    with pytest.raises(ValidationError):
        review_create(actor=secretariat, charter=year_data, year=2025, today=TODAY)


def test_stale_version_is_a_conflict_and_changes_nothing(review, secretariat):
    review_update(actor=secretariat, review=review, version=1, shortcomings="Bản thứ nhất")
    with pytest.raises(ReviewConflict):
        review_update(actor=secretariat, review=review, version=1, shortcomings="Bản cũ ghi đè")
    review.refresh_from_db()
    assert review.shortcomings == "Bản thứ nhất"
    assert review.version == 2


def test_submitted_review_is_approved_when_every_party_leader_approves(
    review, secretariat, leader, ubnd_leader, mttq_leader, agencies
):
    review = review_submit(actor=secretariat, review=review, version=review.version)
    assert review.status == ReviewStatus.SUBMITTED
    with pytest.raises(ValidationError):
        review_update(actor=secretariat, review=review, version=review.version, causes="x")

    review_approve(actor=leader, review=review, agency=agencies.hdnd)
    review_approve(actor=ubnd_leader, review=review, agency=agencies.ubnd)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    with pytest.raises(ValidationError):
        review_approve(actor=leader, review=review, agency=agencies.hdnd)

    review_approve(actor=mttq_leader, review=review, agency=agencies.mttq)
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED
    assert review.approved_at is not None
    assert ReviewApproval.objects.filter(review=review).count() == 3
    assert review.versions.first().action == "approve"


def test_an_agency_that_is_not_a_party_cannot_approve(review, secretariat, agencies, leader):
    review = review_submit(actor=secretariat, review=review, version=review.version)
    with pytest.raises(ValidationError):
        review_approve(actor=leader, review=review, agency=agencies.department)


def test_returning_a_review_withdraws_approvals_and_reopens_the_draft(review, secretariat, leader, agencies):
    review = review_submit(actor=secretariat, review=review, version=review.version)
    review_approve(actor=leader, review=review, agency=agencies.hdnd)
    review.refresh_from_db()
    review = review_return(actor=leader, review=review, version=review.version, reason="Bổ sung số liệu giám sát")
    assert review.status == ReviewStatus.DRAFT
    assert not ReviewApproval.objects.filter(review=review).exists()
    event = AuditEvent.objects.filter(object_id=str(review.pk), action="return").get()
    assert event.changes["approvals_withdrawn"] == [agencies.hdnd.name]


def test_submitting_needs_the_main_sections(review, secretariat):
    review = review_update(actor=secretariat, review=review, version=review.version, shortcomings="")
    with pytest.raises(ValidationError):
        review_submit(actor=secretariat, review=review, version=review.version)


def test_a_report_symbol_must_start_with_bc(review, secretariat):
    with pytest.raises(ValidationError) as error:
        review_update(actor=secretariat, review=review, version=review.version, symbol="QĐ-UBND")
    assert "symbol" in error.value.message_dict
