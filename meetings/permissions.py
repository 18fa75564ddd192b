"""Who may see and change meetings, built on `coordination.permissions`.

Decisions: everyone whose visible units include the meeting's unit reads it (the four bodies of
a unit work together, and a province sees its communes); clerks and the secretariat of the host
agency or of a participating agency edit it (the secretariat writes minutes); leaders read only;
site administrators do everything; another unit's meetings answer 404.
"""

from django.shortcuts import get_object_or_404

from coordination.models import Role
from coordination.permissions import (
    agency_of,
    can_see_unit,
    ensure,
    ensure_unit_visible,
    filter_by_unit,
    is_site_admin,
    membership_of,
)

from .models import Meeting

EDITOR_ROLES = (Role.CLERK, Role.SECRETARIAT)


def meetings_visible_to(user, queryset=None):
    queryset = Meeting.objects.all() if queryset is None else queryset
    return filter_by_unit(queryset, user)


def can_view_meeting(user, meeting):
    return can_see_unit(user, meeting.unit_id)


def _agency_ids_of(meeting):
    # Uses the prefetch cache when the selector loaded participating agencies.
    return {meeting.host_agency_id, *(agency.pk for agency in meeting.participating_agencies.all())}


def can_edit_meeting(user, meeting):
    if is_site_admin(user):
        return True
    membership = membership_of(user)
    if membership is None or membership.role not in EDITOR_ROLES:
        return False
    return membership.agency_id in _agency_ids_of(meeting)


def can_create_meeting(user):
    if is_site_admin(user):
        return True
    membership = membership_of(user)
    return membership is not None and membership.role in EDITOR_ROLES


def can_override_due_date(user, meeting):
    """Changing a rule-computed due date is a decision of the council's office (HĐND clerk/secretariat)."""
    if is_site_admin(user):
        return True
    membership = membership_of(user)
    return membership is not None and membership.role in EDITOR_ROLES and membership.agency_id == meeting.host_agency_id


def can_record_delivery(user, meeting):
    return can_edit_meeting(user, meeting)


def can_manage_calendar_feed(actor, user):
    """A calendar feed link is its owner's (a site administrator may revoke or reissue it)."""
    return is_site_admin(actor) or (getattr(actor, "is_authenticated", False) and actor.pk == user.pk)


def meeting_for_view(user, pk, queryset=None):
    """Fetch a meeting the user may read: 404 for unknown or another unit's meeting."""
    queryset = Meeting.objects.all() if queryset is None else queryset
    meeting = get_object_or_404(queryset, pk=pk)
    ensure_unit_visible(user, meeting.unit_id)
    return meeting


def meeting_for_edit(user, pk, queryset=None):
    """Fetch a meeting the user may change: 404 outside their units, 403 without the right."""
    meeting = meeting_for_view(user, pk, queryset)
    ensure(can_edit_meeting(user, meeting))
    return meeting


__all__ = [
    "agency_of",
    "can_create_meeting",
    "can_edit_meeting",
    "can_manage_calendar_feed",
    "can_override_due_date",
    "can_view_meeting",
    "meeting_for_edit",
    "meeting_for_view",
    "meetings_visible_to",
]
