"""A Redis cache that an outage cannot turn into error pages: a failed read is a miss, a failed write is skipped."""

import logging
import secrets

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE = (RedisConnectionError, RedisTimeoutError, OSError)


def _tolerant(name, fallback):
    def method(self, *args, **kwargs):
        try:
            return getattr(super(ResilientRedisCache, self), name)(*args, **kwargs)
        except OUTAGE as error:
            logger.warning("Cache %s skipped, Redis unavailable: %s", name, error)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    method.__name__ = name
    return method


class ResilientRedisCache(RedisCache):
    """Django's RedisCache, except that while Redis is down pages compute what they would have cached.

    The cache only ever holds values that can be recomputed (dashboard figures, task tokens), so losing a
    read or a write costs time, never data. Use short socket timeouts (OPTIONS) so a hung Redis is noticed fast.
    """

    get = _tolerant("get", lambda key, default=None, version=None: default)
    set = _tolerant("set", None)
    add = _tolerant("add", False)
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    get_many = _tolerant("get_many", lambda *args, **kwargs: {})
    set_many = _tolerant("set_many", lambda data, *args, **kwargs: list(data))
    delete_many = _tolerant("delete_many", None)
    has_key = _tolerant("has_key", False)
    clear = _tolerant("clear", False)


# The version of the figures computed from the data (the leaders' dashboard's cache key includes it): a new one
# on every committed write. Every write is a service call that writes an audit entry (`coordination.audit`), so
# `audit_record` and `audit_record_many` renew the version when their transaction commits; a cached figure is
# never older than the last write. A version lost from the cache (eviction, Redis restarted) is replaced by a
# new one, never by an older one, so an entry computed before a write can never be read again.
FIGURES_VERSION_KEY = "figures:version"


def figures_version():
    """The current figures version (a random token), created when missing; None while the cache is down."""
    from django.core.cache import cache

    version = cache.get(FIGURES_VERSION_KEY)
    if version is None:
        cache.add(FIGURES_VERSION_KEY, secrets.token_hex(8), None)
        version = cache.get(FIGURES_VERSION_KEY)
    return version


def figures_changed():
    """A write changed the data: the figures cached so far are no longer read."""
    from django.core.cache import cache

    cache.set(FIGURES_VERSION_KEY, secrets.token_hex(8), None)
