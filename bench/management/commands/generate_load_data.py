"""manage.py generate_load_data: synthetic petitions, meetings and tasks at scale, for the benchmark."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bench.loadgen import load_data_generate


class Command(BaseCommand):
    help = (
        "Add synthetic petitions (with forwardings, answers, evaluations, duplicates), meetings and tasks across "
        "the provinces and communes (run load_units and load_reference first). Writes no audit events; "
        "deterministic for a seed and --today on the same starting database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--petitions", type=int, default=10_000)
        parser.add_argument("--meetings", type=int, default=1_000)
        parser.add_argument("--tasks", type=int, default=2_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--today", help="Reference day YYYY-MM-DD the dates are spread back from (default: today).")
        parser.add_argument(
            "--rebuild-indexes",
            choices=["auto", "yes", "no"],
            default="auto",
            help="PostgreSQL: drop secondary indexes during the load and build them after (auto: for large loads).",
        )

    def handle(self, *args, petitions, meetings, tasks, seed, today, rebuild_indexes, **options):
        if min(petitions, meetings, tasks) < 0:
            raise CommandError("Counts cannot be negative.")
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--today must be YYYY-MM-DD: {exc}") from exc
        rebuild = {"auto": None, "yes": True, "no": False}[rebuild_indexes]
        report = load_data_generate(
            petitions=petitions,
            meetings=meetings,
            tasks=tasks,
            seed=seed,
            today=day,
            stdout=self.stdout,
            rebuild_indexes=rebuild,
        )
        timings = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in report.timings.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {report.petitions:,} petitions ({report.forwardings:,} forwardings, "
                f"{report.answers:,} answers, {report.evaluations:,} evaluations), {report.meetings:,} meetings, "
                f"{report.tasks:,} tasks; {report.agencies:,} agencies created. {timings}"
            )
        )
