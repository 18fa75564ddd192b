"""manage.py refresh_dashboard [--today YYYY-MM-DD]: rebuild the dashboard's petition summary now (the beat
runs the same every 10 minutes)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from coordination.dashboard.summary import petition_summary_refresh


class Command(BaseCommand):
    help = "Rebuild the leaders' dashboard petition summary from the live petitions (safe to run at any time)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Count 'overdue' as of this day, YYYY-MM-DD (default: today, local time).")

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"--today must be YYYY-MM-DD: {exc}") from exc
        state = petition_summary_refresh(day)
        self.stdout.write(
            f"Petition summary for {state.computed_for.isoformat()}: {state.rows} rows in {state.duration_ms} ms."
        )
