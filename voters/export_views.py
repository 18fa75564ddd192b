"""Pages of petition exports: small ones answered in the request, larger ones queued as jobs (see
`voters.export_jobs`) whose page shows the progress and, when ready, the download."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from .export_jobs import export_params, export_request, filtered_petitions
from .exporting import csv_chunks, xlsx_bytes
from .models import ExportFormat, ExportJob, ExportStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {ExportFormat.XLSX: XLSX, ExportFormat.CSV: "text/csv; charset=utf-8"}


def _at_most(queryset, limit):
    """How many rows the queryset has, counting no further than `limit` (a LIMIT query, not COUNT(*))."""
    return len(queryset.order_by().values_list("pk", flat=True)[:limit])


@login_required
@require_http_methods(["GET", "POST"])
def petition_export(request, fmt):
    """GET: the file itself when the filtered list is small; else a page offering to prepare it in the
    background. POST (that page's button): queue the job and go to its page."""
    if fmt not in ExportFormat.values:
        raise Http404
    params = export_params(request.GET)
    queryset = filtered_petitions(request.user, params)
    limit = settings.EXPORT_INLINE_MAX_ROWS
    if request.method == "POST":
        job = export_request(actor=request.user, fmt=fmt, params=params, total=queryset.order_by().count())
        return redirect("voters:export_job", pk=job.pk)
    count = _at_most(queryset, limit + 1)
    if count > limit:
        return render(
            request,
            "voters/export_confirm.html",
            {"fmt": fmt, "limit": limit, "recent": _recent_jobs(request.user)},
        )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == ExportFormat.CSV:
        response = StreamingHttpResponse(csv_chunks(queryset, request.user), content_type=CONTENT_TYPES[fmt])
    else:
        response = HttpResponse(xlsx_bytes(queryset, request.user), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="kien-nghi-cu-tri-{stamp}.{fmt}"'
    return response


def _recent_jobs(user):
    return list(ExportJob.objects.filter(requested_by=user).order_by("-created_at", "-id")[:5])


def _job_for(user, pk):
    """The user's own export job; anyone else's is a 404 (not a 403: its existence is not disclosed)."""
    return get_object_or_404(ExportJob, pk=pk, requested_by=user)


@login_required
@require_GET
def export_job_view(request, pk):
    job = _job_for(request.user, pk)
    return render(request, "voters/export_job.html", {"job": job, "recent": _recent_jobs(request.user)})


@login_required
@require_GET
def export_job_status(request, pk):
    """The status fragment htmx reloads every 2 s while the job waits or runs."""
    return render(request, "voters/_export_status.html", {"job": _job_for(request.user, pk)})


@login_required
@require_GET
def export_job_download(request, pk):
    job = _job_for(request.user, pk)
    if job.status != ExportStatus.READY or not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=job.download_name, content_type=CONTENT_TYPES[job.format]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
