"""The daily reminder scan by hand (the beat runs the same): `manage.py send_reminders [--today D] [--dry-run]`."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coordination.models import User
from coordination.reminders import reminders_plan, reminders_scan


class Command(BaseCommand):
    help = "Record the day's reminders (ledger and in-app notifications) and queue one email digest per person."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="The day to scan, YYYY-MM-DD (default: today, local time).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print who would be reminded of what; write and send nothing."
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--today must be YYYY-MM-DD: {exc}") from exc
        if dry_run:
            self._print_plan(day)
            return
        planned, queued = reminders_scan(day)
        self.stdout.write(f"{day.isoformat()}: {planned} reminders planned, {queued} digests queued.")

    def _print_plan(self, day):
        plan = reminders_plan(day)
        users = User.objects.in_bulk({entry.recipient_id for entry in plan})
        by_user = {}
        for entry in plan:
            by_user.setdefault(entry.recipient_id, []).append(entry)
        self.stdout.write(f"{day.isoformat()} (dry run): {len(plan)} reminders for {len(by_user)} people.")
        for user_id in sorted(by_user, key=lambda pk: users[pk].username):
            user = users[user_id]
            channel = "email + in-app" if by_user[user_id][0].email_wanted else "in-app only"
            self.stdout.write(f"{user.username} <{user.email or '-'}> ({channel}):")
            for entry in sorted(by_user[user_id], key=lambda e: (e.item.due_date, e.item.item_key)):
                item = entry.item
                self.stdout.write(f"  {entry.kind:<12} {item.due_date:%d/%m/%Y}  {item.item_key:<24} {item.title}")
