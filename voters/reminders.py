"""Reminder watcher for voter petitions: forwarded petitions whose answer is due soon or overdue."""

from coordination.reminders import ReminderItem, url_builder

from .models import Petition


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
