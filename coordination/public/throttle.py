"""Per-address rate limits and the short page cache of the citizens' pages (the cache of the site: Redis in
production, so every worker shares the counts; an outage lets requests through rather than failing them)."""

import hashlib
import time
from functools import wraps

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

from coordination.cache import OUTAGE


def parse_rate(rate):
    """ "120/60" → (120 requests, per 60 seconds)."""
    count, _slash, seconds = str(rate).partition("/")
    return int(count), int(seconds or 60)


def client_address(request):
    """The client's address as the sign-in throttling sees it (AXES_PROXY_COUNT decides whether to trust
    X-Forwarded-For)."""
    return get_client_ip_address(request) or "unknown"


def rate_exceeded(request, bucket, rate):
    """Count this request in the address's current window; True once over the limit."""
    limit, seconds = parse_rate(rate)
    window = int(time.time() // seconds)
    key = f"public:rate:{bucket}:{client_address(request)}:{window}"
    try:
        cache.add(key, 0, timeout=seconds + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=seconds + 5)
            count = 1
    except OUTAGE:
        return False
    return count > limit


def too_many_requests(request, rate):
    _limit, seconds = parse_rate(rate)
    response = HttpResponse(
        render_to_string("public/429.html", {"seconds": seconds}, request=request),
        status=429,
    )
    response["Retry-After"] = str(seconds)
    patch_cache_control(response, no_store=True)
    return response


def throttled(bucket, rate_setting):
    """Refuse more than the setting's rate of requests per address with a 429 page in Vietnamese."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            rate = getattr(settings, rate_setting)
            if rate_exceeded(request, bucket, rate):
                return too_many_requests(request, rate)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def cached_page(view):
    """Keep the page's HTML for PUBLIC_CACHE_SECONDS per language and full address (path and query). The pages
    hold nothing of the visitor (no session, no CSRF token), so one copy serves everyone."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = settings.PUBLIC_CACHE_SECONDS
        digest = hashlib.sha256(request.get_full_path().encode("utf-8", "replace")).hexdigest()
        key = f"public:page:{get_language()}:{digest}"
        stored = cache.get(key) if seconds else None
        if stored is not None:
            response = HttpResponse(stored["content"], content_type=stored["content_type"])
            response["X-Public-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if seconds and response.status_code == 200 and not response.streaming:
                cache.set(key, {"content": response.content, "content_type": response["Content-Type"]}, seconds)
            response["X-Public-Cache"] = "miss"
        if response.status_code == 200:
            patch_cache_control(response, public=True, max_age=seconds)
        patch_vary_headers(response, ["Accept-Language"])
        return response

    return wrapped
