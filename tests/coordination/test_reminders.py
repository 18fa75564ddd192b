"""Reminder scan and digests: lead times, overdue, escalation, exactly-once, preferences, language, bell."""

import io
import smtplib
import socket
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from charters.models import Task
from coordination import reminders
from coordination.models import Notification, ReminderLedger, Role
from coordination.tasks import smtp_error_is_transient
from meetings.models import Meeting, MeetingKind, SessionDocument
from tests.factories import member
from voters.models import Petition, Status

TODAY = date(2026, 11, 24)


def task(agencies, days, title=None, agency=None, **fields):
    """An open task of the unit due `days` from TODAY (negative: overdue)."""
    agency = agency or agencies.ubnd
    return Task.objects.create(
        title=title or f"Nhiệm vụ hạn {days:+d} ngày",
        unit=agency.unit,
        responsible_agency=agency,
        due_date=TODAY + timedelta(days=days),
        **fields,
    )


def petition(agencies, days, agency=None, **fields):
    agency = agency or agencies.department
    fields.setdefault("status", Status.FORWARDED)
    return Petition.objects.create(
        unit=agencies.hdnd.unit,
        originating_agency=agencies.hdnd,
        received_on=TODAY - timedelta(days=40),
        content=f"Cử tri phản ánh tuyến đường xuống cấp, hạn {days:+d} ngày",
        lead_agency=agency,
        due_date=TODAY + timedelta(days=days),
        **fields,
    )


def session_document(agencies, days):
    from tests.meetings.factories import local_datetime

    opening = TODAY + timedelta(days=days + 10)
    session = Meeting.objects.create(
        title="Kỳ họp thứ 12 HĐND thành phố",
        kind=MeetingKind.COUNCIL_SESSION,
        unit=agencies.hdnd.unit,
        host_agency=agencies.hdnd,
        starts_at=local_datetime(opening.year, opening.month, opening.day),
    )
    return SessionDocument.objects.create(
        meeting=session,
        title="Tờ trình dự toán ngân sách năm 2027",
        responsible_agency=agencies.ubnd,
        due_date=TODAY + timedelta(days=days),
    )


def scan_and_send(today=TODAY, capture=None):
    """Run the scan and the digests it queues (eagerly, as the embedded default does)."""
    with capture(execute=True):
        return reminders.reminders_scan(today)


def ledger_kinds(user):
    return sorted(ReminderLedger.objects.filter(recipient=user).values_list("item_key", "kind"))


@pytest.fixture
def ubnd_leader(agencies):
    return member(agencies.ubnd, Role.LEADER, username="ubnd_leader")


@pytest.fixture
def department_clerk(agencies):
    return member(agencies.department, Role.CLERK, username="so_xay_dung_clerk")


@pytest.mark.smoke
def test_due_soon_is_reminded_at_each_lead_time_only(agencies, ubnd_clerk):
    reminded = {days: task(agencies, days) for days in (7, 3, 1)}
    for days in (0, 2, 5, 8):
        task(agencies, days)

    reminders.reminders_scan(TODAY)

    assert ledger_kinds(ubnd_clerk) == sorted((f"task:{t.pk}", f"due_soon_{days}") for days, t in reminded.items())
    assert Notification.objects.filter(recipient=ubnd_clerk, level="due_soon").count() == 3


def test_lead_times_come_from_settings(agencies, ubnd_clerk, settings):
    settings.REMINDER_LEAD_DAYS = [10, 2]
    due_in_10, due_in_2 = task(agencies, 10), task(agencies, 2)
    task(agencies, 7)

    reminders.reminders_scan(TODAY)

    assert ledger_kinds(ubnd_clerk) == sorted(
        [(f"task:{due_in_10.pk}", "due_soon_10"), (f"task:{due_in_2.pk}", "due_soon_2")]
    )


def test_overdue_on_the_first_day_late_then_weekly_and_escalated(agencies, ubnd_clerk):
    first_day = task(agencies, -1)
    task(agencies, -2)  # reminded yesterday, next in a week
    week_late = task(agencies, -8)
    two_weeks_late = task(agencies, -15)
    done = task(agencies, -1, status="done", completed_on=TODAY)

    reminders.reminders_scan(TODAY)

    assert ledger_kinds(ubnd_clerk) == sorted(
        [
            (f"task:{first_day.pk}", "overdue"),
            (f"task:{week_late.pk}", "escalation"),
            (f"task:{two_weeks_late.pk}", "escalation"),
        ]
    )
    assert not ReminderLedger.objects.filter(item_key=f"task:{done.pk}").exists()


