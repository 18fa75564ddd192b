"""Reminders of voter petitions: the watcher (forwarded petitions whose answer is due soon or overdue) and the
figures each digest states (the agency's overdue petitions)."""

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coordination.permissions import agency_of
from coordination.reminders import ReminderItem, absolute_url, url_builder

from .models import Petition
from .selectors import petition_counts, petitions_of_agency, scope_label


def petition_items(schedule):
    """Petitions awaiting the lead agency's answer, due on one of the schedule's dates; one query.

    Only group primaries: near-identical petitions grouped under one are answered (and reminded) once."""
    petitions = Petition.objects.due_soon(schedule.today, schedule.max_lead) | Petition.objects.overdue(schedule.today)
    rows = (
        petitions.group_primaries()
        .filter(due_date__in=schedule.due_dates, lead_agency__isnull=False)
        .values_list("pk", "content", "due_date", "lead_agency_id", "unit_id")
        .order_by("due_date", "pk")
    )
    url = url_builder("voters:detail", "voters:list")
    return [
        ReminderItem(
            item_kind="petition",
            item_key=f"petition:{pk}",
            title=f"{Petition.reference_for(pk)} — {_shorten(content)}",
            due_date=due_date,
            url=url(pk),
            agency_id=agency_id,
            unit_id=unit_id,
        )
        for pk, content, due_date, agency_id, unit_id in rows
    ]


def _shorten(text, limit=160):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def petition_digest_figures(user, day):
    """The agency's overdue petitions as the digest states them, this year and all years: the same
    definition and scope as the petition list's "Overdue" tab behind each link (and, for the year, the
    dashboard's card for that agency in its own unit). Two COUNTs; empty for a user without an agency."""
    agency = agency_of(user)
    if agency is None:
        return []
    figures = []
    for start, end in ((date(day.year, 1, 1), date(day.year, 12, 31)), (None, None)):
        params = {"agency": agency.pk, "overdue": "on", "sort": "due"}
        if start:
            params.update(received_from=start.isoformat(), received_to=end.isoformat())
        figures.append(
            {
                "label": _("Petitions overdue"),
                "scope": scope_label(start, end),
                "value": petition_counts(petitions_of_agency(agency, start, end), day)["overdue"],
                "url": absolute_url(f"{reverse('voters:list')}?{urlencode(params)}"),
            }
        )
    return figures
