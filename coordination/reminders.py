"""Reminders: what is due soon or overdue, who is told, and the ledger that emails each reminder once.

How a day's reminders are decided (deterministic for a given day, whatever ran before):

- due soon: an item is reminded on the days when it is exactly N days from its due date, for each
  N in ``REMINDER_LEAD_DAYS`` (default 7, 3 and 1): kinds ``due_soon_7``, ``due_soon_3``…;
- overdue: on the first day after the due date, then every ``REMINDER_OVERDUE_REPEAT_DAYS`` days
  (0 = only once) while it stays open, for at most ``REMINDER_OVERDUE_HORIZON_DAYS``: kind ``overdue``;
- escalation: on the first day it is overdue by more than ``REMINDER_ESCALATE_AFTER_DAYS`` days, then
  with the same repeat: kind ``escalation``. It goes to the clerks of the responsible agency, its
  leaders, and every member of the People's Council standing committee (HĐND) of the item's unit.

So the set of due dates that matter on a day is small and known in advance; each watcher reads its
items with ``due_date IN (...)`` in one query, whatever the number of items.

No day is skipped. Each scan records a ``ReminderScan`` row (the watermark) in the same transaction as
its ledger rows, and computes the reminders of every day since the latest COMPLETED scan, at most
``REMINDER_CATCHUP_DAYS`` back (``scan_days``): a scan that failed on day D (a database failover, a
crash, a beat that was down) left no row, so the run on D+1 records D's reminders too (with day = D).

Exactly once. ``reminders_scan`` writes one ``ReminderLedger`` row (and one ``Notification``) per
(recipient, item, kind, day) with INSERT … ON CONFLICT DO NOTHING, so a rerun, a retried scan or two
overlapping scans add nothing. It then queues one ``reminder_digest_send(user_id, day)`` per recipient
with unsent email rows of the last ``REMINDER_CATCHUP_DAYS`` days, on commit; a failure to queue (no
broker) fails at once (no connection retry), is logged and swallowed, and the digest sweep
(``digests_requeue``, beat every 5 minutes) queues it again once the broker is back. ``digest_send``:

1. claims the user's unsent rows with one conditional UPDATE (``claimed_by`` = the Celery task id,
   only rows unclaimed, already claimed by this same task id, or whose claim is older than
   ``REMINDER_CLAIM_TIMEOUT``, which is longer than the digest task's hard time limit
   ``REMINDER_SEND_TIME_LIMIT``: such a claim belongs to a process that was killed); autocommit;
2. opens the SMTP connection, then refreshes ``claimed_at`` (a claim taken over meanwhile → nothing
   is sent), then sends one message with exactly the claimed rows (MAIL, RCPT, DATA);
3. stamps ``sent_at`` right after the server's reply to DATA, before QUIT and before anything else.

A concurrent second task for the same user claims nothing and sends nothing. A worker killed before
step 3 leaves the rows claimed; the digest sweep takes them over once the claim is older than
``REMINDER_CLAIM_TIMEOUT`` (3 minutes by default), so the digest leaves within minutes of the worker's
restart, and a redelivery of the same task (same id) takes its own claim back.

The duplicate window SMTP leaves open: SMTP has no two-phase commit. A server may have stored (and
will deliver) the message as soon as it received the final "." of DATA, before its "250" reply reaches
us. If the process dies, or the connection drops, after the server stored the message and before
``sent_at`` is committed, the digest is sent again. The window is therefore one network round trip
plus one local UPDATE; nothing else runs in it. The message carries a deterministic Message-ID built
from the rows it contains, so a duplicate is recognisably the same message. If the server never
stored the message (no "." received, or it answered 4xx/5xx) the resend is the first delivery.

Handoffs. When an agency hands an item to another (a petition forwarded, returned, answered, judged),
``handoff_notify`` writes, in the service's own transaction, one ``Notification`` (the bell) and one
``ReminderLedger`` row (the next daily digest) per active member of the agencies that must act, with
level ``handoff``. The item key names the event (``forwarding:12``, ``answer:7``…), so the unique
constraints make a retried service add nothing, and a bulk forward is one event (one row per person).
The next scan queues the digest like any reminder; the email preference decides ``email_wanted``.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from uuid import uuid4

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Max, Q, Value, When
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import AgencyKind, Membership, Notification, ReminderLedger, ReminderLevel, ReminderScan, Role, User
from .queueing import enqueue

logger = logging.getLogger(__name__)

# The digest task (coordination/tasks.py), queued by name: the task imports this module.
DIGEST_TASK = "coordination.tasks.reminder_digest_send"
OVERDUE = "overdue"
ESCALATION = "escalation"
HANDOFF_PREFIX = "handoff_"

ITEM_KIND_LABELS = {
    "petition": _("Voter petition"),
    "task": _("Task"),
    "session_document": _("Session document"),
    "meeting_minutes": _("Meeting minutes"),
    "annual_review": _("Annual review"),
    "petitions": _("Voter petitions"),
    "export": _("Export of petitions"),
}

# What each handoff asks of its recipients (the group title in the digest, the badge under the bell).
HANDOFF_TITLES = {
    "handoff_forward": _("Forwarded to your agency: to answer"),
    "handoff_support": _("Your agency supports the answer"),
    "handoff_return": _("Returned as wrong authority: to forward again"),
    "handoff_answer": _("Answered: to evaluate or close"),
    "handoff_reanswer": _("Answer judged unsatisfactory: to answer again"),
    "handoff_satisfied": _("Answer judged satisfactory"),
    # Not handoffs, shown the same way: a background export finished (voters.export_jobs).
    "export_ready": _("Your export is ready"),
    "export_failed": _("Your export failed"),
}


@dataclass(frozen=True)
class ReminderItem:
    """One watched item, as a watcher reports it."""

    item_kind: str
    item_key: str
    title: str
    due_date: date
    url: str
    agency_id: int
    unit_id: int
    # Who in the responsible agency is told before escalation (clerks, by default).
    roles: tuple = (Role.CLERK,)


@dataclass(frozen=True)
class PlannedReminder:
    recipient_id: int
    email_wanted: bool
    item: ReminderItem
    kind: str
    level: str


class ReminderSchedule:
    """Which due dates are reminded on `today`, and with which reminder kind."""

    def __init__(self, today, *, lead_days=None, escalate_after=None, repeat=None, horizon=None):
        self.today = today
        self.lead_days = sorted(set(settings.REMINDER_LEAD_DAYS if lead_days is None else lead_days), reverse=True)
        self.escalate_after = settings.REMINDER_ESCALATE_AFTER_DAYS if escalate_after is None else escalate_after
        self.repeat = settings.REMINDER_OVERDUE_REPEAT_DAYS if repeat is None else repeat
        self.horizon = settings.REMINDER_OVERDUE_HORIZON_DAYS if horizon is None else horizon
        self._kinds = {}
        for days in self.lead_days:
            if days >= 0:
                self._kinds[today + timedelta(days=days)] = (f"due_soon_{days}", ReminderLevel.DUE_SOON)
        for days_late in self._cadence(1):
            self._kinds[today - timedelta(days=days_late)] = (OVERDUE, ReminderLevel.OVERDUE)
        # Escalation wins over a plain overdue reminder falling on the same day.
        for days_late in self._cadence(self.escalate_after + 1):
            self._kinds[today - timedelta(days=days_late)] = (ESCALATION, ReminderLevel.ESCALATION)

    def _cadence(self, first):
        if first > self.horizon:
            return []
        if self.repeat <= 0:
            return [first]
        return list(range(first, self.horizon + 1, self.repeat))

    @property
    def due_dates(self):
        """The due dates that are reminded today, sorted (for `due_date__in`)."""
        return sorted(self._kinds)

    @property
    def lead_dates(self):
        return sorted(day for day, (_kind, level) in self._kinds.items() if level == ReminderLevel.DUE_SOON)

    @property
    def overdue_dates(self):
        return sorted(day for day, (_kind, level) in self._kinds.items() if level != ReminderLevel.DUE_SOON)

    @property
    def max_lead(self):
        return max([0, *self.lead_days])

    def classify(self, due_date):
        """(kind, level) for an open item due on `due_date`, or None when it is not reminded today."""
        return self._kinds.get(due_date)


def handoff_notify(*, agency_ids, item_kind, item_key, kind, url, due_date, title, exclude_user_ids=(), day=None):
    """Tell every active member of `agency_ids` that an item was handed to them: one notification under
    the bell and one ledger row for their next digest, per person, whatever the number of items.

    `title` is called once per language of the recipients (under that language) and returns the text,
    which says what is expected and by when; it must not contain voters' personal data. Call it inside
    the service's transaction: the rows are written with it or not at all. Returns the recipients' ids.
    """
    day = day or timezone.localdate()
    members = (
        Membership.objects.filter(agency_id__in=list(agency_ids), user__is_active=True)
        .exclude(user_id__in=list(exclude_user_ids))
        .order_by("user_id")
        .values_list("user_id", "agency_id", "user__language", "user__email", "user__email_reminders")
    )
    titles, ledger_rows, notifications, recipients = {}, [], [], []
    for user_id, agency_id, language, email, email_reminders in members:
        language = language or settings.LANGUAGE_CODE
        if language not in titles:
            with translation.override(language):
                titles[language] = str(title())[:500]
        common = {
            "recipient_id": user_id,
            "item_kind": item_kind,
            "item_key": item_key[:100],
            "kind": kind,
            "level": ReminderLevel.HANDOFF,
            "title": titles[language],
            "url": url[:500],
            "due_date": due_date or day,
            "day": day,
        }
        ledger_rows.append(ReminderLedger(**common, agency_id=agency_id, email_wanted=bool(email_reminders and email)))
        notifications.append(Notification(**common))
        recipients.append(user_id)
    if recipients:
        ReminderLedger.objects.bulk_create(ledger_rows, ignore_conflicts=True)
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    return recipients


def url_builder(name, fallback):
    """A function pk → path of the detail page `name`, or of the list page `fallback` when the
    detail page does not exist (yet); resolved once per scan, not once per item."""
    try:
        reverse(name, args=[0])
    except NoReverseMatch:
        path = reverse(fallback)
        return lambda _pk: path
    return lambda item_pk: reverse(name, args=[item_pk])


def watchers():
    return [import_string(path) for path in settings.REMINDER_WATCHERS]


def reminder_items(schedule):
    """Every watched item reminded on the schedule's day: one query (or two) per watcher."""
    items = []
    for watcher in watchers():
        items.extend(watcher(schedule))
    return items


