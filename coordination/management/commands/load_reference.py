"""manage.py load_reference: terms, coordination areas and the national deadline rules (idempotent)."""

from django.core.management.base import BaseCommand

from coordination.reference import reference_data_load


class Command(BaseCommand):
    help = "Create the reference terms, coordination areas and deadline rules that are missing."

    def handle(self, *args, **options):
        created = reference_data_load()
        self.stdout.write(self.style.SUCCESS(f"Reference data: {created} rows created."))
