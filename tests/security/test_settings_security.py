"""Sign-in throttling, session limits, password length, security headers and `check --deploy` in production."""

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from coordination.middleware import SESSION_RENEWED_KEY, SESSION_STARTED_KEY
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent.parent


def production_env():
    """The environment of a production deployment: DEBUG off, a long random secret, HTTPS everywhere."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("SECRET_KEY", "DEBUG", "SECURE_", "DJANGO_", "ALLOWED_HOSTS"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="coordination.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="phoihop.danang.gov.vn",
        CSRF_TRUSTED_ORIGINS="https://phoihop.danang.gov.vn",
    )
    return env


@pytest.mark.smoke
def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_defaults_are_secure():
    script = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "31536000", "True", "True", "True"]


def test_idle_timeout_is_thirty_minutes_renewed_at_most_once_a_minute():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_RENEW_SECONDS == 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60


def _stored_expiry(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value).expire_date


def test_a_request_renews_an_idle_expiry_older_than_a_minute(client, clerk):
    assert client.login(username=clerk.username, password=PASSWORD)
    session = client.session
    session[SESSION_RENEWED_KEY] = int(time.time()) - 61
    session.save()
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    # What 61 s without a renewal leaves of the 30 minutes.
    before = timezone.now() + timezone.timedelta(minutes=29)
    Session.objects.filter(session_key=session.session_key).update(expire_date=before)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    after = _stored_expiry(client)
    assert (after - before).total_seconds() >= 55  # renewed to a full 30 minutes from now
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60
    assert int(time.time()) - client.session[SESSION_RENEWED_KEY] < 5


def test_requests_within_a_minute_of_the_renewal_write_no_session(client, clerk, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assert client.login(username=clerk.username, password=PASSWORD)
    client.get(reverse("home"))  # renews (sign-in time)
    expiry = _stored_expiry(client)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))

    assert response.status_code == 200
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    writes = [query["sql"] for query in queries if "django_session" in query["sql"] and "SELECT" not in query["sql"]]
    assert writes == []
    assert _stored_expiry(client) == expiry


def test_an_idle_session_past_its_expiry_is_signed_out(client, clerk):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert client.login(username=clerk.username, password=PASSWORD)
    client.get(reverse("home"))
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timezone.timedelta(seconds=1))

    response = client.get(reverse("voters:list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_session_older_than_twelve_hours_is_signed_out_however_active(client, clerk):
    assert client.login(username=clerk.username, password=PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 12 * 60 * 60 - 5
    session.save()

    response = client.get(reverse("voters:list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_a_session_within_twelve_hours_stays(client, clerk):
    assert client.login(username=clerk.username, password=PASSWORD)
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 11 * 60 * 60
    session.save()

    assert client.get(reverse("home")).status_code == 200


def test_signing_in_again_starts_a_new_twelve_hours(client, clerk):
    assert client.login(username=clerk.username, password=PASSWORD)
    client.get(reverse("home"))
    assert int(time.time()) - client.session[SESSION_STARTED_KEY] < 60


@pytest.mark.parametrize("password", ["ngan-qua-1", "123456789012", "password1234"])
def test_weak_passwords_are_refused(password, clerk):
    with pytest.raises(ValidationError):
        validate_password(password, user=clerk)


def test_a_twelve_character_password_is_accepted(clerk):
    validate_password("Hai-Chau-2026", user=clerk)


def _attempt(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


@pytest.mark.smoke
def test_sign_in_is_locked_after_repeated_failures_with_a_vietnamese_message(client, clerk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, clerk.username, "wrong-password").status_code == 200

    response = _attempt(client, clerk.username, "wrong-password")

    assert response.status_code == 429
    body = response.content.decode()
    assert "data-lockout" in body
    assert "Đăng nhập sai quá nhiều lần" in body
    # Even the right password is refused during the cool-off.
    response = _attempt(client, clerk.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_username_and_address(client, clerk, leader, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _attempt(client, clerk.username, "wrong-password")

    # Another user on the same computer, and the same user from another address, still sign in.
    response = _attempt(client, leader.username, PASSWORD)
    assert response.status_code == 302
    client.logout()
    response = client.post(reverse("login"), {"username": clerk.username, "password": PASSWORD}, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 302


def test_a_successful_sign_in_resets_the_failure_count(client, clerk, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, clerk.username, "wrong-password")
    assert _attempt(client, clerk.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, clerk.username, "wrong-password")

    assert _attempt(client, clerk.username, PASSWORD).status_code == 302


def test_test_helpers_still_sign_in(client, clerk):
    assert client.login(username=clerk.username, password=PASSWORD)
    client.logout()
    client.force_login(clerk)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.smoke
def test_pages_carry_the_content_security_policy_and_security_headers(client, clerk):
    client.force_login(clerk)
    response = client.get(reverse("home"))
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))

    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_has_inline_scripts_styles_or_event_handlers():
    import re

    offenders = []
    pattern = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=\"|\son[a-z]+=\"", re.IGNORECASE)
    for path in (ROOT / "templates").rglob("*.html"):
        if "emails" in path.parts:
            continue  # e-mail clients need inline styles; e-mails are not served under the CSP
        text = path.read_text(encoding="utf-8")
        for match in pattern.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            offenders.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0).strip()}")
    assert not offenders, "inline script/style/handlers break the CSP:\n" + "\n".join(offenders)
