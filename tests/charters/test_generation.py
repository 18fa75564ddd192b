"""Generating the year's work programme: idempotent, and a changed duty moves only open tasks still to come."""

import datetime as dt
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from charters import services
from charters.models import Cadence, CharterStatus, Task, TaskStatus
from coordination.models import DeadlineRule
from meetings.models import Meeting, MeetingKind
from tests.charters.factories import make_charter

TODAY = date(2026, 6, 15)


@pytest.fixture
def monthly(in_force_charter, agencies, clerk):
    article = in_force_charter.articles.get(number=2)
    return services.obligation_create(
        actor=clerk,
        article=article,
        description="UBND báo cáo tình hình tiếp công dân",
        responsible_agency=agencies.ubnd,
        cadence=Cadence.MONTHLY,
        day_of_period=25,
    )


@pytest.mark.smoke
def test_generation_creates_the_years_tasks_once(in_force_charter, monthly):
    first = services.tasks_generate(charter=in_force_charter, year=2026, today=TODAY)
    assert first == {"created": 12, "updated": 0, "cancelled": 0}
    second = services.tasks_generate(charter=in_force_charter, year=2026, today=TODAY)
    assert second == {"created": 0, "updated": 0, "cancelled": 0}
    assert Task.objects.filter(obligation=monthly).count() == 12
    task = Task.objects.filter(obligation=monthly).first()
    assert task.charter == in_force_charter
    assert task.area.code == "information"
    assert task.origin == "planned"
    assert "01/2026" in task.title


def test_changed_duty_updates_only_open_future_tasks(in_force_charter, monthly, clerk, ubnd_clerk):
    services.tasks_generate(charter=in_force_charter, year=2026, today=TODAY)
    tasks = {t.period_key: t for t in Task.objects.filter(obligation=monthly)}
    done_future = tasks["2026-M09"]
    services.task_complete(
        actor=ubnd_clerk,  # the responsible agency's clerk: the service authorizes its actor
        task=done_future,
        completed_on=timezone.localdate(),
        evidence_note="Đã gửi sớm",
        version=done_future.version,
    )
    past_open = tasks["2026-M03"]
    old_past_due = past_open.due_date
    monthly.refresh_from_db()
    services.obligation_update(actor=clerk, obligation=monthly, version=monthly.version, day_of_period=10)

    counts = services.tasks_generate(charter=in_force_charter, year=2026, today=TODAY)
    # June 25 .. December: 7 open future tasks, minus the one already done.
    assert counts == {"created": 0, "updated": 6, "cancelled": 0}
    assert Task.objects.get(pk=past_open.pk).due_date == old_past_due
    assert Task.objects.get(pk=done_future.pk).due_date == date(2026, 9, 25)
    assert Task.objects.get(obligation=monthly, period_key="2026-M07").due_date == date(2026, 7, 10)


def test_deactivated_duty_cancels_its_open_future_tasks(in_force_charter, monthly, clerk):
    services.tasks_generate(charter=in_force_charter, year=2026, today=TODAY)
    services.obligation_update(actor=clerk, obligation=monthly, version=monthly.version, is_active=False)
    counts = services.tasks_generate(charter=in_force_charter, year=2026, today=TODAY)
    assert counts["cancelled"] == 7
    assert Task.objects.filter(obligation=monthly, status=TaskStatus.OPEN).count() == 5


def test_changed_cadence_replaces_open_future_tasks(in_force_charter, monthly, clerk):
    services.tasks_generate(charter=in_force_charter, year=2026, today=TODAY)
    services.obligation_update(
        actor=clerk, obligation=monthly, version=monthly.version, cadence=Cadence.QUARTERLY, month=3
    )
    counts = services.tasks_generate(charter=in_force_charter, year=2026, today=TODAY)
    assert counts == {"created": 4, "updated": 0, "cancelled": 7}


def test_only_a_charter_in_force_generates_tasks(draft_charter):
    with pytest.raises(ValidationError, match="only from a charter in force"):
        services.tasks_generate(charter=draft_charter, year=2026)


