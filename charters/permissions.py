"""Who may see and change charters and tasks, on top of the shared rules in `coordination.permissions`.

Reading: every member of a unit the user may see (a charter is the unit's public working document).
Changing a draft charter, its articles and duties: clerks of the party agencies. Status changes and the
signed scan: clerks and the secretariat of the parties. Tasks: the responsible agency's clerks (and its
secretariat). Site administrators may do everything. Another unit's objects answer 404, a missing right 403.
"""

from django.shortcuts import get_object_or_404

from coordination.models import PARTY_KINDS, Role
from coordination.permissions import (
    agency_of,
    ensure,
    ensure_unit_visible,
    filter_by_unit,
    is_site_admin,
    membership_of,
    role_of,
)

from .models import Charter, CharterStatus, Task, TaskStatus, WorkProgramme


def _party_ids(charter):
    cached = getattr(charter, "_party_agency_ids", None)
    if cached is None:
        cached = frozenset(link.agency_id for link in charter.party_links.all())
        charter._party_agency_ids = cached
    return cached


def is_party_member(user, charter, *roles):
    agency = agency_of(user)
    return agency is not None and agency.pk in _party_ids(charter) and (not roles or role_of(user) in roles)


def can_create_charter(user):
    if is_site_admin(user):
        return True
    membership = membership_of(user)
    return bool(membership and membership.role == Role.CLERK and membership.agency.kind in PARTY_KINDS)


def may_write_charter(user, charter):
    """Who writes a charter's text and duties, whatever its state (the services refuse a wrong state with
    their own message): the parties' clerks and site administrators."""
    return is_site_admin(user) or is_party_member(user, charter, Role.CLERK)


def can_edit_charter(user, charter):
    """Edit the text of a draft: number, dates, parties, articles."""
    return charter.status == CharterStatus.DRAFT and may_write_charter(user, charter)


def can_edit_obligations(user, charter):
    """Duties stay editable while the charter is draft, signed or in force: they drive the work programme."""
    if charter.status not in (CharterStatus.DRAFT, CharterStatus.SIGNED, CharterStatus.IN_FORCE):
        return False
    return may_write_charter(user, charter)


def can_change_status(user, charter):
    return is_site_admin(user) or is_party_member(user, charter, Role.CLERK, Role.SECRETARIAT)


def can_upload_scan(user, charter):
    return can_change_status(user, charter)


def can_generate_tasks(user, charter):
    return charter.status == CharterStatus.IN_FORCE and can_change_status(user, charter)


def can_create_task(user):
    return is_site_admin(user) or role_of(user) in (Role.CLERK, Role.SECRETARIAT)


def can_change_task(user, task):
    """The responsible agency's clerk or secretariat works on an open task."""
    return task.status == TaskStatus.OPEN and may_work_on_task(user, task)


def may_work_on_task(user, task):
    """Who works on a task, whatever its state (the services refuse a closed task with their own message)."""
    if is_site_admin(user):
        return True
    agency = agency_of(user)
    return (
        agency is not None
        and agency.pk == task.responsible_agency_id
        and role_of(user)
        in (
            Role.CLERK,
            Role.SECRETARIAT,
        )
    )


def visible_charters(user, queryset=None):
    queryset = Charter.objects.all() if queryset is None else queryset
    return filter_by_unit(queryset, user)


def visible_tasks(user, queryset=None):
    queryset = Task.objects.all() if queryset is None else queryset
    return filter_by_unit(queryset, user)


def charter_for(user, pk, *, queryset=None, action="view"):
    """Fetch-and-authorize: the charter `pk` if `user` may do `action` on it (404 other unit, 403 no right)."""
    charter = get_object_or_404(
        (queryset if queryset is not None else Charter.objects).prefetch_related("party_links"), pk=pk
    )
    ensure_unit_visible(user, charter.unit_id)
    checks = {
        "view": lambda: membership_of(user) is not None or is_site_admin(user),
        "edit": lambda: can_edit_charter(user, charter),
        "record": lambda: may_write_charter(user, charter),
        "obligations": lambda: can_edit_obligations(user, charter),
        "status": lambda: can_change_status(user, charter),
        "scan": lambda: can_upload_scan(user, charter),
        "generate": lambda: can_generate_tasks(user, charter),
    }
    ensure(checks[action]())
    return charter


def task_for(user, pk, *, queryset=None, action="view"):
    task = get_object_or_404(queryset if queryset is not None else Task.objects, pk=pk)
    ensure_unit_visible(user, task.unit_id)
    if action == "view":
        ensure(membership_of(user) is not None or is_site_admin(user))
    else:
        ensure(can_change_task(user, task))
    return task


def can_manage_programmes(user, unit_id):
    """Record a unit's work programmes and import their items: its clerks and secretariat (any agency of the
    unit: the programme is the council's, its items often fall to the Ban and the Văn phòng)."""
    if is_site_admin(user):
        return True
    membership = membership_of(user)
    return bool(
        membership and membership.role in (Role.CLERK, Role.SECRETARIAT) and membership.agency.unit_id == unit_id
    )


def programme_for(user, pk, *, action="view"):
    """Fetch-and-authorize a work programme (404 other unit, 403 no right)."""
    programme = get_object_or_404(WorkProgramme.objects.select_related("unit", "issuer", "charter"), pk=pk)
    ensure_unit_visible(user, programme.unit_id)
    if action == "view":
        ensure(membership_of(user) is not None or is_site_admin(user))
    else:
        ensure(can_manage_programmes(user, programme.unit_id))
    return programme


def visible_programmes(user, queryset=None):
    queryset = WorkProgramme.objects.all() if queryset is None else queryset
    return filter_by_unit(queryset, user)
