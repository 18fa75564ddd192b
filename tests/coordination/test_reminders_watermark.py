"""No day is skipped: the scan fills in every day since the last COMPLETED scan (its watermark), a scan that a
database error killed leaves no watermark, and each reminder is still emailed once. The digest sweep queues
again what a broker outage or a dead worker left unsent."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.utils import timezone

from coordination import reminders
from coordination.models import Notification, ReminderLedger, ReminderScan, Role
from tests.coordination.test_reminders import TODAY, scan_and_send, task
from tests.factories import member

D = TODAY  # the day whose scan fails
KILL_ON = set()


def backend_killing_watcher(schedule):
    """A watcher that, on a day in KILL_ON, terminates its own PostgreSQL connection: what a failover or a
    database restart at the scan minute does to the scan's transaction."""
    if schedule.today in KILL_ON:
        if "once" in KILL_ON:
            KILL_ON.discard(schedule.today)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")
    return []


@pytest.fixture
def ubnd_leader(agencies):
    return member(agencies.ubnd, Role.LEADER, username="ubnd_leader")


@pytest.fixture
def killing_watcher(settings):
    settings.REMINDER_WATCHERS = [*settings.REMINDER_WATCHERS, f"{__name__}.backend_killing_watcher"]
    KILL_ON.clear()
    yield KILL_ON
    KILL_ON.clear()


