"""Tokens: issued and revoked by an administrator (admin and command), stored hashed, every use audited."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from coordination.api.models import ApiToken
from coordination.api.services import api_token_create
from coordination.models import AuditEvent

pytestmark = pytest.mark.django_db


def _uses(token):
    return AuditEvent.objects.filter(action="api_use", object_id=str(token.pk))


def test_only_the_hash_is_stored(agencies, site_admin):
    token, secret = api_token_create(actor=site_admin, agency=agencies.hdnd, name="Cổng thông tin")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert stored.prefix == secret[:8]
    created = AuditEvent.objects.get(action="api_token_create", object_id=str(token.pk))
    assert created.actor == site_admin
    assert secret not in str(created.changes)


def test_every_use_is_audited(client, agencies, site_admin, api_world):
    token, secret = api_token_create(actor=site_admin, agency=agencies.hdnd, name="Cổng thông tin")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client.get(reverse("api:petitions"), {"updated_since": "2026-01-01"}, **headers)
    client.get(reverse("api:petition", args=[api_world.other.petition.pk]), **headers)  # another unit's: 404
    client.get(reverse("api:units"), {"updated_since": "nonsense"}, **headers)  # 400
    summaries = list(_uses(token).order_by("id").values_list("summary", flat=True))
    assert summaries == [
        "GET /api/v1/petitions/?updated_since=2026-01-01 → 200",
        f"GET /api/v1/petitions/{api_world.other.petition.pk}/ → 404",
        "GET /api/v1/units/?updated_since=nonsense → 400",
    ]
    event = _uses(token).first()
    assert event.unit_id == agencies.hdnd.unit_id
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_anonymous_and_unknown_tokens_leave_no_use(client, api_world):
    client.get(reverse("api:petitions"))
    client.get(reverse("api:petitions"), HTTP_AUTHORIZATION="Bearer not-a-token")
    assert not AuditEvent.objects.filter(action="api_use").exists()


def test_a_revoked_token_is_refused_and_the_attempt_recorded(client, agencies, site_admin):
    token, secret = api_token_create(actor=site_admin, agency=agencies.hdnd, name="Cổng cũ")
    out = io.StringIO()
    call_command("api_tokens", "revoke", str(token.pk), "--by", site_admin.username, stdout=out)
    assert "revoked" in out.getvalue()
    response = client.get(reverse("api:units"), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert list(_uses(token).values_list("summary", flat=True)) == ["GET /api/v1/units/ → 401"]
    assert AuditEvent.objects.filter(action="api_token_revoke", object_id=str(token.pk), actor=site_admin).count() == 1
    # Revoking again changes nothing and writes no second entry.
    call_command("api_tokens", "revoke", str(token.pk), stdout=io.StringIO())
    assert AuditEvent.objects.filter(action="api_token_revoke", object_id=str(token.pk)).count() == 1


def test_command_creates_and_lists(client, agencies):
    out = io.StringIO()
    call_command("api_tokens", "create", "--agency", str(agencies.ubnd.pk), "--name", "Cổng tỉnh", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(secret_hash=hashlib.sha256(secret.encode()).hexdigest())
    assert token.agency == agencies.ubnd
    assert client.get(reverse("api:units"), HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200

    listing = io.StringIO()
    call_command("api_tokens", "list", stdout=listing)
    assert token.prefix in listing.getvalue()
    assert secret not in listing.getvalue()


def test_admin_issues_a_token_shows_the_secret_once_and_revokes(client, agencies, site_admin):
    client.force_login(site_admin)
    response = client.post(
        reverse("admin:api_apitoken_add"), {"agency": agencies.mttq.pk, "name": "Hệ thống của Đoàn ĐBQH"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="Hệ thống của Đoàn ĐBQH")
    secret = response.context["secret"]
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert token.created_by == site_admin
    # The change page never shows it again.
    assert secret not in client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()

    response = client.post(
        reverse("admin:api_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    assert client.get(reverse("api:units"), HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_rate_limit_per_token(client, agencies, site_admin, settings):
    from django.core.cache import cache

    cache.clear()
    settings.API_RATE_LIMIT = "3/minute"
    _, first = api_token_create(actor=site_admin, agency=agencies.hdnd, name="A")
    _, second = api_token_create(actor=site_admin, agency=agencies.ubnd, name="B")
    codes = [client.get(reverse("api:units"), HTTP_AUTHORIZATION=f"Bearer {first}").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get(reverse("api:units"), HTTP_AUTHORIZATION=f"Bearer {first}")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    # Another token has its own allowance.
    assert client.get(reverse("api:units"), HTTP_AUTHORIZATION=f"Bearer {second}").status_code == 200
    cache.clear()
