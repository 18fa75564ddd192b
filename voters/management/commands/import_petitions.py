"""manage.py import_petitions FILE --agency ID [--unit CODE] [--user NAME]: import an .xlsx of petitions."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from coordination.models import Agency, User
from voters.services import petition_import_xlsx


class _Upload:
    """A file on disk presented like an upload (name, size, seek/read)."""

    def __init__(self, path):
        self.name = str(path)
        self._file = open(path, "rb")  # noqa: SIM115 - closed in close()
        self._file.seek(0, 2)
        self.size = self._file.tell()
        self._file.seek(0)

    def __getattr__(self, name):
        return getattr(self._file, name)

    def close(self):
        self._file.close()


class Command(BaseCommand):
    help = "Import voter petitions from an Excel file (all rows or none), as received by one agency."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the .xlsx file (columns of the template)")
        parser.add_argument("--agency", type=int, required=True, help="id of the receiving office (HĐND, MTTQ…)")
        parser.add_argument("--unit", help="official code of the agency's unit, checked against the agency")
        parser.add_argument("--user", help="user name recorded as the author (default: none, the system)")

    def handle(self, *args, **options):
        try:
            agency = Agency.objects.select_related("unit").get(pk=options["agency"])
        except Agency.DoesNotExist as exc:
            raise CommandError(f"No agency with id {options['agency']}.") from exc
        if options["unit"] and agency.unit.code != options["unit"]:
            raise CommandError(f"Agency {agency} belongs to unit {agency.unit.code}, not {options['unit']}.")
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"No user named {options['user']}.")
        try:
            upload = _Upload(options["file"])
        except OSError as exc:
            raise CommandError(f"Cannot open {options['file']}: {exc}") from exc
        try:
            report = petition_import_xlsx(actor=actor, upload=upload, originating_agency=agency)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        finally:
            upload.close()
        if report.errors:
            for row, column, message in report.errors:
                place = f"row {row}" if row else "file"
                if column:
                    place += f", {column}"
                self.stderr.write(f"{place}: {message}")
            if report.more_errors:
                self.stderr.write(f"... and {report.more_errors} more errors")
            raise CommandError("Nothing was imported.")
        self.stdout.write(self.style.SUCCESS(f"{len(report.created)} petitions imported for {agency}."))
