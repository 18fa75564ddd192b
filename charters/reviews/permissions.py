"""Who may see, draft, approve and print a charter's reviews, on top of `coordination.permissions`.

Reading: every member of a party agency (clerks, leaders, secretariat) and site administrators; members of
other agencies of the same unit get 403; other units get 404. Drafting, recomputing the figures, submitting
and rendering PDFs: the secretariat of a party agency. Approving or returning a submitted review: a party's
leader (one approval per party agency).
"""

from django.shortcuts import get_object_or_404

from coordination.models import Role
from coordination.permissions import agency_of, ensure, ensure_unit_visible, is_site_admin, role_of

from .models import AnnualReview, ReportFile, ReviewStatus


def _party_ids(charter):
    cached = getattr(charter, "_review_party_ids", None)
    if cached is None:
        cached = frozenset(charter.party_links.values_list("agency_id", flat=True))
        charter._review_party_ids = cached
    return cached


def _party_role(user, charter, *roles):
    agency = agency_of(user)
    return agency is not None and agency.pk in _party_ids(charter) and (not roles or role_of(user) in roles)


def can_read_reviews(user, charter):
    return is_site_admin(user) or _party_role(user, charter)


def can_draft_review(user, charter):
    """Create a review, edit a draft, recompute its figures, submit it, render PDFs."""
    return is_site_admin(user) or _party_role(user, charter, Role.SECRETARIAT)


def can_edit_review(user, review):
    return review.status == ReviewStatus.DRAFT and can_draft_review(user, review.charter)


def can_render_review(user, review):
    return can_draft_review(user, review.charter)


def is_party_leader(user, charter):
    """A leader of a party agency, whatever the review's state (the services refuse a wrong state, or a second
    approval, with their own message)."""
    return _party_role(user, charter, Role.LEADER)


def can_approve_review(user, review):
    """A party's leader whose agency has not approved yet (site administrators do not approve for a party)."""
    if review.status != ReviewStatus.SUBMITTED or not is_party_leader(user, review.charter):
        return False
    agency = agency_of(user)
    return not any(approval.agency_id == agency.pk for approval in review.approvals.all())


def can_return_review(user, review):
    return review.status == ReviewStatus.SUBMITTED and is_party_leader(user, review.charter)


def can_record_signed_copy(user, review):
    """The secretariat records a party's paper approval (signed copy) while the review waits for approvals."""
    if review.status != ReviewStatus.SUBMITTED or not can_draft_review(user, review.charter):
        return False
    approved = {approval.agency_id for approval in review.approvals.all()}
    return bool(_party_ids(review.charter) - approved)


def can_reopen_review(user, review):
    """An approved review is reopened (as a new version, the approved one kept) by a party's secretariat."""
    return review.status == ReviewStatus.APPROVED and can_draft_review(user, review.charter)


def charter_reviews_for(user, charter):
    """404 for another unit's charter, 403 for a non-party member of the same unit."""
    ensure_unit_visible(user, charter.unit_id)
    ensure(can_read_reviews(user, charter))
    return charter


REVIEW_ACTIONS = {
    "read": None,
    "edit": can_edit_review,
    "render": can_render_review,
    "approve": can_approve_review,
    "return": can_return_review,
    "record_signed_copy": can_record_signed_copy,
    "reopen": can_reopen_review,
}


def review_for(user, pk, *, action="read", queryset=None):
    """Fetch a review and authorize `action` in one call (404 other units, 403 missing right)."""
    queryset = queryset if queryset is not None else AnnualReview.objects.all()
    review = get_object_or_404(
        queryset.select_related("charter__unit", "charter__term").prefetch_related("approvals"), pk=pk
    )
    charter_reviews_for(user, review.charter)
    check = REVIEW_ACTIONS[action]
    if check is not None:
        ensure(check(user, review))
    return review


def report_file_for(user, review_pk, pk):
    """A report file of a review the user may read; files of other units answer 404."""
    review = review_for(user, review_pk)
    return get_object_or_404(ReportFile.objects.select_related("source_version", "review"), review=review, pk=pk)
