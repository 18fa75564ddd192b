"""Read-API tokens: one per consuming system, issued to an agency, stored as a SHA-256 hash only."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coordination.models import Agency


def token_hash(secret):
    """The stored form of a token: its SHA-256 hex digest (a 256-bit random secret needs no slow hash)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A credential of the read API. It reads what a member of `agency` reads (the same permission rules); the
    secret is shown once at creation and only its hash is kept; a revoked token answers 401."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=200, help_text=_("Which system uses it, e.g. the provincial portal."))
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None