def reminders_plan(today):
    """Who is told about what on `today`; reads only (a handful of queries), writes nothing."""
    schedule = ReminderSchedule(today)
    items = [item for item in reminder_items(schedule) if item.agency_id and schedule.classify(item.due_date)]
    if not items:
        return []
    agency_ids = {item.agency_id for item in items}
    escalated_unit_ids = {
        item.unit_id for item in items if schedule.classify(item.due_date)[1] == ReminderLevel.ESCALATION
    }
    members = Membership.objects.filter(user__is_active=True).filter(
        Q(agency_id__in=agency_ids) | Q(agency__kind=AgencyKind.HDND, agency__unit_id__in=escalated_unit_ids)
    )
    by_role, council = {}, {}
    wants_email = {}
    for row in members.order_by("user_id").values(
        "user_id", "agency_id", "role", "agency__kind", "agency__unit_id", "user__email", "user__email_reminders"
    ):
        wants_email[row["user_id"]] = bool(row["user__email_reminders"] and row["user__email"])
        if row["agency_id"] in agency_ids:
            by_role.setdefault((row["agency_id"], row["role"]), []).append(row["user_id"])
        if row["agency__kind"] == AgencyKind.HDND and row["agency__unit_id"] in escalated_unit_ids:
            council.setdefault(row["agency__unit_id"], []).append(row["user_id"])

    plan = []
    for item in items:
        kind, level = schedule.classify(item.due_date)
        recipients = [user_id for role in item.roles for user_id in by_role.get((item.agency_id, role), ())]
        if level == ReminderLevel.ESCALATION:
            recipients += by_role.get((item.agency_id, Role.LEADER), ())
            recipients += council.get(item.unit_id, ())
        for recipient_id in dict.fromkeys(recipients):  # one entry per person, in order
            plan.append(PlannedReminder(recipient_id, wants_email[recipient_id], item, kind, level))
    return plan


