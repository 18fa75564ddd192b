"""manage.py seed_demo: units, agencies, people and each app's demo records (idempotent)."""

import importlib
from datetime import date

from django.core.management.base import BaseCommand

from coordination.dashboard_summary import petition_summary_refresh
from coordination.demo import DEMO_PASSWORD, DemoContext, seed_core

# Order matters: meetings link to charters, petitions to meetings.
APP_SEEDERS = ["charters.demo", "meetings.demo", "charters.demo_sessions", "voters.demo", "charters.review_demo"]


class Command(BaseCommand):
    help = "Create the demo units, agencies, accounts and records. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="Pretend today is this day (YYYY-MM-DD) when dating demo records.",
        )

    def handle(self, *args, **options):
        context = DemoContext(today=options["today"] or date.today())
        seed_core(context)
        for module_name in APP_SEEDERS:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name == module_name:
                    continue
                raise
            module.seed(context)
            self.stdout.write(f"  {module_name}: done")
        # The dashboard's petition summary, counted for the demo's "today".
        petition_summary_refresh(context.today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Every demo account uses the password {DEMO_PASSWORD!r} "
                "(e.g. danang.hdnd.clerk, danang.hdnd.leader, danang.hdnd.secretariat, admin)."
            )
        )
