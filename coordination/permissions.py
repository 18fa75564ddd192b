"""The one place that answers "may this user see / change this object". Every app asks here.

Rules: site administrators see everything; a member sees their own unit and, at province
level, the units below it; another unit's objects answer 404 (never reveal they exist);
a missing right inside one's own unit answers 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.db.models.lookups import In
from django.http import Http404

from .models import AdministrativeUnit, Agency, Membership, Role


def membership_of(user):
    """The user's membership (with agency and unit loaded), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_membership_cache", False)
    if cached is not False:
        return cached
    membership = (
        Membership.objects.select_related("agency", "agency__unit", "agency__unit__parent").filter(user=user).first()
    )
    user._membership_cache = membership
    return membership


def is_site_admin(user):
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


def agency_of(user):
    membership = membership_of(user)
    return membership.agency if membership else None


def role_of(user):
    membership = membership_of(user)
    return membership.role if membership else None


def has_role(user, *roles):
    return role_of(user) in roles


def visible_unit_ids(user):
    """Ids of the units whose records the user may see: their unit, its children (a province
    sees its communes and legacy districts) and the legacy units merged into any of them."""
    if is_site_admin(user):
        return None  # no restriction
    cached = getattr(user, "_visible_unit_ids", None)
    if cached is not None:
        return cached
    membership = membership_of(user)
    if membership is None:
        ids = frozenset()
    else:
        unit = membership.agency.unit
        ids = {unit.pk}
        ids.update(AdministrativeUnit.objects.filter(parent=unit).values_list("pk", flat=True))
        # Records of units that were merged into a visible unit still roll up to it.
        frontier = set(ids)
        while frontier:
            merged = (
                set(AdministrativeUnit.objects.filter(successor_id__in=frontier).values_list("pk", flat=True)) - ids
            )
            merged_children = (
                set(AdministrativeUnit.objects.filter(parent_id__in=merged).values_list("pk", flat=True)) - ids
            )
            ids.update(merged, merged_children)
            frontier = merged | merged_children
        ids = frozenset(ids)
    user._visible_unit_ids = ids
    return ids


class InUnits(In):
    """`unit_id IN (…)` written `unit_id = ANY(%s)` on PostgreSQL: the ids travel as one array parameter.
    A province sees ~100 units; as 100 separate parameters each query paid ~0.3 ms to bind them."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, sorted(self.rhs))


def filter_by_unit(queryset, user, field="unit"):
    """Restrict `queryset` to rows whose `field` (a unit FK path) the user may see."""
    ids = visible_unit_ids(user)
    if ids is None:
        return queryset
    if not ids:
        return queryset.none()
    return queryset.filter(InUnits(F(f"{field}_id"), list(ids)))


def pickable_agencies(user, *, unit=None, own_unit=False, kinds=None):
    """The agencies `user` may pick in a form or a filter: active ones of the units the user sees (a site
    administrator: all), with their unit loaded, ordered by unit, kind and name. The one rule every app's
    agency choices use.

    `unit` (a unit or its id): only its agencies (a record already tied to a unit: a meeting, a charter, a task).
    `own_unit`: a member only their own unit's (charter parties, a new task); a site administrator still all.
    `kinds`: only agencies of these kinds (e.g. the parties that sign a charter)."""
    queryset = filter_by_unit(Agency.objects.filter(is_active=True).select_related("unit"), user)
    if unit is not None:
        queryset = queryset.filter(unit=unit)
    elif own_unit and not is_site_admin(user):
        membership = membership_of(user)
        queryset = queryset.filter(unit_id=membership.agency.unit_id) if membership else queryset.none()
    if kinds is not None:
        queryset = queryset.filter(kind__in=kinds)
    return queryset.order_by("unit__name", "kind", "name")


def can_see_unit(user, unit_id):
    ids = visible_unit_ids(user)
    return ids is None or unit_id in ids


def ensure_unit_visible(user, unit_id):
    """404 for objects of a unit the user may not see."""
    if not can_see_unit(user, unit_id):
        raise Http404


def ensure(condition):
    """403 when a right is missing inside the user's own unit."""
    if not condition:
        raise PermissionDenied


def is_clerk(user):
    return has_role(user, Role.CLERK) or is_site_admin(user)


def is_leader(user):
    return has_role(user, Role.LEADER)


def is_secretariat(user):
    return has_role(user, Role.SECRETARIAT)


class AgencyReader:
    """Whom a read-API token acts for: a reader in its agency, seen by every rule here as a member of it.

    The rules above take a user and ask for its membership; this stand-in carries an unsaved leader's
    membership of the agency (leaders read, never write), so the API and the pages share one set of
    visibility rules: the agency's unit and the units below it, another unit's records answer 404, personal
    data only where the agency took the petition in or was asked to answer it."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False
    pk = id = None

    def __init__(self, agency):
        self.agency = agency
        self._membership_cache = Membership(agency=agency, role=Role.LEADER)

    @property
    def display_name(self):
        return self.agency.name

    def __str__(self):
        return self.agency.name
