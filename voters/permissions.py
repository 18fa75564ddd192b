"""Who may see and act on a voter petition. Builds on `coordination.permissions`.

- Another unit's petitions answer 404 (`petition_get_for`), a missing right 403 (`ensure`).
- The originating office (HĐND, MTTQ or Đoàn ĐBQH that took it in) enters, classifies, forwards,
  re-forwards and groups it; its leader may set a due date by hand. The unit's HĐND standing
  committee may also re-forward a petition returned as wrong authority.
- The lead agency of the current forwarding acknowledges, answers or returns it.
- HĐND and MTTQ of the unit evaluate answers.
- Personal data (voter name, address, phone) is shown only to the originating office and the
  agencies it was forwarded to (lead or supporting); everyone else in the unit reads without it.
"""

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.shortcuts import get_object_or_404

from coordination.models import AgencyKind, Role
from coordination.permissions import (
    agency_of,
    ensure,
    ensure_unit_visible,
    filter_by_unit,
    is_site_admin,
    role_of,
)

from .models import AWAITING_ANSWER, NOT_YET_FORWARDED, Forwarding, Petition, Status

ORIGINATING_KINDS = (AgencyKind.HDND, AgencyKind.MTTQ, AgencyKind.DBQH)
EVALUATING_KINDS = (AgencyKind.HDND, AgencyKind.MTTQ)
ACTING_ROLES = (Role.CLERK, Role.LEADER)

__all__ = ["ensure"]


def petitions_visible_to(user, queryset=None):
    """The petitions of the units `user` may see."""
    queryset = Petition.objects.all() if queryset is None else queryset
    return filter_by_unit(queryset, user)


