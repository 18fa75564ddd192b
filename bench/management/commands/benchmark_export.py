"""manage.py benchmark_export: time a petition export as the background job writes it, with its peak memory.

Writes the export of `--user`'s petitions (default: the site administrator, the national scope), at most
`--rows` of them, into a temporary file with the job's own code (`export_rows` + `xlsx_write` / `csv_chunks`),
then prints one BENCH_JSON line: rows, seconds, rows per second, file size, the process's peak RSS (ru_maxrss:
run it in a fresh process, so the peak is the export's) and, with --tracemalloc, the peak of Python
allocations (slower: every allocation is traced), and the process's CPU time (on a busy machine, a better
guide than the wall time to a quiet machine's). Nothing is written to the database.
"""

import json
import os
import resource
import tempfile
import time
import tracemalloc

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from coordination.models import User
from voters.export_jobs import filtered_petitions
from voters.exporting import csv_chunks, export_rows, xlsx_write


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Command(BaseCommand):
    help = "Time one petition export (xlsx or csv) as the export job writes it; print time and peak memory."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="admin", help="username whose petitions are exported (default admin)")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--rows", type=int, default=0, help="at most this many rows (0: all the user sees)")
        parser.add_argument(
            "--tracemalloc", dest="trace", action="store_true", help="also trace Python allocations (slower)"
        )

    def handle(self, *args, user, format, rows, trace, **options):
        account = User.objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"No user {user!r}.")
        queryset = filtered_petitions(account, {})
        if rows:
            queryset = queryset[:rows]
        before = rss_mb()
        if trace:
            tracemalloc.start()
        handle, path = tempfile.mkstemp(suffix=f".{format}")
        os.close(handle)
        started = time.perf_counter()
        cpu_started = cpu_seconds()
        try:
            with translation.override("vi"):
                written = self._write(format, path, export_rows(queryset, account))
            seconds = time.perf_counter() - started
            cpu = cpu_seconds() - cpu_started
            size = os.path.getsize(path)
        finally:
            os.unlink(path)
        traced = tracemalloc.get_traced_memory()[1] if trace else None
        result = {
            "user": user,
            "format": format,
            "rows": written,
            "seconds": round(seconds, 2),
            "rows_per_second": round(written / seconds) if seconds else None,
            # This process's CPU time: on a busy machine, closer to what a quiet one's wall time would be
            # (the database's own time is not in it).
            "cpu_seconds": round(cpu, 2),
            "file_mb": round(size / 1024 / 1024, 1),
            "rss_before_mb": before,
            "peak_rss_mb": rss_mb(),
            "tracemalloc_peak_mb": round(traced / 1024 / 1024, 1) if traced is not None else None,
        }
        self.stdout.write("BENCH_JSON " + json.dumps(result))

    @staticmethod
    def _write(format, path, rows):
        if format == "xlsx":
            return xlsx_write(path, rows)
        count = -2  # the byte order mark and the header
        with open(path, "w", encoding="utf-8", newline="") as handle:
            for chunk in csv_chunks(None, None, rows=rows):
                handle.write(chunk)
                count += 1
        return max(count, 0)
