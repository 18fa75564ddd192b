"""manage.py requeue_reports: queue again report renders no worker has taken (also run by beat every 5 minutes)."""

from django.core.management.base import BaseCommand

from charters.reviews.services import reports_requeue


class Command(BaseCommand):
    help = "Queue again the review report renders left waiting by a broker outage or a dead worker."

    def handle(self, *args, **options):
        self.stdout.write(f"{reports_requeue()} report render(s) queued again.")