def test_escalation_goes_to_leaders_and_the_council_standing_committee(
    agencies, ubnd_clerk, ubnd_leader, clerk, leader, secretariat, mttq_clerk, outsider
):
    late = task(agencies, -8)
    first_day_late = task(agencies, -1)

    reminders.reminders_scan(TODAY)

    escalated_to = set(
        ReminderLedger.objects.filter(item_key=f"task:{late.pk}").values_list("recipient__username", flat=True)
    )
    assert escalated_to == {"ubnd_clerk", "ubnd_leader", "hdnd_clerk", "hdnd_leader", "hdnd_secretariat"}
    assert set(ReminderLedger.objects.filter(item_key=f"task:{late.pk}").values_list("kind", flat=True)) == {
        "escalation"
    }
    # Not yet escalated: only the responsible agency's clerks.
    told = set(
        ReminderLedger.objects.filter(item_key=f"task:{first_day_late.pk}").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"ubnd_clerk"}


def test_escalation_threshold_comes_from_settings(agencies, ubnd_clerk, ubnd_leader, settings):
    settings.REMINDER_ESCALATE_AFTER_DAYS = 3
    late = task(agencies, -4)

    reminders.reminders_scan(TODAY)

    assert ledger_kinds(ubnd_leader) == [(f"task:{late.pk}", "escalation")]


def test_every_watched_kind_is_reminded(agencies, ubnd_clerk, department_clerk, reference_data):
    answer_due = petition(agencies, 3)
    duplicate = petition(agencies, 3)
    duplicate.primary = answer_due
    duplicate.save(update_fields=["primary"])
    answered = petition(agencies, 3, status=Status.ANSWERED)
    document = session_document(agencies, 1)

    reminders.reminders_scan(TODAY)

    assert ledger_kinds(department_clerk) == [(f"petition:{answer_due.pk}", "due_soon_3")]
    assert not ReminderLedger.objects.filter(item_key__in=[f"petition:{duplicate.pk}", f"petition:{answered.pk}"])
    assert ledger_kinds(ubnd_clerk) == [(f"session_document:{document.pk}", "due_soon_1")]


