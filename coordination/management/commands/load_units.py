"""manage.py load_units: the 34 provinces and 3,321 communes from the vietnam-provinces package."""

from django.core.management.base import BaseCommand

from coordination.units import units_load


class Command(BaseCommand):
    help = "Load or update the official provinces and communes (idempotent)."

    def handle(self, *args, **options):
        created, updated = units_load()
        self.stdout.write(self.style.SUCCESS(f"Units loaded: {created} created, {updated} updated."))
