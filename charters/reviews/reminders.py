"""Reminder watcher of the annual reviews: reviews not started by 31 January."""

from datetime import date

from charters.selectors import CharterStatus, charter_parties, charters_all
from coordination.models import AgencyKind, Role
from coordination.reminders import ReminderItem, url_builder

from .models import ReviewKind

# The annual review of year Y is due to be started (a draft exists) by 31 January of Y + 1.
REVIEW_START_MONTH, REVIEW_START_DAY = 1, 31


def annual_review_items(schedule):
    """Charters in force during year Y with no annual review of Y started, reminded against 31 January
    of Y + 1 (due soon before it, overdue after). The People's Council standing committee, which
    convenes the review conference, is responsible (the first party if it did not sign); its clerks
    and secretariat are told. At most two queries (charters, then their parties), only in the few
    weeks when a 31 January is one of the schedule's dates."""
    due_dates = [day for day in schedule.due_dates if (day.month, day.day) == (REVIEW_START_MONTH, REVIEW_START_DAY)]
    if not due_dates:
        return []
    items = []
    charters = []
    for due in due_dates:
        year = due.year - 1
        rows = (
            charters_all()
            .filter(
                status__in=[CharterStatus.SIGNED, CharterStatus.IN_FORCE],
                effective_from__lte=date(year, 12, 31),
            )
            .exclude(reviews__year=year, reviews__kind=ReviewKind.ANNUAL)
            .values_list("pk", "number", "unit_id")
        )
        charters.extend((due, year, *row) for row in rows)
    if not charters:
        return []
    responsible = {}
    parties = charter_parties(charter_id__in={row[2] for row in charters}).order_by("order", "id")
    for charter_id, agency_id, kind in parties.values_list("charter_id", "agency_id", "agency__kind"):
        # The HĐND party if it signed, else the first party.
        current_kind = responsible.get(charter_id, (None, None))[1]
        if current_kind is None or (kind == AgencyKind.HDND and current_kind != AgencyKind.HDND):
            responsible[charter_id] = (agency_id, kind)
    url = url_builder("charters:review_create", "charters:review_list")
    for due, year, charter_id, number, unit_id in charters:
        if charter_id not in responsible:
            continue
        items.append(
            ReminderItem(
                item_kind="annual_review",
                item_key=f"annual_review:{charter_id}:{year}",
                title=f"{number} ({year})",
                due_date=due,
                url=url(charter_id),
                agency_id=responsible[charter_id][0],
                unit_id=unit_id,
                roles=(Role.CLERK, Role.SECRETARIAT),
            )
        )
    return items
