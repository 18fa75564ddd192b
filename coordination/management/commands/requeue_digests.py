"""manage.py requeue_digests: queue again reminder digests no worker sent (also run by beat every 5 minutes)."""

from django.core.management.base import BaseCommand

from coordination.reminders import digests_requeue


class Command(BaseCommand):
    help = "Queue again the reminder digests left unsent by a broker outage or a worker that died mid-send."

    def handle(self, *args, **options):
        self.stdout.write(f"{digests_requeue()} reminder digest(s) queued again.")