def test_a_missed_day_is_filled_in_by_the_next_scan(agencies, ubnd_clerk, django_capture_on_commit_callbacks):
    task(agencies, 3 + 1, title="Nhắc đúng ngày 24/11")  # due 28/11: "due in 3 days" on 25/11
    task(agencies, 1, title="Nhắc ngày 24/11")  # due 25/11: "due in 1 day" on 24/11
    scan_and_send(D - timedelta(days=1), capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []  # nothing due on 23/11

    # No scan completes on D (the beat was down). The scan on D+1 records D's reminders too.
    scan_and_send(D + timedelta(days=1), capture=django_capture_on_commit_callbacks)

    assert sorted(ReminderLedger.objects.values_list("day", "kind")) == [
        (D, "due_soon_1"),
        (D + timedelta(days=1), "due_soon_3"),
    ]
    assert Notification.objects.filter(day=D).count() == 1
    (message,) = mail.outbox
    assert "Nhắc ngày 24/11" in message.body and "Nhắc đúng ngày 24/11" in message.body
    # Run again (a second beat, a retry): nothing new.
    scan_and_send(D + timedelta(days=1), capture=django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    assert list(ReminderScan.objects.values_list("day", flat=True)) == [D + timedelta(days=1), D - timedelta(days=1)]


def test_the_catch_up_is_bounded(agencies, ubnd_clerk, settings):
    settings.REMINDER_CATCHUP_DAYS = 3
    ReminderScan.objects.create(day=D - timedelta(days=30), completed_at=timezone.now())

    assert reminders.scan_days(D) == [D - timedelta(days=days) for days in (3, 2, 1, 0)]
    # The first scan ever looks at today only; a scan of an earlier day ignores later watermarks.
    ReminderScan.objects.all().delete()
    assert reminders.scan_days(D) == [D]
    ReminderScan.objects.create(day=D + timedelta(days=5), completed_at=timezone.now())
    assert reminders.scan_days(D) == [D]


@pytest.mark.postgres
def test_a_scan_killed_by_a_database_error_on_day_d_is_made_good_on_d_plus_1(
    transactional_db, agencies, ubnd_clerk, killing_watcher, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("terminates a PostgreSQL backend")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    task(agencies, 1, title="Báo cáo phải nộp ngày 25/11")  # reminded on D only
    reminders.reminders_scan(D - timedelta(days=1))

    killing_watcher.add(D)
    with pytest.raises(OperationalError):
        reminders.reminders_scan(D)  # the database drops the connection mid-scan
    # Nothing of D's scan survived: no ledger row, no watermark.
    assert not ReminderLedger.objects.exists()
    assert not ReminderScan.objects.filter(day=D).exists()

    killing_watcher.clear()
    assert reminders.reminders_scan(D + timedelta(days=1)) == (1, 1)  # queued and sent (eager) on commit

    (row,) = ReminderLedger.objects.all()
    assert (row.day, row.kind, row.sent_at is not None) == (D, "due_soon_1", True)
    (message,) = mail.outbox
    assert "Báo cáo phải nộp ngày 25/11" in message.body
    # Another run of D+1 (a second beat, the command by hand) sends nothing again.
    reminders.reminders_scan(D + timedelta(days=1))
    assert len(mail.outbox) == 1 and ReminderLedger.objects.count() == 1


@pytest.mark.postgres
def test_the_scan_task_retries_a_database_error(transactional_db, agencies, ubnd_clerk, killing_watcher, settings):
    from coordination.tasks import reminders_scan as scan_task

    if connection.vendor != "postgresql":
        pytest.skip("terminates a PostgreSQL backend")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    task(agencies, 1, title="Nhắc sau khi cơ sở dữ liệu trở lại")
    killing_watcher.update({D, "once"})  # the first attempt dies, the retry (eager: at once) completes

    result = scan_task.apply(args=[D.isoformat()], throw=False)

    assert result.get() == {"planned": 1, "queued": 1}

    assert ReminderScan.objects.filter(day=D).exists()
    assert ReminderLedger.objects.filter(day=D, sent_at__isnull=False).count() == 1
    assert len(mail.outbox) == 1


def test_the_sweep_queues_what_was_never_queued_or_whose_worker_died(
    agencies, ubnd_clerk, ubnd_leader, settings, django_capture_on_commit_callbacks
):
    today = timezone.localdate()  # the sweep looks at the real clock's last REMINDER_CATCHUP_DAYS
    offset = (today - TODAY).days
    task(agencies, offset + 1)
    task(agencies, offset - 8)  # escalated: the leader is told too
    with django_capture_on_commit_callbacks(execute=False):  # the broker was down: nothing was queued
        reminders.reminders_scan(today)
    now = timezone.now()
    assert reminders.digests_requeue(now=now) == 0  # just recorded: their digests may be on their way

    # The clerk's digest: a worker claimed it a moment ago (it may be sending): left alone.
    ReminderLedger.objects.filter(recipient=ubnd_clerk).update(claimed_by="live-task", claimed_at=timezone.now())
    later = now + reminders.REQUEUE_AFTER + timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.digests_requeue(now=later) == 1  # the leader's, never queued
    assert [message.to for message in mail.outbox] == [[ubnd_leader.email]]

    # The clerk's worker was killed mid-send: once the claim is older than the timeout, the sweep takes it over.
    assert reminders.digests_requeue(now=later) == 0
    ReminderLedger.objects.filter(recipient=ubnd_clerk).update(
        claimed_at=timezone.now() - timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT + 1)
    )
    assert reminders.digests_requeue() == 1
    assert sorted(message.to[0] for message in mail.outbox) == sorted([ubnd_leader.email, ubnd_clerk.email])
    assert not ReminderLedger.objects.filter(sent_at__isnull=True).exists()
    assert reminders.digests_requeue(now=later) == 0


def test_the_sweep_is_a_beat_job_and_a_command(agencies, ubnd_clerk):
    import io

    from django.core.management import call_command

    from coordination.celery import beat_schedule

    schedule = beat_schedule()
    assert schedule["reminder-digests-requeue"]["task"] == "coordination.tasks.reminder_digests_requeue"
    assert schedule["background-heartbeat"]["task"] == "coordination.tasks.heartbeat"
    output = io.StringIO()
    call_command("requeue_digests", stdout=output)
    assert "0 reminder digest(s) queued again." in output.getvalue()
