"""Core pages: home, health check, sign-in, profile."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import forms, services
from .audit import audit_events_for
from .permissions import agency_of
from .waiting import KINDS, waiting_for


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
def home(request):
    today = timezone.localdate()
    agency = agency_of(request.user) if request.user.is_authenticated else None
    items, counts, links = waiting_for(agency, today)
    kinds = [
        {"kind": kind, "label": label, "icon": icon, "count": counts[kind], "url": links[kind]}
        for kind, (label, icon, _tone) in KINDS.items()
        if counts.get(kind)
    ]
    return render(
        request,
        "coordination/home.html",
        {"waiting_items": items, "waiting_kinds": kinds, "waiting_agency": agency},
    )


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


@never_cache
@require_GET
def healthz(request):
    """Database and (when configured) Redis state as JSON; 503 when one is down."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        checks["database"] = f"error: {exc.__class__.__name__}"
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = f"error: {exc.__class__.__name__}"
    else:
        checks["redis"] = "not configured"
    healthy = all(value in ("ok", "not configured") for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
