"""Reads for the meetings pages, each loaded with what its page shows."""

import datetime

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.utils import timezone

from coordination.permissions import agency_of, filter_by_unit, is_site_admin

from .models import VOTER_CONTACT_KINDS as VOTER_CONTACT_KINDS  # re-exported, as MeetingKind below
from .models import (
    AgendaItem,
    Attendance,
    Conclusion,
    Meeting,
    SessionDocument,
    SessionDocumentQuerySet,
    minutes_missing_q,
)
from .models import MeetingKind as MeetingKind  # a choice enum the aggregators read
from .permissions import meetings_visible_to


def meeting_list(*, user, filters=None, today=None):
    """Meetings the user may see, filtered, each with kind, unit, host and minutes state.

    Filters: kind, unit, agency (host or participant), date_from, date_to, charter, minutes_missing."""
    filters = filters or {}
    today = today or timezone.localdate()
    queryset = filter_by_unit(Meeting.objects.all(), user)
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("unit"):
        queryset = queryset.filter(unit=filters["unit"])
    if filters.get("agency"):
        agency = filters["agency"]
        participant_ids = Meeting.participating_agencies.through.objects.filter(agency=agency).values("meeting_id")
        queryset = queryset.filter(Q(host_agency=agency) | Q(pk__in=participant_ids))
    if filters.get("date_from"):
        queryset = queryset.filter(starts_at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        queryset = queryset.filter(starts_at__lt=_day_start(filters["date_to"] + datetime.timedelta(days=1)))
    if filters.get("charter"):
        queryset = queryset.filter(charter=filters["charter"])
    missing = minutes_missing_q(today)
    if filters.get("minutes_missing"):
        queryset = queryset.filter(missing)
    return (
        queryset.with_minutes_state(condition=missing)
        .select_related("unit", "host_agency")  # each join more costs planning time (the list shows no charter)
        .defer("minutes_text")  # the minutes' full text is not shown in the list
        .annotate(late_document_count=_late_documents_count(today))
        .order_by("-starts_at", "-id")
    )


def _late_documents_count(today):
    """Documents of the meeting delivered late or overdue, as a subquery (no join multiplying rows)."""
    late = (
        SessionDocument.objects.filter(meeting=OuterRef("pk"))
        .filter(SessionDocumentQuerySet.q_behind(today))
        .order_by()
        .values("meeting")
        .annotate(count=Count("id"))
        .values("count")
    )
    return Coalesce(Subquery(late, output_field=IntegerField()), 0)


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def meeting_detail_queryset(today=None):
    """Everything the meeting page shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    return (
        Meeting.objects.with_minutes_state(today)
        .select_related(
            "unit", "host_agency", "charter", "article", "area", "session", "constituency_unit", "created_by"
        )
        .prefetch_related(
            "participating_agencies",
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order", "id")),
            Prefetch("attendance", queryset=Attendance.objects.select_related("agency").order_by("order", "id")),
            Prefetch(
                "conclusions",
                queryset=Conclusion.objects.select_related("responsible_agency", "task").order_by("order", "id"),
            ),
            Prefetch(
                "documents",
                queryset=SessionDocument.objects.select_related("responsible_agency").order_by("due_date", "id"),
            ),
            Prefetch(
                "voter_contacts", queryset=Meeting.objects.select_related("constituency_unit").order_by("starts_at")
            ),
        )
    )


def meetings_in_range(*, user, start, end, only_mine=False, per_day=None):
    """Meetings starting in [start, end) (dates), for the calendar grid: rows (dicts) of what a grid cell
    shows, no model instances (a month of a province is a few hundred meetings). `per_day`: only the first
    that many of each (local) day, each row with its day's total as `day_total` (the whole country's month is
    thousands of meetings: the grid shows a few a day and links to the rest)."""
    queryset = filter_by_unit(Meeting.objects.all(), user).filter(
        starts_at__gte=_day_start(start), starts_at__lt=_day_start(end)
    )
    if only_mine:
        queryset = queryset.filter(feed_scope_q(user))
    if per_day is not None:
        day = TruncDate("starts_at", tzinfo=timezone.get_current_timezone())
        queryset = queryset.annotate(
            day_rank=Window(RowNumber(), partition_by=[day], order_by=[F("starts_at").asc(), F("id").asc()]),
            day_total=Window(Count("id"), partition_by=[day]),
        ).filter(day_rank__lte=per_day)
        return queryset.order_by("starts_at", "id").values(
            "pk", "kind", "title", "starts_at", "host_agency__name", "day_total"
        )
    return queryset.order_by("starts_at", "id").values("pk", "kind", "title", "starts_at", "host_agency__name")


def feed_scope_q(user):
    """Meetings of a user's own agency: hosted by it or with it among the participants."""
    agency = agency_of(user)
    if agency is None:
        return Q(pk__in=[])
    participant_ids = Meeting.participating_agencies.through.objects.filter(agency=agency).values("meeting_id")
    return Q(host_agency=agency) | Q(pk__in=participant_ids)


