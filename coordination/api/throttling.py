"""Rate limit of the read API: requests per token, counted in the shared cache (Redis in production)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """`API_RATE_LIMIT` (e.g. "120/minute") per token; over it, 429 with Retry-After."""

    scope = "api_token"

    def get_rate(self):
        # Read per request, not frozen at import (DRF's default), so the setting can change under tests.
        return settings.API_RATE_LIMIT

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
