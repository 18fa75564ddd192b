"""Request middleware of the shared core."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _


class OfficeLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language (language cookie, set by the switcher or at sign-in).

    Django's own middleware would follow the browser's Accept-Language, so an office computer with an
    English Windows would show the product in English by default; here the browser setting is ignored.
    """

    def process_request(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


SESSION_STARTED_KEY = "_session_started_at"
SESSION_RENEWED_KEY = "_session_renewed_at"


class SessionLifetimeMiddleware:
    """The idle timeout and the 12-hour absolute limit of a signed-in session.

    Idle: the session (and its cookie) expire SESSION_COOKIE_AGE (30 min) after they were last saved. A request
    renews them when the last renewal is SESSION_RENEW_SECONDS (1 min) old or more, so an active user is signed
    out after 29–30 idle minutes and a burst of requests costs one session write, not one each.
    Absolute: signs the user out 12 hours (SESSION_ABSOLUTE_SECONDS) after sign-in, however active they were,
    so a session left open on a shared office computer does not live for ever.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - int(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - int(request.session.get(SESSION_RENEWED_KEY, 0)) >= settings.SESSION_RENEW_SECONDS:
                request.session[SESSION_RENEWED_KEY] = now  # modified: saved with a new expiry and cookie
        return self.get_response(request)


@receiver(user_logged_in)
def session_lifetime_start(sender, request, user, **kwargs):
    # Sign-in rotates the session key; the 12 hours count from here, not from an earlier anonymous visit.
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = request.session[SESSION_RENEWED_KEY] = int(time.time())


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes lockout response: the sign-in page again, with the reason, answering 429."""
    from .forms import LoginForm

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else 0
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {
        "form": LoginForm(request, initial={"username": username}),
        "lockout_message": _(
            "Too many failed sign-in attempts for this account from this computer. "
            "Sign-in is blocked for %(minutes)d minutes; try again later or ask your administrator to unlock it."
        )
        % {"minutes": minutes},
    }
    return render(request, "registration/login.html", context, status=429)