@pytest.mark.smoke
def test_digest_email_groups_overdue_first_with_absolute_links(
    agencies, ubnd_clerk, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://phoihop.example.vn"
    ubnd_clerk.language = "en"
    ubnd_clerk.save(update_fields=["language"])
    soon = task(agencies, 3, title="Báo cáo giám sát đất đai")
    late = task(agencies, -1, title="Trả lời kiến nghị về cấp nước")
    escalated = task(agencies, -8, title="Tờ trình về chỉnh trang đô thị")

    scan_and_send(capture=django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ubnd_clerk.email]
    assert message.subject == "Reminders for 24/11/2026: 3 items need attention"
    body = message.body
    assert body.index("escalated ==") < body.index("== Overdue ==") < body.index("== Due in 3 days ==")
    assert body.index(escalated.title) < body.index(late.title) < body.index(soon.title)
    assert f"https://phoihop.example.vn{reverse('charters:tasks')}" in body
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    assert soon.title in html and "https://phoihop.example.vn/notifications/" in html
    assert message.extra_headers["Message-ID"].startswith(f"<reminder-digest.{ubnd_clerk.pk}.20261124.")


def test_digest_is_in_vietnamese_by_default(agencies, ubnd_clerk, django_capture_on_commit_callbacks):
    task(agencies, 1)

    scan_and_send(capture=django_capture_on_commit_callbacks)

    assert ubnd_clerk.language == "vi"
    message = mail.outbox[0]
    assert message.subject == "Nhắc việc ngày 24/11/2026: 1 việc cần chú ý"
    assert "Đến hạn sau 1 ngày" in message.body
    assert "Hạn" in message.alternatives[0][0]


def test_rerun_on_the_same_day_sends_nothing(agencies, ubnd_clerk, ubnd_leader, django_capture_on_commit_callbacks):
    task(agencies, 3)
    task(agencies, -8)
    scan_and_send(capture=django_capture_on_commit_callbacks)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([ubnd_clerk.email, ubnd_leader.email])
    rows, notifications = ReminderLedger.objects.count(), Notification.objects.count()

    scan_and_send(capture=django_capture_on_commit_callbacks)
    call_command("send_reminders", "--today", TODAY.isoformat(), stdout=io.StringIO())

    assert len(mail.outbox) == 2
    assert (ReminderLedger.objects.count(), Notification.objects.count()) == (rows, notifications)
    assert not ReminderLedger.objects.filter(sent_at__isnull=True).exists()


def test_two_overlapping_scans_send_each_digest_once(agencies, ubnd_clerk, django_capture_on_commit_callbacks):
    task(agencies, 7)
    task(agencies, -1)
    # Both scans record and queue before either digest runs (as with two beats, or a beat and the command).
    with django_capture_on_commit_callbacks() as first:
        reminders.reminders_scan(TODAY)
    with django_capture_on_commit_callbacks() as second:
        reminders.reminders_scan(TODAY)
    assert len(first) == len(second) == 1

    for callback in [*first, *second]:
        callback()

    assert len(mail.outbox) == 1
    assert ReminderLedger.objects.filter(recipient=ubnd_clerk).count() == 2


def test_next_day_sends_only_the_new_reminders(agencies, ubnd_clerk, django_capture_on_commit_callbacks):
    task(agencies, 3, title="Hạn sau ba ngày")
    task(agencies, 4, title="Hạn sau bốn ngày")
    scan_and_send(capture=django_capture_on_commit_callbacks)
    scan_and_send(TODAY + timedelta(days=1), capture=django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 2
    assert "Hạn sau ba ngày" in mail.outbox[0].body and "Hạn sau bốn ngày" not in mail.outbox[0].body
    assert "Hạn sau bốn ngày" in mail.outbox[1].body and "Hạn sau ba ngày" not in mail.outbox[1].body


def test_email_off_means_in_app_only(agencies, ubnd_clerk, django_capture_on_commit_callbacks):
    ubnd_clerk.email_reminders = False
    ubnd_clerk.save(update_fields=["email_reminders"])
    task(agencies, 1)

    scan_and_send(capture=django_capture_on_commit_callbacks)

    assert mail.outbox == []
    assert Notification.objects.filter(recipient=ubnd_clerk).count() == 1
    assert ReminderLedger.objects.get(recipient=ubnd_clerk).email_wanted is False


def test_turning_email_off_after_the_scan_is_respected(agencies, ubnd_clerk, django_capture_on_commit_callbacks):
    task(agencies, 1)
    with django_capture_on_commit_callbacks() as queued:
        reminders.reminders_scan(TODAY)
    ubnd_clerk.email_reminders = False
    ubnd_clerk.save(update_fields=["email_reminders"])

    for callback in queued:
        callback()

    assert mail.outbox == []
    assert ReminderLedger.objects.get(recipient=ubnd_clerk).email_wanted is False


def test_nothing_to_say_means_no_email(agencies, ubnd_clerk, django_capture_on_commit_callbacks):
    task(agencies, 5)
    task(agencies, -3)

    with django_capture_on_commit_callbacks(execute=True) as queued:
        planned, recipients = reminders.reminders_scan(TODAY)

    assert (planned, recipients, queued, mail.outbox) == (0, 0, [], [])
    assert not Notification.objects.exists()


def test_a_digest_sends_only_rows_it_claimed(agencies, ubnd_clerk):
    """The crash window: a worker died after claiming (task id "lost-task"), before sending."""
    task(agencies, 1)
    task(agencies, 3)
    reminders.reminders_scan(TODAY)
    ReminderLedger.objects.update(claimed_by="lost-task", claimed_at=timezone.now())

    # Another task (a later scan's) must not send what the lost task holds: it may still be sending.
    assert reminders.digest_send(user_id=ubnd_clerk.pk, day=TODAY, claim_token="other-task") == 0
    assert mail.outbox == []
    # The redelivered message has the same task id and takes its claim back.
    assert reminders.digest_send(user_id=ubnd_clerk.pk, day=TODAY, claim_token="lost-task") == 2
    assert len(mail.outbox) == 1
    assert reminders.digest_send(user_id=ubnd_clerk.pk, day=TODAY, claim_token="lost-task") == 0
    assert len(mail.outbox) == 1


def test_an_abandoned_claim_is_taken_over_after_the_task_time_limit(agencies, ubnd_clerk, settings):
    task(agencies, 1)
    reminders.reminders_scan(TODAY)
    too_old = timezone.now() - timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT + 1)
    ReminderLedger.objects.update(claimed_by="dead-worker-task", claimed_at=too_old)

    assert reminders.digest_send(user_id=ubnd_clerk.pk, day=TODAY, claim_token="next-scan-task") == 1
    assert len(mail.outbox) == 1


def test_smtp_failure_releases_the_claim_for_a_retry(agencies, ubnd_clerk, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port, 2
    task(agencies, 1)
    reminders.reminders_scan(TODAY)

    with pytest.raises(OSError) as failure:
        reminders.digest_send(user_id=ubnd_clerk.pk, day=TODAY, claim_token="task-1")

    assert smtp_error_is_transient(failure.value)
    row = ReminderLedger.objects.get()
    assert (row.claimed_by, row.sent_at) == ("", None)


def test_which_smtp_errors_are_retried():
    assert smtp_error_is_transient(smtplib.SMTPServerDisconnected("gone"))
    assert smtp_error_is_transient(smtplib.SMTPResponseException(451, b"try later"))
    assert smtp_error_is_transient(ConnectionRefusedError())
    assert not smtp_error_is_transient(smtplib.SMTPResponseException(550, b"no such user"))
    assert not smtp_error_is_transient(smtplib.SMTPRecipientsRefused({"a@b.vn": (550, b"unknown")}))
    assert not smtp_error_is_transient(ValueError("bug"))


def test_unsent_digests_of_earlier_days_are_caught_up(agencies, ubnd_clerk, django_capture_on_commit_callbacks):
    task(agencies, 2, title="Nhắc từ hôm qua")
    # Yesterday's scan recorded the reminder but its digest was never queued (broker down).
    with django_capture_on_commit_callbacks():
        reminders.reminders_scan(TODAY - timedelta(days=1))
    assert mail.outbox == []

    scan_and_send(capture=django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1
    assert "Nhắc từ hôm qua" in mail.outbox[0].body
    assert not ReminderLedger.objects.filter(sent_at__isnull=True).exists()


def _scan_world(agencies, size):
    for offset in range(size):
        task(agencies, (7, 3, 1, -1, -8)[offset % 5], title=f"Nhiệm vụ {offset}")
        petition(agencies, (7, 3, -1, -15)[offset % 4])
    for days in (7, 3, 1, -1)[: max(1, min(size, 4))]:
        session_document(agencies, days)


def test_the_scan_query_count_does_not_grow_with_the_items(
    agencies, ubnd_clerk, ubnd_leader, department_clerk, clerk, reference_data
):
    """The same reads with 1 or 50 items per kind; the two inserts are batched by the database's
    parameter limit only (one statement each on PostgreSQL up to 2,000 rows; SQLite splits sooner)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def scan_queries():
        with CaptureQueriesContext(connection) as captured:
            planned, _recipients = reminders.reminders_scan(TODAY)
        statements = [query["sql"] for query in captured.captured_queries]
        reads = [sql for sql in statements if not sql.startswith("INSERT")]
        ledger_inserts = sum(1 for sql in statements if 'INTO "coordination_reminderledger"' in sql)
        return planned, reads, ledger_inserts

    _scan_world(agencies, 1)
    _planned, small_reads, _inserts = scan_queries()
    Notification.objects.all().delete()
    ReminderLedger.objects.all().delete()
    _scan_world(agencies, 50)
    planned, big_reads, ledger_inserts = scan_queries()

    assert planned > 100
    assert len(big_reads) == len(small_reads) <= 12
    fields = [field for field in ReminderLedger._meta.concrete_fields if not field.primary_key]
    batch = min(2000, connection.ops.bulk_batch_size(fields, [None] * planned))
    assert ledger_inserts == -(-planned // batch)


def test_dry_run_prints_and_writes_nothing(agencies, ubnd_clerk, ubnd_leader, django_capture_on_commit_callbacks):
    late = task(agencies, -8, title="Báo cáo chậm")
    output = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", "2026-11-24", "--dry-run", stdout=output)

    text = output.getvalue()
    assert "ubnd_clerk" in text and "ubnd_leader" in text and f"task:{late.pk}" in text and "escalation" in text
    assert not ReminderLedger.objects.exists() and not Notification.objects.exists() and mail.outbox == []


def test_the_command_records_and_sends(agencies, ubnd_clerk, django_capture_on_commit_callbacks):
    task(agencies, 7)
    output = io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", "2026-11-24", stdout=output)

    assert "1 reminders planned, 1 digests queued" in output.getvalue()
    assert len(mail.outbox) == 1


def test_the_beat_task_is_the_scan(agencies, ubnd_clerk, django_capture_on_commit_callbacks):
    from coordination.celery import beat_schedule
    from coordination.tasks import reminders_scan as scan_task

    task(agencies, 1)
    assert beat_schedule()["daily-reminder-scan"]["task"] == scan_task.name == "coordination.tasks.reminders_scan"

    with django_capture_on_commit_callbacks(execute=True):
        result = scan_task.delay(TODAY.isoformat()).get()

    assert result == {"planned": 1, "queued": 1}
    assert len(mail.outbox) == 1


def test_bell_count_and_list_show_the_digest_items(
    agencies, ubnd_clerk, ubnd_leader, login, django_capture_on_commit_callbacks
):
    titles = {task(agencies, days, title=f"Việc {days:+d}").title for days in (7, 3, 1, -1, -8)}
    task(agencies, 2, title="Không nhắc hôm nay")

    scan_and_send(capture=django_capture_on_commit_callbacks)

    digest = next(message for message in mail.outbox if message.to == [ubnd_clerk.email])
    assert {title for title in titles if title in digest.body} == titles
    client = login(ubnd_clerk)
    page = client.get(reverse("notifications"))
    assert page.status_code == 200
    assert page.context["notifications_unread"] == 5
    listed = {notification.title for notification in page.context["page_obj"]}
    assert listed == titles
    html = page.content.decode()
    assert "Không nhắc hôm nay" not in html
    assert 'notifications-count">5<' in html


def test_bell_is_one_query(agencies, ubnd_clerk, rf, django_assert_num_queries):
    from coordination.context_processors import notifications

    task(agencies, 1)
    reminders.reminders_scan(TODAY)
    request = rf.get("/")
    request.user = ubnd_clerk

    with django_assert_num_queries(1):
        context = notifications(request)
        assert context["notifications_unread"] == 1


def test_mark_read_and_mark_all_read(agencies, ubnd_clerk, ubnd_leader, login):
    task(agencies, -8)
    task(agencies, 1)
    reminders.reminders_scan(TODAY)
    client = login(ubnd_clerk)
    first, second = Notification.objects.filter(recipient=ubnd_clerk)
    leaders = Notification.objects.get(recipient=ubnd_leader)

    response = client.post(reverse("notification_read", args=[first.pk]), {"open": "1"})
    assert response.status_code == 302 and response.url == first.url
    first.refresh_from_db()
    assert first.read_at is not None
    # Someone else's notification: not found, and untouched.
    assert client.post(reverse("notification_read", args=[leaders.pk])).status_code == 404
    assert client.get(reverse("notification_read", args=[second.pk])).status_code == 405

    response = client.post(reverse("notifications_read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=ubnd_clerk, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=leaders.pk).read_at is None
    assert client.get(reverse("notifications") + "?show=unread").context["page_obj"].object_list == []


def test_notifications_page_needs_login(client):
    response = client.get(reverse("notifications"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_profile_offers_email_or_in_app_only(ubnd_clerk, login):
    client = login(ubnd_clerk)
    page = client.get(reverse("profile"))
    assert b'name="email_reminders"' in page.content and b'type="radio"' in page.content

    response = client.post(
        reverse("profile"),
        {
            "first_name": "Lan",
            "last_name": "Trần Thị",
            "email": ubnd_clerk.email,
            "position": "Chuyên viên",
            "language": "vi",
            "email_reminders": "False",
        },
    )

    assert response.status_code == 302
    ubnd_clerk.refresh_from_db()
    assert ubnd_clerk.email_reminders is False


def test_schedule_dates_are_few_and_known():
    schedule = reminders.ReminderSchedule(TODAY, lead_days=[7, 3, 1], escalate_after=7, repeat=7, horizon=366)

    assert schedule.classify(TODAY + timedelta(days=7)) == ("due_soon_7", "due_soon")
    assert schedule.classify(TODAY - timedelta(days=1)) == ("overdue", "overdue")
    assert schedule.classify(TODAY - timedelta(days=8)) == ("escalation", "escalation")
    assert schedule.classify(TODAY - timedelta(days=9)) is None
    assert schedule.classify(TODAY) is None
    assert len(schedule.due_dates) == 3 + 53
    once = reminders.ReminderSchedule(TODAY, lead_days=[3], escalate_after=10, repeat=0, horizon=366)
    assert [(TODAY - day).days for day in once.overdue_dates] == [11, 1]


def test_past_meetings_without_minutes_are_reminded_to_the_host(agencies, clerk, reference_data):
    from tests.meetings.factories import local_datetime

    def meeting(day, **fields):
        return Meeting.objects.create(
            title=f"Tiếp công dân ngày {day:%d/%m}",
            kind=MeetingKind.CITIZEN_RECEPTION,
            unit=agencies.hdnd.unit,
            host_agency=agencies.hdnd,
            starts_at=local_datetime(day.year, day.month, day.day),
            **fields,
        )

    # Minutes are due 5 working days after the meeting: Monday 16/11 → Monday 23/11, one day late today.
    one_day_late = meeting(date(2026, 11, 16))
    meeting(date(2026, 11, 13))  # due Friday 20/11: four days late, reminded again next week
    meeting(date(2026, 11, 16), minutes_text="Biên bản đã lập", minutes_recorded_at=timezone.now())

    reminders.reminders_scan(TODAY)

    assert ledger_kinds(clerk) == [(f"meeting_minutes:{one_day_late.pk}", "overdue")]
    notification = Notification.objects.get(recipient=clerk)
    assert notification.url == reverse("meetings:minutes", args=[one_day_late.pk])
    assert notification.due_date == date(2026, 11, 23)


def _charter(agencies, number, effective_from=date(2026, 1, 1)):
    from charters.models import Charter, CharterParty, CharterStatus
    from tests.factories import TermFactory

    term = TermFactory(
        name="2026–2031", start_year=2026, end_year=2031, start_date=date(2026, 1, 1), end_date=date(2031, 6, 30)
    )
    charter = Charter.objects.create(
        number=number,
        title="Quy chế phối hợp công tác giữa Thường trực HĐND, UBND và Ban Thường trực UBMTTQ",
        unit=agencies.hdnd.unit,
        term=term,
        status=CharterStatus.IN_FORCE,
        signed_on=effective_from,
        effective_from=effective_from,
    )
    for order, agency in enumerate([agencies.ubnd, agencies.hdnd, agencies.mttq]):
        CharterParty.objects.create(charter=charter, agency=agency, order=order)
    return charter


def test_annual_reviews_not_started_by_the_end_of_january(agencies, clerk, secretariat, ubnd_clerk):
    from charters.reviews.models import AnnualReview, ReviewKind

    not_started = _charter(agencies, "35/QCPH")
    started = _charter(agencies, "36/QCPH")
    AnnualReview.objects.create(
        charter=started, year=2026, kind=ReviewKind.ANNUAL, symbol="BC-HĐND", place="Đà Nẵng", summary="Sơ kết năm 2026"
    )
    _charter(agencies, "37/QCPH", effective_from=date(2027, 1, 15))  # not in force during 2026

    reminders.reminders_scan(date(2027, 1, 24))  # 31 January is seven days away
    reminders.reminders_scan(date(2027, 2, 1))  # and one day behind

    key = f"annual_review:{not_started.pk}:2026"
    # The 1 February scan also fills in the days no scan completed (29-31 January): 30 January's "due in 1 day".
    assert ledger_kinds(clerk) == [(key, "due_soon_1"), (key, "due_soon_7"), (key, "overdue")]
    assert ledger_kinds(secretariat) == [(key, "due_soon_1"), (key, "due_soon_7"), (key, "overdue")]
    assert ledger_kinds(ubnd_clerk) == []  # the HĐND standing committee convenes the review
    assert ReminderLedger.objects.filter(item_key=key).first().url == reverse(
        "charters:review_create", args=[not_started.pk]
    )
    assert not ReminderLedger.objects.exclude(item_key=key).exists()
    # In November there is no 31 January to look at: the watcher does not even query.
    assert reminders.reminders_plan(TODAY) == []


def test_notifications_page_is_paginated_and_ordered_like_the_digest(agencies, ubnd_clerk, login):
    Notification.objects.bulk_create(
        Notification(
            recipient=ubnd_clerk,
            item_kind="task",
            item_key=f"task:{number}",
            kind=kind,
            level=level,
            title=f"Việc {number}",
            due_date=TODAY + timedelta(days=offset),
            day=TODAY,
        )
        for number, (kind, level, offset) in enumerate(
            [("due_soon_7", "due_soon", 7)] * 20 + [("overdue", "overdue", -1)] * 9 + [("escalation", "escalation", -8)]
        )
    )
    client = login(ubnd_clerk)

    first = client.get(reverse("notifications")).context["page_obj"]
    second = client.get(reverse("notifications") + "?page=2").context["page_obj"]

    assert (len(first), len(second)) == (25, 5)
    assert [n.level for n in first][:10] == ["escalation"] + ["overdue"] * 9