def test_tasks_before_the_charter_takes_effect_are_not_generated(agencies, clerk):
    charter = make_charter(agencies, signed_on=date(2026, 4, 7), status=CharterStatus.IN_FORCE)
    services.obligation_create(
        actor=clerk,
        article=charter.articles.first(),
        description="Báo cáo tháng",
        responsible_agency=agencies.hdnd,
        cadence=Cadence.MONTHLY,
        day_of_period=5,
    )
    assert services.tasks_generate(charter=charter, year=2026, today=TODAY)["created"] == 8  # May..December


def test_session_duty_gets_one_task_per_council_session(in_force_charter, agencies, clerk):
    tz = timezone.get_current_timezone()
    for month, day in [(7, 10), (12, 8)]:
        Meeting.objects.create(
            title=f"Kỳ họp tháng {month}",
            kind=MeetingKind.COUNCIL_SESSION,
            unit=in_force_charter.unit,
            host_agency=agencies.hdnd,
            starts_at=dt.datetime(2026, month, day, 7, 30, tzinfo=tz),
        )
    obligation = services.obligation_create(
        actor=clerk,
        article=in_force_charter.articles.get(number=1),
        description="UBND gửi dự thảo nghị quyết, tờ trình đến Thường trực HĐND trước mỗi kỳ họp",
        responsible_agency=agencies.ubnd,
        cadence=Cadence.EACH_SESSION,
        deadline_rule=DeadlineRule.objects.get(code="session-documents", unit__isnull=True),
    )
    services.tasks_generate(charter=in_force_charter, year=2026, today=TODAY)
    dates = sorted(Task.objects.filter(obligation=obligation).values_list("due_date", flat=True))
    assert dates == [date(2026, 6, 19), date(2026, 11, 18)]
    task = Task.objects.filter(obligation=obligation).first()
    # The article's supporting agencies support the task too (the responsible one is not repeated).
    assert list(task.supporting_agencies.all()) == []
    assert services.tasks_generate(charter=in_force_charter, year=2026, today=TODAY)["created"] == 0


def test_supporting_agencies_follow_the_article(in_force_charter, agencies, clerk):
    services.obligation_create(
        actor=clerk,
        article=in_force_charter.articles.get(number=1),
        description="Thường trực HĐND thống nhất chương trình kỳ họp",
        responsible_agency=agencies.hdnd,
        cadence=Cadence.YEARLY,
        day_of_period=15,
        month=5,
    )
    services.tasks_generate(charter=in_force_charter, year=2026, today=TODAY)
    task = Task.objects.get(period_key="2026")
    assert list(task.supporting_agencies.all()) == [agencies.ubnd]


def test_management_command_generates_for_charters_in_force(in_force_charter, monthly, draft_charter, capsys):
    call_command("generate_tasks", "--year", "2026")
    assert Task.objects.filter(charter=in_force_charter).count() == 12
    call_command("generate_tasks", "--year", "2026", "--charter", str(in_force_charter.pk))
    assert Task.objects.filter(charter=in_force_charter).count() == 12
    assert "0 created" in capsys.readouterr().out


def test_superseding_cancels_the_old_programme_from_the_new_effective_date(agencies, clerk, monthly, in_force_charter):
    services.tasks_generate(charter=in_force_charter, year=2026, today=TODAY)
    new = make_charter(agencies, number="05/QCPH-HĐND-UBND-UBMTTQ", signed_on=date(2026, 6, 1))
    services.charter_sign(actor=clerk, charter=new)
    services.charter_bring_into_force(actor=clerk, charter=new)
    old_open = Task.objects.filter(charter=in_force_charter, status=TaskStatus.OPEN)
    assert all(task.due_date < date(2026, 6, 1) for task in old_open)


def test_daily_refresh_task_generates_the_current_year(in_force_charter, monthly):
    from charters.tasks import work_programme_refresh

    first = work_programme_refresh.delay(year=2026).get()
    assert first["created"] == 12
    assert work_programme_refresh.delay(year=2026).get() == {"created": 0, "updated": 0, "cancelled": 0}