def last_completed_scan(before=None):
    """The day of the latest completed scan (or restore watermark), optionally only days before `before`."""
    scans = ReminderScan.objects.all()
    if before is not None:
        scans = scans.filter(day__lt=before)
    return scans.aggregate(last=Max("day"))["last"]


def scan_days(today):
    """The days a scan on `today` records: every day after the latest completed scan up to today, at most
    REMINDER_CATCHUP_DAYS back (older missed days are not emailed any more); only today on a first scan."""
    last = last_completed_scan(before=today)
    if last is None:
        return [today]
    first = max(last + timedelta(days=1), today - timedelta(days=settings.REMINDER_CATCHUP_DAYS))
    return [first + timedelta(days=offset) for offset in range((today - first).days + 1)]


@transaction.atomic
def reminders_scan(today=None):
    """Record the reminders of today and of every day missed since the last completed scan (ledger +
    in-app notifications), mark today's scan completed, and queue one digest per recipient.

    Safe to run any number of times, also concurrently: the unique constraints make the inserts
    idempotent, and the digests only email rows they claim. Returns (planned, recipients queued).
    """
    today = today or timezone.localdate()
    planned = 0
    for day in scan_days(today):
        planned += _scan_day(day)
    ReminderScan.objects.bulk_create(
        [ReminderScan(day=today, completed_at=timezone.now(), planned=planned, source="scan")],
        update_conflicts=True,
        unique_fields=["day"],
        update_fields=["completed_at", "planned", "source"],
    )
    # Also recipients whose earlier digest never went out (broker down, SMTP down, worker lost).
    recipient_ids = sorted(
        set(
            ReminderLedger.objects.filter(
                day__gte=today - timedelta(days=settings.REMINDER_CATCHUP_DAYS),
                day__lte=today,
                sent_at__isnull=True,
                email_wanted=True,
            )
            .order_by()
            .values_list("recipient_id", flat=True)
            .distinct()
        )
    )
    for recipient_id in recipient_ids:
        transaction.on_commit(partial(digest_enqueue, recipient_id, today))
    return planned, len(recipient_ids)


