"""Root URL configuration.

Every view is private (`LoginRequiredMiddleware`); the public ones say so with `@login_not_required`: the
sign-in page (Django's own), sign-out, the language switch, the health check and the calendar feed (its
token is the credential). `tests/security/test_public_views.py` holds that list."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import notification_views, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("healthz/ready", views.healthz, name="healthz_ready"),
    path("healthz/live", views.healthz_live, name="healthz_live"),
    path("", include("coordination.dashboard.urls")),
    # Public (LoginRequiredMiddleware makes every other view private): the language switch of the sign-in page.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    # Public as before the middleware: signing out twice (an old tab) is not an error.
    path("accounts/logout/", login_not_required(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "accounts/password/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    path("accounts/profile/", views.profile, name="profile"),
    path("notifications/", notification_views.notification_list, name="notifications"),
    path("notifications/read-all/", notification_views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", notification_views.notification_read, name="notification_read"),
    path("charters/", include("charters.urls")),
    path("meetings/", include("meetings.urls")),
    path("petitions/", include("voters.urls")),
    path("supervision/", include("supervision.urls")),
    path("admin/", admin.site.urls),
    # The citizens' pages: public by design (coordination/public, tests/security/test_public_views.py).
    path("public/", include("coordination.public.urls")),
    # The read API for other systems: its own token authentication (coordination/api), no sign-in page.
    path("api/v1/", include("coordination.api.urls")),
]
