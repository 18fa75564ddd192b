"""Reminders with the real parts: Redis, a real Celery worker process, and a real SMTP server on loopback.

The worker is a subprocess, so it is pointed at the aiosmtpd server through its environment
(EMAIL_HOST/EMAIL_PORT). Messages are counted only when the server answered 250 to DATA, as a real
mail server delivers only what it accepted.
"""

import asyncio
import email
import json
import socket
import threading
import uuid
from contextlib import contextmanager
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.utils import timezone

from coordination import reminders
from coordination.models import Notification, ReminderLedger, Role
from coordination.tasks import PING_DB_CACHE_PREFIX, ping_db
from tests.coordination.test_reminders import TODAY, task
from tests.factories import member
from tests.realparts import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.postgres]

SITE_URL = "https://phoihop.example.vn"
# Redeliver a message left unacked by a killed worker after 3 s instead of 2 × the task time limit.
FAST_REDELIVERY = json.dumps({"visibility_timeout": 3, "unacked_restore_interval": 1, "unacked_restore_throttle": 1})


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler keeping accepted messages; can hold the first DATA until told to go on."""

    def __init__(self):
        self.messages = []
        self.hold_first = False
        self.holding = threading.Event()
        self.release = threading.Event()
        self._held = False

    async def handle_DATA(self, server, session, envelope):
        if self.hold_first and not self._held:
            self._held = True
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
            # The client is gone by now: no 250, so the message was never accepted.
            return "451 4.3.0 Connection lost before the message was accepted"
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 2.0.0 OK"

    def to(self, address):
        return [message for message in self.messages if message["To"] == address]


@pytest.fixture
def smtp_inbox():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        inbox.release.set()
        controller.stop()


@pytest.fixture
def mailing_worker(celery_worker, smtp_inbox):
    """The real worker, restarted so it sends through the loopback SMTP server."""
    _inbox, port = smtp_inbox
    celery_worker.restart(
        extra_env={
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(port),
            "SITE_URL": SITE_URL,
            "CELERY_BROKER_TRANSPORT_OPTIONS": FAST_REDELIVERY,
        },
        kill=True,
    )
    return celery_worker


def drain(worker):
    """Wait until the worker has run everything queued before now (the solo worker runs in order)."""
    token = uuid.uuid4().hex
    ping_db.delay(token)
    wait_until(
        lambda: cache.get(f"{PING_DB_CACHE_PREFIX}{token}") is not None,
        timeout=60,
        message=f"the worker to drain its queue; log:\n{worker.log()}",
    )


@pytest.fixture
def people(agencies):
    return {
        "ubnd_clerk": member(agencies.ubnd, Role.CLERK, username="ubnd_clerk"),
        "ubnd_leader": member(agencies.ubnd, Role.LEADER, username="ubnd_leader", language="en"),
        "hdnd_clerk": member(agencies.hdnd, Role.CLERK, username="hdnd_clerk"),
    }


def test_worker_emails_each_person_one_digest_over_smtp(agencies, people, mailing_worker, smtp_inbox):
    inbox, _port = smtp_inbox
    soon = task(agencies, 7, title="Xây dựng kế hoạch tiếp xúc cử tri")
    escalated = task(agencies, -8, title="Báo cáo kết quả giải quyết kiến nghị cử tri")

    assert reminders.reminders_scan(TODAY) == (4, 3)

    wait_until(lambda: len(inbox.messages) >= 3, timeout=60, message=f"3 digests; log:\n{mailing_worker.log()}")
    (clerk_mail,) = inbox.to(people["ubnd_clerk"].email)
    assert clerk_mail["Subject"].strip() == "Nhắc việc ngày 24/11/2026: 2 việc cần chú ý"
    text = clerk_mail.get_body(("plain",)).get_content()
    html = clerk_mail.get_body(("html",)).get_content()
    assert text.index(escalated.title) < text.index(soon.title)
    assert f"{SITE_URL}/charters/tasks/" in text and f'href="{SITE_URL}/notifications/"' in html
    assert escalated.title in html and "Quá hạn" in html
    (leader_mail,) = inbox.to(people["ubnd_leader"].email)
    assert leader_mail["Subject"].strip() == "Reminders for 24/11/2026: 1 item needs attention"
    assert soon.title not in leader_mail.get_body(("plain",)).get_content()
    assert len(inbox.to(people["hdnd_clerk"].email)) == 1
    wait_until(lambda: not ReminderLedger.objects.filter(sent_at__isnull=True).exists(), message="sent_at stamped")

    # The same day again (a second beat, the command by hand): nothing new is sent.
    assert reminders.reminders_scan(TODAY) == (4, 0)
    reminders.digest_enqueue(people["ubnd_clerk"].pk, TODAY)
    drain(mailing_worker)
    assert len(inbox.messages) == 3


def test_worker_killed_while_sending_then_restarted_sends_each_digest_once(
    agencies, people, mailing_worker, smtp_inbox
):
    inbox, _port = smtp_inbox
    inbox.hold_first = True
    task(agencies, 3, title="Chuẩn bị báo cáo thẩm tra")
    task(agencies, -8, title="Trả lời kiến nghị về ngập úng")

    reminders.reminders_scan(TODAY)
    # The worker is inside the SMTP DATA of the first digest: kill -9 it there.
    assert inbox.holding.wait(60), mailing_worker.log()
    mailing_worker.kill()
    inbox.release.set()
    claimed = ReminderLedger.objects.exclude(claimed_by="").filter(sent_at__isnull=True)
    assert claimed.exists(), "the killed task had claimed its rows"
    assert inbox.messages == []

    mailing_worker.restart()  # same environment; Redis redelivers the unacked message to it

    expected = {people["ubnd_clerk"].email: 1, people["ubnd_leader"].email: 1, people["hdnd_clerk"].email: 1}
    wait_until(
        lambda: len(inbox.messages) >= 3 and not ReminderLedger.objects.filter(sent_at__isnull=True).exists(),
        timeout=90,
        message=f"the redelivered digest; log:\n{mailing_worker.log()}",
    )
    # A later scan (the catch-up path) and a queue drain add nothing.
    reminders.reminders_scan(TODAY)
    drain(mailing_worker)
    assert {address: len(inbox.to(address)) for address in expected} == expected
    assert len(inbox.messages) == 3


def test_worker_killed_mid_send_without_redelivery_the_sweep_sends_within_minutes(
    agencies, people, mailing_worker, smtp_inbox
):
    """Redis would give the killed task back only after the visibility timeout (30 minutes by default): the
    restarted worker's sweep takes over the dead claim once it is older than REMINDER_CLAIM_TIMEOUT."""
    inbox, port = smtp_inbox
    mailing_worker.restart(
        extra_env={"EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "REMINDER_CLAIM_TIMEOUT": "3"}, kill=True
    )
    inbox.hold_first = True
    today = timezone.localdate()  # the sweep looks at the real clock's days: rows of today
    offset = (today - TODAY).days
    task(agencies, offset + 3, title="Chuẩn bị báo cáo thẩm tra")
    task(agencies, offset - 8, title="Trả lời kiến nghị về ngập úng")
    reminders.reminders_scan(today)
    assert inbox.holding.wait(60), mailing_worker.log()
    mailing_worker.kill()
    inbox.release.set()
    assert ReminderLedger.objects.exclude(claimed_by="").filter(sent_at__isnull=True).exists()

    mailing_worker.start(extra_env=mailing_worker.extra_env)  # no redelivery for 30 minutes; the sweep it is
    wait_until(
        lambda: len(inbox.messages) >= 3 and not ReminderLedger.objects.filter(sent_at__isnull=True).exists(),
        timeout=90,
        message=f"the swept digest; log:\n{mailing_worker.log()}",
    )
    drain(mailing_worker)
    expected = {person.email: 1 for person in people.values()}
    assert {address: len(inbox.to(address)) for address in expected} == expected


@contextmanager
def broker_down():
    """Point this process's Celery app at a closed port: publishing fails as in a Redis outage."""
    from coordination.celery import app

    def drop_pooled_connections():
        app._pool = None
        app.amqp._producer_pool = None

    before = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = f"redis://127.0.0.1:{free_port()}/0", False
    drop_pooled_connections()
    try:
        yield
    finally:
        app.conf.broker_url, app.conf.task_always_eager = before
        drop_pooled_connections()


def test_no_broker_saves_still_succeed_and_the_next_scan_sends(
    agencies, people, mailing_worker, smtp_inbox, login, caplog
):
    inbox, _port = smtp_inbox
    task(agencies, 1, title="Gửi dự thảo nghị quyết")

    with broker_down():
        # The scan's own writes commit; queueing the digests fails, is logged and swallowed.
        assert reminders.reminders_scan(TODAY) == (1, 1)
        # A clerk's save (mark all read) answers normally while the broker is down.
        client = login(people["ubnd_clerk"])
        response = client.post("/notifications/read-all/")
        assert response.status_code == 302
    assert "Could not queue coordination.tasks.reminder_digest_send" in caplog.text
    assert Notification.objects.filter(recipient=people["ubnd_clerk"]).exclude(read_at=None).count() == 1
    assert ReminderLedger.objects.filter(sent_at__isnull=True).count() == 1
    drain(mailing_worker)
    assert inbox.messages == []

    # Broker back: the next scan queues again from the ledger, and the digest goes out once.
    assert reminders.reminders_scan(TODAY) == (1, 1)
    wait_until(lambda: inbox.messages, timeout=60, message=f"the caught-up digest; log:\n{mailing_worker.log()}")
    drain(mailing_worker)
    (message,) = inbox.messages
    assert "Gửi dự thảo nghị quyết" in message.get_body(("plain",)).get_content()


def _in_threads(count, target):
    """Run `target()` in `count` threads released together; returns their results (or raises)."""
    from django.db import connection

    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            results.append(target())
        except Exception as exc:  # noqa: BLE001 - reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_overlapping_scans_on_postgresql_send_each_digest_once(transactional_db, agencies, people, settings):
    from django.core import mail
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    task(agencies, 7)
    task(agencies, -8)

    # Three scans at the same instant, each queueing (eagerly running) the digests after its commit.
    results = _in_threads(3, lambda: reminders.reminders_scan(TODAY))

    assert [planned for planned, _queued in results] == [4, 4, 4]
    assert sorted(message.to[0] for message in mail.outbox) == sorted(person.email for person in people.values())
    assert ReminderLedger.objects.count() == Notification.objects.count() == 4
    assert not ReminderLedger.objects.filter(sent_at__isnull=True).exists()


def test_concurrent_digest_sends_for_one_person_send_once(transactional_db, agencies, people, settings):
    from django.core import mail
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    task(agencies, 3)
    task(agencies, 1)
    with settings_eager_off():
        reminders.reminders_scan(TODAY)  # records only: the queueing goes nowhere here
    clerk = people["ubnd_clerk"]

    sent = _in_threads(4, lambda: reminders.digest_send(user_id=clerk.pk, day=TODAY, claim_token=uuid.uuid4().hex))

    assert sorted(sent) == [0, 0, 0, 2]
    assert len(mail.outbox) == 1


@contextmanager
def settings_eager_off():
    """Queue into a closed port (nothing runs) so a test can drive the digests itself."""
    with broker_down():
        yield
