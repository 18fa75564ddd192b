"""Every write of the read API: issuing and revoking tokens, and recording each use, each with its audit entry."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from coordination.audit import audit_record

from .models import ApiToken, token_hash

# `last_used_at` is stamped at most this often per token: the audit log has every use, the stamp is a summary.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
TOKEN_BYTES = 32


@transaction.atomic
def api_token_create(*, actor, agency, name):
    """Issue a token for `agency`. Returns (token, secret): the secret is shown once and never stored."""
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(agency=agency, name=name, prefix=secret[:8], secret_hash=token_hash(secret))
    token.created_by = actor if getattr(actor, "is_authenticated", False) else None
    token.full_clean()
    token.save(force_insert=True)
    audit_record(
        actor=actor,
        obj=token,
        action="api_token_create",
        changes={"agency": agency, "name": name, "prefix": token.prefix},
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor, token):
    """Revoke `token` (idempotent: a revoked token keeps its first revocation time). Returns True if it was
    active."""
    now = timezone.now()
    # Conditional UPDATE: two administrators revoking at once write one revocation and one audit entry.
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    if not revoked:
        token.refresh_from_db(fields=["revoked_at"])
        return False
    token.revoked_at = now
    audit_record(actor=actor, obj=token, action="api_token_revoke", changes={"revoked_at": now})
    return True


@transaction.atomic
def api_token_use_record(*, token, method, path, status):
    """One audit entry for one request made with `token` (what it asked and what it got): a single INSERT, plus
    an UPDATE of `last_used_at` at most once a minute per token."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    audit_record(actor=None, obj=token, action="api_use", summary=f"{method} {path} → {status}")
