"""Generate a year's work-programme tasks from the charters in force: `manage.py generate_tasks --year 2026`."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from charters.models import Charter, CharterStatus
from charters.services import tasks_generate


class Command(BaseCommand):
    help = "Create (idempotently) the year's tasks from the active duties of the charters in force."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="Year to generate (default: this year).")
        parser.add_argument("--charter", type=int, default=None, help="Only this charter (id).")

    def handle(self, *args, year=None, charter=None, **options):
        year = year or timezone.localdate().year
        charters = Charter.objects.filter(status=CharterStatus.IN_FORCE).select_related("unit")
        if charter is not None:
            charters = Charter.objects.filter(pk=charter).select_related("unit")
            if not charters.exists():
                raise CommandError(f"No charter with id {charter}.")
        totals = {"created": 0, "updated": 0, "cancelled": 0}
        for item in charters:
            try:
                counts = tasks_generate(charter=item, year=year, actor=None)
            except ValidationError as error:
                raise CommandError(f"{item.number}: {' '.join(error.messages)}") from error
            for key in totals:
                totals[key] += counts[key]
            self.stdout.write(
                f"{item.number} ({item.unit}): {counts['created']} created, {counts['updated']} updated, "
                f"{counts['cancelled']} cancelled"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{year}: {totals['created']} created, {totals['updated']} updated, {totals['cancelled']} cancelled"
            )
        )
