"""Who may see and change supervision programmes and social criticism records.

Decisions: everyone whose visible units include the programme's unit reads it (the supervised bodies too:
they must see what is asked of them); the clerks and the secretariat of the supervising body, or of the
unit's People's Council standing committee (its office serves the council's committees), plan and edit a
programme, request and receive reports, record visits and recommendations; a recommendation is also marked
done by the clerks of its responsible body; social criticism is recorded by the Front's clerks; leaders read
only; site administrators do everything; another unit's records answer 404.
"""

from django.shortcuts import get_object_or_404

from coordination.models import AgencyKind, Role
from coordination.permissions import ensure, ensure_unit_visible, filter_by_unit, is_site_admin, membership_of

from .models import Recommendation, ReportRequest, SocialCriticism, SupervisionProgramme

EDITOR_ROLES = (Role.CLERK, Role.SECRETARIAT)


def _editor(user):
    membership = membership_of(user)
    return membership if membership is not None and membership.role in EDITOR_ROLES else None


def programmes_visible_to(user, queryset=None):
    queryset = SupervisionProgramme.objects.all() if queryset is None else queryset
    return filter_by_unit(queryset, user)


def can_create_programme(user):
    return is_site_admin(user) or _editor(user) is not None


def can_plan_for(user, agency):
    """May `user` plan a programme of `agency` (the supervising body)?"""
    if is_site_admin(user):
        return True
    membership = _editor(user)
    if membership is None:
        return False
    if membership.agency_id == agency.pk:
        return True
    return membership.agency.kind == AgencyKind.HDND and membership.agency.unit_id == agency.unit_id


def can_edit_programme(user, programme):
    return can_plan_for(user, programme.supervising_agency)


def can_complete_recommendation(user, recommendation):
    if can_edit_programme(user, recommendation.programme):
        return True
    membership = _editor(user)
    return membership is not None and membership.agency_id == recommendation.responsible_agency_id


def can_record_criticism(user, agency=None):
    if is_site_admin(user):
        return True
    membership = _editor(user)
    if membership is None or membership.agency.kind != AgencyKind.MTTQ:
        return False
    return agency is None or membership.agency_id == agency.pk


def programme_for_view(user, pk, queryset=None):
    """A programme the user may read: 404 for unknown or another unit's programme."""
    queryset = SupervisionProgramme.objects.all() if queryset is None else queryset
    programme = get_object_or_404(queryset.select_related("unit", "supervising_agency"), pk=pk)
    ensure_unit_visible(user, programme.unit_id)
    return programme


def programme_for_edit(user, pk, queryset=None):
    programme = programme_for_view(user, pk, queryset)
    ensure(can_edit_programme(user, programme))
    return programme


def report_request_for_edit(user, pk):
    request = get_object_or_404(
        ReportRequest.objects.select_related("programme__unit", "programme__supervising_agency", "agency"), pk=pk
    )
    ensure_unit_visible(user, request.programme.unit_id)
    ensure(can_edit_programme(user, request.programme))
    return request


def recommendation_for_completion(user, pk):
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("programme__unit", "programme__supervising_agency", "responsible_agency"),
        pk=pk,
    )
    ensure_unit_visible(user, recommendation.programme.unit_id)
    ensure(can_complete_recommendation(user, recommendation))
    return recommendation


def criticism_for_edit(user, pk):
    criticism = get_object_or_404(SocialCriticism.objects.select_related("unit", "agency"), pk=pk)
    ensure_unit_visible(user, criticism.unit_id)
    ensure(can_record_criticism(user, criticism.agency))
    return criticism
