"""Core pages: home, health check, sign-in, profile."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import forms, services
from .audit import audit_events_for
from .health import age_probes
from .models import ReminderScan
from .tasks import HEARTBEAT_CACHE_KEY


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    form_class = forms.LoginForm

    def form_valid(self, form):
        # The interface language saved in the profile follows the user to every browser.
        response = super().form_valid(form)
        language = form.get_user().language
        if language in dict(settings.LANGUAGES):
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"

    def form_valid(self, form):
        # The form only validates; the write (and its audit entry) goes through the service.
        services.user_password_change(
            actor=self.request.user, user=form.user, new_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(self.request, form.user)
        return redirect(self.get_success_url())


@login_required
def profile(request):
    # The form edits its own copy: validating a ModelForm writes into its instance, and the service
    # must see the stored values to record what changed.
    editable = get_user_model().objects.get(pk=request.user.pk)
    form = forms.ProfileForm(request.POST or None, instance=editable)
    if request.method == "POST" and form.is_valid():
        services.user_profile_update(actor=request.user, user=request.user, **form.cleaned_data)
        messages.success(request, _("Your settings were saved."))
        response = redirect("profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["language"])
        return response
    events = audit_events_for(request.user, limit=10)
    return render(request, "coordination/profile.html", {"form": form, "events": events})


# The background heartbeat (beat → broker → worker, every minute) older than this: background is degraded.
HEARTBEAT_MAX_AGE = 5 * 60


@login_not_required  # probes of the load balancer and the monitoring
@never_cache
@require_GET
def healthz_live(request):
    """Liveness: the process answers. Touches neither the database nor Redis (restart only a hung process)."""
    return JsonResponse({"status": "ok"})


@login_not_required  # probes of the load balancer and the monitoring
@never_cache
@require_GET
def healthz(request):
    """Readiness (`/healthz`, `/healthz/ready`): 200 when the database answers, 503 when it does not.

    Redis, the worker and beat are background work: their trouble shows as `"background": "degraded"` with
    a 200, so a Redis outage never takes a working site out of the load balancer. Also reported for
    monitoring: the age of the last completed reminder scan, of the oldest waiting report render, and of the
    background heartbeat (a task beat queues every minute and a worker runs)."""
    now = timezone.now()
    body = {"status": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        body["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        body["status"] = "error"
        body["database"] = f"error: {exc.__class__.__name__}"
    background_ok = True
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
            body["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            body["redis"] = f"error: {exc.__class__.__name__}"
            background_ok = False
        beat = cache.get(HEARTBEAT_CACHE_KEY) if background_ok else None
        body["heartbeat_age_seconds"] = None if beat is None else max(0, int(now.timestamp() - beat))
        background_ok = background_ok and beat is not None and body["heartbeat_age_seconds"] <= HEARTBEAT_MAX_AGE
        body["background"] = "ok" if background_ok else "degraded"
    else:
        body["redis"] = "not configured"
        body["background"] = "in-process"
    if body["database"] == "ok":
        try:
            body.update(_work_ages(now))
        except Exception as exc:  # noqa: BLE001 - e.g. tables not migrated yet: the site itself may still answer
            body["work"] = f"error: {exc.__class__.__name__}"
    return JsonResponse(body, status=200 if body["database"] == "ok" else 503)


def _work_ages(now):
    def age(moment):
        return None if moment is None else max(0, int((now - moment).total_seconds()))

    last_scan = ReminderScan.objects.filter(source="scan").order_by("-day").values("day", "completed_at").first()
    ages = {
        "last_reminder_scan": (
            {"day": last_scan["day"].isoformat(), "age_seconds": age(last_scan["completed_at"])} if last_scan else None
        ),
    }
    for name, probe in age_probes().items():
        ages[name] = probe(now)
    return ages
