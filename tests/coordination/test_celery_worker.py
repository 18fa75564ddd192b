"""A real Celery worker takes a task from Redis and reads committed rows of the test database."""

import uuid

import pytest
from django.core.cache import cache

from coordination.tasks import PING_DB_CACHE_PREFIX, ping_db
from tests.factories import UnitFactory
from tests.realparts import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.postgres]


def test_worker_runs_task_against_committed_rows(celery_worker):
    UnitFactory.create_batch(3)
    token = uuid.uuid4().hex

    ping_db.delay(token)

    count = wait_until(
        lambda: cache.get(f"{PING_DB_CACHE_PREFIX}{token}"),
        timeout=30,
        message=f"the worker to run ping_db; worker log:\n{celery_worker.log()}",
    )
    assert count == 3


def test_worker_comes_back_after_kill_9(celery_worker):
    first_pid = celery_worker.pid
    celery_worker.restart(kill=True)
    assert celery_worker.alive()
    assert celery_worker.pid != first_pid
    UnitFactory()
    token = uuid.uuid4().hex

    ping_db.delay(token)

    assert wait_until(lambda: cache.get(f"{PING_DB_CACHE_PREFIX}{token}"), timeout=30, message="ping_db") == 1


def test_ping_db_counts_units_in_process(db):
    UnitFactory.create_batch(2)

    assert ping_db.delay().get() == 2
