""" "Waiting for you": what the user's agency must act on next, oldest first, for the home page.

A fixed number of queries whatever the number of items (one count and one short read per kind of
work): each kind reads at most `LIMIT` rows, already ordered, and the lists are merged here. The
items carry the petition's reference and the start of its content, never the voter's personal data.
"""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from charters.selectors import open_tasks_of
from coordination.models import AgencyKind
from voters.selectors import Status, petition_reference, petitions_all

LIMIT = 15
# The offices that judge answers (the petition's unit's People's Council and Fatherland Front).
EVALUATING_KINDS = (AgencyKind.HDND, AgencyKind.MTTQ)

KINDS = {
    "answer": (_("To answer"), "reply", "primary"),
    "reanswer": (_("To answer again"), "arrow-repeat", "warning"),
    "evaluate": (_("To evaluate"), "clipboard-check", "info"),
    "reforward": (_("Returned: to forward again"), "arrow-return-left", "secondary"),
    "task": (_("Task to carry out"), "list-check", "dark"),
}


@dataclass
class WaitingItem:
    kind: str
    reference: str
    text: str
    url: str
    due_date: date | None  # by when (None: no deadline, e.g. an answer to judge)
    since: date | None  # when it reached the agency, for the items without a deadline

    @property
    def label(self):
        return KINDS[self.kind][0]

    @property
    def icon(self):
        return KINDS[self.kind][1]

    @property
    def tone(self):
        return KINDS[self.kind][2]

    @property
    def sort_key(self):
        return (self.due_date or self.since or date.max, self.reference)

    late: bool = False  # past its due date today


def _excerpt(text, limit=110):
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _petition_conditions(agency):
    """Which petitions wait on `agency`, by kind of work (as `voters.permissions` lets it act)."""
    lead = Q(lead_agency=agency, primary__isnull=True)
    conditions = {
        "answer": lead & Q(status=Status.FORWARDED),
        "reanswer": lead & Q(status=Status.REANSWER),
    }
    unit_office = Q(unit_id=agency.unit_id, primary__isnull=True)
    if agency.kind in EVALUATING_KINDS:
        conditions["evaluate"] = unit_office & Q(status=Status.ANSWERED)
    else:
        conditions["evaluate"] = Q(originating_agency=agency, primary__isnull=True, status=Status.ANSWERED)
    # The receiving office and the People's Council standing committee may send a returned petition on.
    returned = Q(originating_agency=agency)
    if agency.kind == AgencyKind.HDND:
        returned |= Q(unit_id=agency.unit_id)
    conditions["reforward"] = returned & Q(status=Status.RETURNED, primary__isnull=True)
    return conditions


def waiting_for(agency, today):
    """(items, counts, links) for `agency`: the first `LIMIT` items oldest (most urgent) first, how many
    there are of each kind, and the list page showing all of each kind."""
    if agency is None:
        return [], {}, {}
    conditions = _petition_conditions(agency)
    petitions = petitions_all()
    counts = petitions.filter(_any(conditions)).aggregate(
        **{kind: Count("pk", filter=condition) for kind, condition in conditions.items()}
    )
    counts["task"] = open_tasks_of(agency).count()
    detail = reverse("voters:detail", args=[0]).replace("/0/", "/{}/")
    items = []
    for kind, condition in conditions.items():
        if not counts[kind]:
            continue
        rows = petitions.filter(condition)
        if kind == "reforward":
            rows = rows.annotate(since=Max("forwardings__returned_at")).order_by("since", "pk")
            fields = ("pk", "content", "due_date", "since")
        elif kind == "evaluate":
            rows = rows.order_by("answered_on", "pk")
            fields = ("pk", "content", "due_date", "answered_on")
        else:
            rows = rows.order_by("due_date", "pk")
            fields = ("pk", "content", "due_date", "received_on")
        for pk, content, due_date, since in rows.values_list(*fields)[:LIMIT]:
            items.append(
                WaitingItem(
                    kind=kind,
                    reference=petition_reference(pk),
                    text=_excerpt(content),
                    url=detail.format(pk),
                    due_date=due_date if kind in ("answer", "reanswer") else None,
                    since=since.date() if hasattr(since, "date") else since,
                )
            )
    if counts["task"]:
        task_detail = reverse("charters:task", args=[0]).replace("/0/", "/{}/")
        tasks = open_tasks_of(agency).order_by("due_date", "pk").values_list("pk", "title", "due_date")[:LIMIT]
        for pk, title, due_date in tasks:
            items.append(
                WaitingItem(
                    kind="task",
                    reference=str(_("Task")),
                    text=_excerpt(title),
                    url=task_detail.format(pk),
                    due_date=due_date,
                    since=None,
                )
            )
    items.sort(key=lambda item: item.sort_key)
    for item in items:
        item.late = item.due_date is not None and item.due_date < today
    return items[:LIMIT], counts, _links(agency)


def _any(conditions):
    combined = Q()
    for condition in conditions.values():
        combined |= condition
    return combined


def _links(agency):
    petitions = reverse("voters:list")

    def listing(**params):
        return f"{petitions}?{urlencode(params)}"

    return {
        "answer": listing(lead_agency=agency.pk, status=Status.FORWARDED, sort="due"),
        "reanswer": listing(lead_agency=agency.pk, status=Status.REANSWER, sort="due"),
        "evaluate": listing(status=Status.ANSWERED, unit=agency.unit_id),
        "reforward": listing(status=Status.RETURNED, unit=agency.unit_id),
        "task": f"{reverse('charters:tasks')}?{urlencode({'agency': agency.pk, 'status': 'open'})}",
    }
