"""Private by default: `LoginRequiredMiddleware` sends an anonymous visitor of any view to the sign-in page,
unless the view says `@login_not_required`. The few public views are listed here; a new one is a decision."""

import pytest
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse

# The public views, by URL name: sign-in (Django's and the admin's own), sign-out, the language switch of the
# sign-in page, the health check of the load balancer, the calendar feed whose secret token is the credential, and
# the read API (/api/v1/, its own token authentication).
PUBLIC = {
    "login",
    "logout",
    "set_language",
    "healthz",
    "healthz_ready",
    "healthz_live",
    "meetings:calendar_feed",
    "admin:login",
    # The citizens' pages (coordination/public): published, redacted answers, figures, open data, and the
    # receipt lookup whose reference and secret code are the credential.
    "public:index",
    "public:lookup",
    "public:open_data",
    "public:download",
    "public:unit",
    "public:figures",
    # The read API: a token is the credential of every data endpoint (401 without one, never the sign-in
    # page); the OpenAPI schema and its documentation page describe the API and hold no data.
    "api:units",
    "api:unit",
    "api:agencies",
    "api:agency",
    "api:charters",
    "api:charter",
    "api:meetings",
    "api:meeting",
    "api:petitions",
    "api:petition",
    "api:dashboard",
    "api:schema",
    "api:docs",
    # The batch intake's web app: its service worker and manifest (no data), and the offline queue's endpoint,
    # which checks the session itself and answers 401 in JSON so that the phone keeps the row.
    "voters:intake_sw",
    "voters:intake_manifest",
    "voters:intake_row",
}


def throwaway(request):
    """A view as a newcomer writes it: no decorator at all."""
    return HttpResponse("private figures")


# This module is also a URLconf (see `throwaway_urls`): the site's URLs plus the undecorated view.
urlpatterns = [
    path("throwaway/", throwaway, name="throwaway"),
    path("", include("coordination.urls")),
]


@pytest.fixture
def throwaway_urls(settings):
    settings.ROOT_URLCONF = __name__


def public_names():
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and getattr(pattern.callback, "login_required", True) is False:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_only_the_listed_views_are_public():
    assert public_names() == PUBLIC


@pytest.mark.django_db
def test_an_undecorated_view_is_private(throwaway_urls, client, django_user_model):
    response = client.get("/throwaway/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/throwaway/"
    assert b"private figures" not in response.content

    client.force_login(django_user_model.objects.create_user(username="newcomer", password="x-Secret-2026"))
    response = client.get("/throwaway/")
    assert response.status_code == 200
    assert response.content == b"private figures"


@pytest.mark.django_db
def test_the_public_views_answer_anonymous_visitors(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("healthz")).status_code in (200, 503)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    # An unknown feed token is a 404, not the sign-in page (calendar apps cannot sign in).
    assert client.get(reverse("meetings:calendar_feed", args=["no-such-token"])).status_code == 404
