"""manage.py render_report --review ID [--appendix]: render a review's PDF now, as the Celery task does."""

import resource
import time

from django.core.management.base import BaseCommand, CommandError

from charters.reviews.models import AnnualReview, ReportStatus
from charters.reviews.services import report_render, report_request_sync


class Command(BaseCommand):
    help = "Render the PDF report of a review synchronously (a new report file; older ones are kept)."

    def add_arguments(self, parser):
        parser.add_argument("--review", type=int, required=True, help="The review's id.")
        parser.add_argument("--appendix", action="store_true", help="Add the appendix listing the year's petitions.")

    def handle(self, *args, **options):
        review = AnnualReview.objects.filter(pk=options["review"]).first()
        if review is None:
            raise CommandError(f"No review with id {options['review']}.")
        report = report_request_sync(review=review, with_appendix=options["appendix"])
        started = time.perf_counter()
        report = report_render(report_id=report.pk)
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if report.status != ReportStatus.READY:
            raise CommandError(f"Report {report.pk} failed: {report.error}")
        self.stdout.write(
            f"Report {report.pk}: {report.pages} pages, {report.size} bytes, {elapsed:.2f} s, "
            f"peak RSS {peak_mb:.0f} MB → {report.file.path}"
        )