def with_personal_data_flag(queryset, user):
    """Annotate `may_see_personal` per row in the same query (keeps list and export query counts constant)."""
    if is_site_admin(user):
        return queryset.annotate(may_see_personal=Value(True))
    agency = agency_of(user)
    if agency is None:
        return queryset.annotate(may_see_personal=Value(False))
    # Two EXISTS rather than one with an OR across the supporting-agencies join: PostgreSQL ran that one
    # as a hashed scan of every forwarding (~200 ms per list page at 1,000,000 petitions, growing with the
    # table); each of these two is an index probe.
    lead_on_a_forwarding = Forwarding.objects.filter(petition=OuterRef("pk"), agency=agency)
    supporting_a_forwarding = Forwarding.supporting_agencies.through.objects.filter(
        forwarding__petition=OuterRef("pk"), agency=agency
    )
    # CASE rather than a bare boolean: `lead_agency_id = x` is NULL for rows without a lead agency.
    return queryset.annotate(
        may_see_personal=Case(
            When(
                Q(originating_agency=agency)
                | Q(lead_agency=agency)
                | Exists(lead_on_a_forwarding)
                | Exists(supporting_a_forwarding),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def petition_get_for(user, pk, queryset=None):
    """The petition `pk` if the user's units include it; otherwise 404."""
    petition = get_object_or_404(Petition.objects.all() if queryset is None else queryset, pk=pk)
    ensure_unit_visible(user, petition.unit_id)
    return petition


def _acting(user):
    return role_of(user) in ACTING_ROLES


def _current_forwarding(petition):
    forwardings = getattr(petition, "_prefetched_objects_cache", {}).get("forwardings")
    if forwardings is None:
        forwardings = list(petition.forwardings.prefetch_related("supporting_agencies"))
    current = [item for item in forwardings if item.returned_at is None]
    return current[-1] if current else None


def _all_forwardings(petition):
    forwardings = getattr(petition, "_prefetched_objects_cache", {}).get("forwardings")
    if forwardings is None:
        forwardings = list(petition.forwardings.prefetch_related("supporting_agencies"))
    return forwardings


def is_originating_office(user, petition):
    agency = agency_of(user)
    return agency is not None and agency.pk == petition.originating_agency_id


def is_lead_agency(user, petition):
    agency = agency_of(user)
    return agency is not None and petition.lead_agency_id == agency.pk


def handled_by(user, petition):
    """The user's agency took in the petition or was ever asked to answer or support it."""
    agency = agency_of(user)
    if agency is None:
        return False
    if agency.pk in (petition.originating_agency_id, petition.lead_agency_id):
        return True
    for forwarding in _all_forwardings(petition):
        if forwarding.agency_id == agency.pk:
            return True
        if any(item.pk == agency.pk for item in forwarding.supporting_agencies.all()):
            return True
    return False


def can_see_personal_data(user, petition):
    if is_site_admin(user):
        return True
    flag = getattr(petition, "may_see_personal", None)
    if flag is not None:
        return bool(flag)
    return handled_by(user, petition)


def can_create(user):
    agency = agency_of(user)
    return agency is not None and agency.kind in ORIGINATING_KINDS and _acting(user)


def can_classify(user, petition):
    return is_originating_office(user, petition) and _acting(user) and petition.status in NOT_YET_FORWARDED


def can_forward(user, petition):
    return (
        is_originating_office(user, petition)
        and _acting(user)
        and petition.status in NOT_YET_FORWARDED
        and petition.primary_id is None
    )


def is_council_standing_committee(user, petition):
    """The People's Council standing committee of the petition's unit: it oversees how voters'
    petitions are settled in its unit, so it may send a returned petition on to the right agency."""
    agency = agency_of(user)
    return agency is not None and agency.kind == AgencyKind.HDND and agency.unit_id == petition.unit_id


def can_reforward(user, petition):
    return (
        (is_originating_office(user, petition) or is_council_standing_committee(user, petition))
        and _acting(user)
        and petition.status == Status.RETURNED
    )


def can_set_due_date(user, petition):
    """Only the leader of the originating office may override the deadline engine."""
    return is_originating_office(user, petition) and role_of(user) == Role.LEADER


def can_acknowledge(user, petition):
    if not (is_lead_agency(user, petition) and _acting(user) and petition.status == Status.FORWARDED):
        return False
    current = _current_forwarding(petition)
    return current is not None and current.acknowledged_at is None


def can_return(user, petition):
    return is_lead_agency(user, petition) and _acting(user) and petition.status == Status.FORWARDED


def can_answer(user, petition):
    return (
        is_lead_agency(user, petition)
        and _acting(user)
        and petition.status in AWAITING_ANSWER
        and petition.primary_id is None
    )


def can_evaluate(user, petition):
    agency = agency_of(user)
    return (
        agency is not None
        and agency.kind in EVALUATING_KINDS
        and agency.unit_id == petition.unit_id
        and _acting(user)
        and petition.status == Status.ANSWERED
        and petition.primary_id is None
    )


def can_close(user, petition):
    return is_originating_office(user, petition) and _acting(user) and petition.status == Status.ANSWERED


def can_group(user, petition):
    return (
        is_originating_office(user, petition)
        and _acting(user)
        and petition.status not in (Status.ANSWERED, Status.CLOSED)
    )


PUBLISHING_KINDS = (AgencyKind.HDND, AgencyKind.MTTQ)
PUBLISHING_ROLES = (Role.LEADER, Role.SECRETARIAT)


def can_publish(user, petition):
    """Publishing an answer on the citizens' pages (or withdrawing it) is the office's decision: the leaders and
    the secretariat of the unit's People's Council standing committee or Fatherland Front board (who report back
    to voters), or the leader of the office that received the petition. Only an answered group primary."""
    agency = agency_of(user)
    if agency is None or petition.answered_on is None or petition.primary_id is not None:
        return False
    role = role_of(user)
    council_or_front = (
        agency.kind in PUBLISHING_KINDS and agency.unit_id == petition.unit_id and role in PUBLISHING_ROLES
    )
    return council_or_front or (is_originating_office(user, petition) and role == Role.LEADER)


def can_issue_receipt(user, petition):
    """The receipt (phiếu tiếp nhận) with its lookup code is given by the office that took the petition in."""
    return is_originating_office(user, petition) and role_of(user) in (*ACTING_ROLES, Role.SECRETARIAT)


def can_import(user):
    return can_create(user)


def actions_for(user, petition):
    """Every action the user may take on the petition, for the detail page's buttons."""
    return {
        "classify": can_classify(user, petition),
        "forward": can_forward(user, petition),
        "reforward": can_reforward(user, petition),
        "set_due_date": can_set_due_date(user, petition),
        "acknowledge": can_acknowledge(user, petition),
        "return": can_return(user, petition),
        "answer": can_answer(user, petition),
        "evaluate": can_evaluate(user, petition),
        "close": can_close(user, petition),
        "group": can_group(user, petition),
        "publish": can_publish(user, petition) and petition.answer_published_at is None,
        "unpublish": can_publish(user, petition) and petition.answer_published_at is not None,
        "receipt": can_issue_receipt(user, petition),
    }
