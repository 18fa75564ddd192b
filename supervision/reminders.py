"""Reminder watchers of supervision: reports not received and recommendations not done, due on a reminded
day; the supervised (responsible) body is told, as for every watched item. One query each."""

from coordination.reminders import ReminderItem, url_builder

from .models import Recommendation, RecommendationQuerySet, ReportRequest, ReportRequestQuerySet


def report_request_items(schedule):
    rows = (
        ReportRequest.objects.filter(ReportRequestQuerySet.q_outstanding(), due_date__in=schedule.due_dates)
        .values_list("pk", "programme__subject", "due_date", "agency_id", "programme_id", "programme__unit_id")
        .order_by("due_date", "pk")
    )
    url = url_builder("supervision:detail", "supervision:list")
    return [
        ReminderItem(
            item_kind="supervision_report",
            item_key=f"supervision_report:{pk}",
            title=subject,
            due_date=due_date,
            url=url(programme_id),
            agency_id=agency_id,
            unit_id=unit_id,
        )
        for pk, subject, due_date, agency_id, programme_id, unit_id in rows
    ]


def recommendation_items(schedule):
    rows = (
        Recommendation.objects.filter(RecommendationQuerySet.q_open(), due_date__in=schedule.due_dates)
        .values_list("pk", "text", "due_date", "responsible_agency_id", "programme_id", "programme__unit_id")
        .order_by("due_date", "pk")
    )
    url = url_builder("supervision:detail", "supervision:list")
    return [
        ReminderItem(
            item_kind="supervision_recommendation",
            item_key=f"supervision_recommendation:{pk}",
            title=text[:200],
            due_date=due_date,
            url=url(programme_id),
            agency_id=agency_id,
            unit_id=unit_id,
        )
        for pk, text, due_date, agency_id, programme_id, unit_id in rows
    ]
