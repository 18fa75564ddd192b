"""The batch intake page as an installable web app that works with no connection: its manifest, its service
worker (scope: the intake page only) and the endpoint the offline queue sends its rows to, one at a time.

The service worker keeps the intake page's own HTML and static files, nothing else (templates/voters/
intake_sw.js); rows typed offline wait in the browser's IndexedDB under the signed-in user's id
(static/voters/intake-offline.js) until this endpoint stores them, once each (the row's client key is the
petition's idempotency key)."""

import hashlib
import json

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from coordination.permissions import agency_of

from . import permissions, services
from .forms import IntakeRowForm
from .models import Petition
from .selectors import batch_duplicates

# The intake page's own static files: what the page needs to open and work offline (base.html's and its own).
SHELL_ASSETS = (
    "vendor/bootstrap/css/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff",
    "css/app.css",
    "voters/voters.css",
    "img/favicon.svg",
    "img/intake-192.png",
    "img/intake-512.png",
    "vendor/bootstrap/js/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
    "js/app.js",
    "js/forms-help.js",
    "js/drafts.js",
    "voters/batch.js",
    "voters/forms.js",
    "voters/intake-offline.js",
    "voters/suggest.js",
)


def intake_scope():
    """The service worker's scope: the intake page's path, and nothing above it."""
    return reverse("voters:batch_intake")


@login_not_required
@require_GET
def intake_service_worker(request):
    """The service worker's script, served from the intake page's path so that its scope cannot be wider.
    No personal data in it: anyone may fetch it (the browser does so with no session after signing out)."""
    from django.template.loader import render_to_string

    assets = [static(path) for path in SHELL_ASSETS]
    version = hashlib.sha256(json.dumps(assets).encode()).hexdigest()[:12]
    script = render_to_string(
        "voters/intake_sw.js",
        {"assets": json.dumps(assets), "scope": json.dumps(intake_scope()), "version": json.dumps(version)},
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@login_not_required
@require_GET
def intake_manifest(request):
    """The web app manifest of the intake page (installable on a phone's home screen)."""
    scope = intake_scope()
    manifest = {
        "name": _("Enter a meeting's petitions"),
        "short_name": _("Petition intake"),
        "lang": "vi",
        "start_url": scope,
        "scope": scope,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0d6efd",
        "icons": [
            {"src": static("img/intake-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/intake-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    response = JsonResponse(manifest, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


def _refused(status, code, message, **extra):
    return JsonResponse({"error": code, "message": message, **extra}, status=status)


def _flat_errors(form):
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return "; ".join(parts)


@login_not_required  # answers 401 in JSON itself: the offline queue keeps the row, a redirect would lose it
def intake_row(request):
    """POST one row of the offline queue (JSON). Answers in JSON, never with a redirect, so the page can keep
    a refused row with its reason: 201 stored, 200 stored before (same key), 401 session expired, 403 not
    allowed, 400 unreadable, 409 may repeat a petition (sent again with "confirm_duplicates"), 422 invalid."""
    if not request.user.is_authenticated:
        return _refused(401, "session_expired", _("Your session has expired: sign in again, then send the rows."))
    if request.method != "POST":
        return _refused(405, "method", _("Send the row with POST."))
    if not permissions.can_create(request.user):
        return _refused(403, "forbidden", _("Your account may not record petitions."))
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        return _refused(400, "unreadable", _("The row could not be read."))
    agency = agency_of(request.user)
    form = IntakeRowForm(
        {key: value for key, value in data.items() if isinstance(value, str | int | float)}, agency=agency
    )
    if not form.is_valid():
        return _refused(422, "invalid", _flat_errors(form), errors=form.errors)
    fields = dict(form.cleaned_data)
    client_key = fields.pop("client_key")
    if not data.get("confirm_duplicates"):
        stored_before = Petition.objects.filter(idempotency_key=client_key).exists()
        found = {} if stored_before else batch_duplicates(unit=agency.unit, rows=[(0, fields["content"])])
        if found:
            alike = [petition.reference for petition, _score in found[0]["existing"]]
            message = _("May repeat %(petitions)s: check it, then save it all the same.") % {
                "petitions": ", ".join(alike)
            }
            return _refused(409, "duplicate", message, alike=alike)
    try:
        petition, created = services.petition_intake_row(actor=request.user, client_key=client_key, **fields)
    except PermissionDenied:
        return _refused(403, "forbidden", _("This row's key belongs to another office's petition."))
    except ValidationError as error:
        messages = error.messages if hasattr(error, "messages") else [str(error)]
        return _refused(422, "invalid", " ".join(messages))
    response = JsonResponse(
        {
            "created": created,
            "reference": petition.reference,
            "url": reverse("voters:detail", args=[petition.pk]),
            "client_key": str(client_key),
            # The receipt's lookup code, issued with the row (None when the row was stored before): for the page to
            # show once; it cannot be read back later.
            "receipt_code": petition.receipt_code,
            "receipt_url": reverse("voters:receipt", args=[petition.pk]),
        },
        status=201 if created else 200,
    )
    response["Cache-Control"] = "no-store"  # it carries the receipt code
    return response
