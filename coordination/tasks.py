"""Celery tasks of the shared core: thin adapters that take primary keys and call services."""

from celery import shared_task
from django.core.cache import cache

from .models import AdministrativeUnit

PING_DB_CACHE_PREFIX = "ping_db:"


@shared_task
def ping_db(token=""):
    """Count the administrative units through the ORM: proves a worker reaches the broker and the database.

    There is no result backend, so with a `token` the count is also left in the cache (Redis when
    configured) under `ping_db:<token>` for five minutes, where the caller can read it.
    Writes nothing to the database; safe to run any number of times.
    """
    count = AdministrativeUnit.objects.count()
    if token:
        cache.set(f"{PING_DB_CACHE_PREFIX}{token}", count, timeout=300)
    return count