def calendar_feed_meetings(user, *, now=None):
    """What a user's calendar feed carries: their agency's meetings (hosted or attended) in their visible
    units, within the feed's window (`ics.feed_window`: CALENDAR_FEED_DAYS_BACK / CALENDAR_FEED_DAYS_AHEAD);
    site administrators without an agency get every meeting of the window."""
    from .ics import feed_window

    since, until = feed_window(now)
    queryset = filter_by_unit(Meeting.objects.all(), user).filter(starts_at__gte=since, starts_at__lt=until)
    if not (is_site_admin(user) and agency_of(user) is None):
        queryset = queryset.filter(feed_scope_q(user))
    return queryset.order_by("starts_at", "id")


def council_sessions_for(unit):
    return Meeting.objects.filter(kind="council_session", unit=unit).order_by("-starts_at")


def session_documents_late_by_agency(*, unit_ids=None, date_from=None, date_to=None, charter=None, today=None):
    """Per responsible agency: documents due, delivered late, overdue (not delivered, past due),
    and on time — for the annual review's shortcomings. Rows are dicts with the agency's id and name."""
    today = today or timezone.localdate()
    queryset = SessionDocument.objects.all()
    if unit_ids is not None:
        queryset = queryset.filter(meeting__unit_id__in=unit_ids)
    if date_from:
        queryset = queryset.filter(due_date__gte=date_from)
    if date_to:
        queryset = queryset.filter(due_date__lte=date_to)
    if charter is not None:
        queryset = queryset.filter(meeting__charter=charter)
    return (
        queryset.values("responsible_agency", "responsible_agency__name")
        .annotate(
            total=Count("id"),
            late=Count("id", filter=SessionDocumentQuerySet.q_late()),
            overdue=Count("id", filter=SessionDocumentQuerySet.q_overdue(today)),
            on_time=Count("id", filter=SessionDocumentQuerySet.q_on_time()),
        )
        .order_by("-late", "-overdue", "responsible_agency__name")
    )


def petitions_for_meeting(meeting):
    """Petitions raised at the meeting, from the voters app when it provides the selector; else None."""
    try:
        from voters.selectors import petitions_for_meeting as voters_petitions_for_meeting
    except ImportError:
        return None
    return voters_petitions_for_meeting(meeting)


# --- reads for the aggregators (the dashboard): unevaluated querysets, grouped and counted there --------
# `minutes_missing_q` (the minutes-missing condition), `MeetingKind` and `VOTER_CONTACT_KINDS` are
# imported from here by them.


def meetings_starting_between(start, end, *, condition, agency=None):
    """Meetings starting on a day in [start, end] matching `condition` (a Q: the dashboard's unit, a review's
    scope); with `agency`, those it hosts or takes part in."""
    queryset = Meeting.objects.filter(
        condition, starts_at__gte=_day_start(start), starts_at__lt=_day_start(end + datetime.timedelta(days=1))
    )
    if agency:
        participants = Meeting.participating_agencies.through.objects.filter(agency=agency).values("meeting_id")
        queryset = queryset.filter(Q(host_agency=agency) | Q(pk__in=participants))
    return queryset


def session_documents_due(*, unit_ids, start, end, today, agency=None):
    """Documents due before council sessions of `unit_ids` (None: every unit) with a due date in [start, end]
    (either bound optional), annotated with their `db_state`."""
    queryset = SessionDocument.objects.all()
    if unit_ids is not None:
        queryset = queryset.filter(meeting__unit_id__in=unit_ids)
    if start:
        queryset = queryset.filter(due_date__gte=start)
    if end:
        queryset = queryset.filter(due_date__lte=end)
    if agency is not None:
        queryset = queryset.filter(responsible_agency=agency)
    return queryset.with_state(today)


def session_documents_of(meetings):
    """The documents due before `meetings` (a queryset of their ids)."""
    return SessionDocument.objects.filter(meeting__in=meetings)


# --- reads for the read API (coordination.api) ----------------------------------------------------------


def meetings_for_reader(user):
    """The meetings `user` may see (`meetings_visible_to`), with unit, host and participants loaded in a fixed
    number of queries, without the minutes' text (the API says whether and when minutes were recorded)."""
    return (
        meetings_visible_to(user)
        .select_related("unit", "host_agency", "charter", "area")
        .prefetch_related("participating_agencies")
        .defer("minutes_text")
        .order_by()
    )