def _scan_day(day):
    """Record `day`'s reminders; returns how many were planned (inserted or already there)."""
    plan = reminders_plan(day)
    ledger_rows = []
    notifications = []
    for entry in plan:
        item = entry.item
        common = {
            "recipient_id": entry.recipient_id,
            "item_kind": item.item_kind,
            "item_key": item.item_key,
            "kind": entry.kind,
            "level": entry.level,
            "title": item.title[:500],
            "url": item.url[:500],
            "due_date": item.due_date,
            "day": day,
        }
        ledger_rows.append(ReminderLedger(**common, agency_id=item.agency_id, email_wanted=entry.email_wanted))
        notifications.append(Notification(**common))
    if plan:
        ReminderLedger.objects.bulk_create(ledger_rows, ignore_conflicts=True, batch_size=2000)
        Notification.objects.bulk_create(notifications, ignore_conflicts=True, batch_size=2000)
    return len(plan)


# Unclaimed unsent rows older than this are queued again by the sweep (their first enqueue was lost).
REQUEUE_AFTER = timedelta(minutes=2)


def digests_requeue(*, now=None):
    """The digest sweep (beat every 5 minutes, `manage.py requeue_digests`): queue again the digests whose
    enqueue failed (broker down) or whose worker died mid-send (claim older than REMINDER_CLAIM_TIMEOUT).
    Safe to repeat: a digest sends only rows it claims. Returns the number of digests queued."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    stale = now - timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT)
    waiting = Q(claimed_by="", created_at__lt=now - REQUEUE_AFTER) | Q(claimed_at__lt=stale)
    recipient_ids = sorted(
        set(_claimable(None, today).filter(waiting).order_by().values_list("recipient_id", flat=True).distinct())
    )
    return sum(1 for recipient_id in recipient_ids if digest_enqueue(recipient_id, today))


def digest_enqueue(user_id, day):
    """Queue a digest; a broker outage is logged, never raised: the next scan queues it again."""
    return enqueue(DIGEST_TASK, user_id, day.isoformat())


def _claimable(user_id, day):
    rows = ReminderLedger.objects.filter(
        day__gte=day - timedelta(days=settings.REMINDER_CATCHUP_DAYS),
        day__lte=day,
        sent_at__isnull=True,
        email_wanted=True,
    )
    return rows if user_id is None else rows.filter(recipient_id=user_id)


def digest_send(*, user_id, day, claim_token=None):
    """Email `user_id` the digest of their unsent reminders up to `day`: claim, send, mark sent.

    Must run outside a transaction (each step commits on its own). Returns the number of items
    emailed (0: nothing to say, nothing claimable, or email turned off). SMTP errors propagate
    after the claim is released, so the caller can retry.
    """
    claim_token = claim_token or uuid4().hex
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    if not (user.email_reminders and user.email):
        # Turned off since the scan: keep them in-app only.
        _claimable(user_id, day).update(email_wanted=False)
        return 0
    now = timezone.now()
    stale = now - timedelta(seconds=settings.REMINDER_CLAIM_TIMEOUT)
    claimed = (
        _claimable(user_id, day)
        .filter(Q(claimed_by="") | Q(claimed_by=claim_token) | Q(claimed_at__lt=stale))
        .update(claimed_by=claim_token, claimed_at=now)
    )
    if not claimed:
        return 0
    rows = list(
        ReminderLedger.objects.filter(recipient_id=user_id, claimed_by=claim_token, sent_at__isnull=True)
        .select_related("agency")
        .order_by("due_date", "item_key", "id")
    )
    if not rows:
        return 0
    message = digest_message(user, rows, day)
    row_ids = [row.pk for row in rows]
    mine = ReminderLedger.objects.filter(pk__in=row_ids, claimed_by=claim_token, sent_at__isnull=True)
    connection = get_connection()
    try:
        connection.open()  # connect, EHLO, STARTTLS, AUTH: done before the claim is refreshed
        # Still ours? (a sweep takes over only claims older than REMINDER_CLAIM_TIMEOUT). Refreshing the
        # claim here bounds the time from it to the `sent_at` stamp by the SMTP exchange alone.
        if mine.update(claimed_at=timezone.now()) != len(row_ids):
            return 0
        message.connection = connection
        connection.send_messages([message])  # MAIL, RCPT, DATA; returns once the server answered DATA
        # Right after the server's reply to DATA, before QUIT: the duplicate window is as small as SMTP allows.
        ReminderLedger.objects.filter(pk__in=row_ids, claimed_by=claim_token).update(sent_at=timezone.now())
    except Exception:
        # Give the rows back so a retry (or the sweep) can take them without waiting.
        mine.update(claimed_by="", claimed_at=None)
        raise
    finally:
        _close_quietly(connection)
    return len(rows)


def get_connection():
    from django.core.mail import get_connection as mail_connection

    return mail_connection(fail_silently=False)


def _close_quietly(connection):
    try:
        connection.close()
    except Exception:
        logger.warning("Closing the SMTP connection failed", exc_info=True)


GROUP_ORDER = [ESCALATION, OVERDUE]


def digest_groups(rows, day):
    """Rows grouped for the digest and the notifications page: escalated, overdue, then due soon
    from the nearest lead time; one entry per item (the strongest kind wins)."""
    by_item = {}
    rank = {ESCALATION: 0, OVERDUE: 1, **dict.fromkeys(HANDOFF_TITLES, 2)}
    for row in rows:
        current = by_item.get(row.item_key)
        if current is None or rank.get(row.kind, 3) < rank.get(current.kind, 3):
            by_item[row.item_key] = row
    groups = {}
    for row in by_item.values():
        groups.setdefault(row.kind, []).append(row)

    def group_sort(kind):
        if kind in HANDOFF_TITLES:
            return (2, list(HANDOFF_TITLES).index(kind))
        if kind in rank:
            return (rank[kind], 0)
        return (3, int(kind.rsplit("_", 1)[-1]) if kind.rsplit("_", 1)[-1].isdigit() else 0)

    result = []
    for kind in sorted(groups, key=group_sort):
        entries = sorted(groups[kind], key=lambda row: (row.due_date, str(ITEM_KIND_LABELS.get(row.item_kind, ""))))
        result.append(
            {
                "kind": kind,
                "level": entries[0].level,
                "title": group_title(kind),
                "entries": [
                    {
                        "row": row,
                        "kind_label": ITEM_KIND_LABELS.get(row.item_kind, row.item_kind),
                        "days": abs((row.due_date - day).days),
                        "absolute_url": absolute_url(row.url),
                    }
                    for row in entries
                ],
            }
        )
    return result


def group_title(kind):
    if kind in HANDOFF_TITLES:
        return str(HANDOFF_TITLES[kind])
    if kind == ESCALATION:
        days = settings.REMINDER_ESCALATE_AFTER_DAYS
        return ngettext(
            "Overdue by more than %(days)s day — escalated",
            "Overdue by more than %(days)s days — escalated",
            days,
        ) % {"days": days}
    if kind == OVERDUE:
        return str(_("Overdue"))
    if not kind.rsplit("_", 1)[-1].isdigit():
        return str(kind)
    days = int(kind.rsplit("_", 1)[-1])
    if days == 0:
        return str(_("Due today"))
    return ngettext("Due in %(days)s day", "Due in %(days)s days", days) % {"days": days}


def absolute_url(path):
    if not path:
        return settings.SITE_URL.rstrip("/") + "/"
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + path


# Figures a digest states under its items (e.g. the agency's overdue petitions), reported by the apps: each
# app registers `provider(user, day) -> [{"label", "scope", "value", "url"}]` from its AppConfig.ready.
_DIGEST_FIGURES = []


def register_digest_figures(provider):
    if provider not in _DIGEST_FIGURES:
        _DIGEST_FIGURES.append(provider)


def digest_figures(user, day):
    """Every registered app's figures for `user`'s digest of `day`, in registration order."""
    return [figure for provider in _DIGEST_FIGURES for figure in provider(user, day)]


def digest_message(user, rows, day):
    """The digest email (plain text + HTML) in the user's language."""
    from django.core.mail import EmailMultiAlternatives

    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "user": user,
            "day": day,
            "groups": digest_groups(rows, day),
            "figures": digest_figures(user, day),
            "count": len({row.item_key for row in rows}),
            "site_url": settings.SITE_URL.rstrip("/"),
            "notifications_url": absolute_url(reverse("notifications")),
            "profile_url": absolute_url(reverse("profile")),
            "language": language,
        }
        subject = " ".join(render_to_string("emails/reminder_digest_subject.txt", context).split())
        text = render_to_string("emails/reminder_digest.txt", context)
        html = render_to_string("emails/reminder_digest.html", context)
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"
    # Same rows → same Message-ID: a resend after a crash in the last instant is recognisably the same mail.
    message_id = f"<reminder-digest.{user.pk}.{day:%Y%m%d}.{rows[0].pk}-{rows[-1].pk}.{len(rows)}@{domain}>"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Message-ID": message_id, "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


def unread_count(user):
    """The bell's number: one indexed COUNT."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_for(user):
    """The user's notifications, newest day first; within a day in the digest's order."""
    rank = Case(
        When(level=ReminderLevel.ESCALATION, then=Value(0)),
        When(level=ReminderLevel.OVERDUE, then=Value(1)),
        When(level=ReminderLevel.HANDOFF, then=Value(2)),
        default=Value(3),
    )
    return Notification.objects.filter(recipient=user).order_by("-day", rank, "due_date", "-id")


def notification_mark_read(*, user, notification_id):
    """Mark one of the user's own notifications read (idempotent). Returns rows changed."""
    return Notification.objects.filter(recipient=user, pk=notification_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_all_read(*, user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
