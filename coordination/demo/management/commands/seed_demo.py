"""manage.py seed_demo: units, agencies, people and each app's demo records (idempotent)."""

from datetime import date

from django.core.management.base import BaseCommand

from coordination.dashboard.summary import petition_summary_refresh
from coordination.demo import charters, meetings, reviews, stories, supervision, voters
from coordination.demo import public as public_demo
from coordination.demo.seed import DEMO_PASSWORD, DemoContext, seed_core
from coordination.demo.workprogramme import seed as workprogramme_seed

# Order matters: meetings link to charters, council-session duties to the sessions, petitions to meetings.
APP_SEEDERS = [
    ("charters", charters.seed),
    ("meetings", meetings.seed),
    ("council-session duties", charters.seed_session_tasks),
    ("voters", voters.seed),
    ("supervision", supervision.seed),
    ("reviews", reviews.seed),
    ("public answers", public_demo.seed),
    ("work programmes and period reviews", workprogramme_seed),
    ("the seeds' conferences", stories.seed),
]


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
        for name, seed in APP_SEEDERS:
            seed(context)
            self.stdout.write(f"  {name}: done")
        # The dashboard's petition summary, counted for the demo's "today".
        petition_summary_refresh(context.today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Every demo account uses the password {DEMO_PASSWORD!r} "
                "(e.g. danang.hdnd.clerk, danang.hdnd.leader, danang.hdnd.secretariat, admin)."
            )
        )
