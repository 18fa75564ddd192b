"""Queueing Celery tasks so that a broker outage never turns committed work into an error page.

A service names the task it queues (`"charters.tasks.review_report_render"`) rather than importing
it: the tasks module imports the service, so an import back would be a cycle. The name is also the
task's contract with the messages already queued, and each app registers its tasks at start-up
(its AppConfig.ready imports its tasks module)."""

import logging
from functools import partial

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def task_named(task):
    """The registered Celery task for `task`, a task or a task name (a KeyError for an unknown name)."""
    return current_app.tasks[task] if isinstance(task, str) else task


# Publishing connections give up at the first refused or timed-out connect: kombu's default retries the
# connection for several seconds (6 s measured per enqueue with Redis down), which a request or the scan
# (one enqueue per recipient) must not wait. Only for these publishes: the worker's own consumer connection
# keeps Celery's reconnect behaviour.
FAIL_FAST = {"max_retries": 0, "socket_connect_timeout": 2}


def enqueue(task, *args, **kwargs):
    """Queue `task` now; a broker outage is logged and swallowed (returns False) at once, never raised, so
    the caller's committed work stands and a periodic sweep (digests, renders) queues it again."""
    task = task_named(task)
    try:
        if task.app.conf.task_always_eager:
            task.apply_async(args=args, kwargs=kwargs)
        else:
            with task.app.connection_for_write(transport_options=FAIL_FAST) as connection:
                task.apply_async(args=args, kwargs=kwargs, retry=False, connection=connection)
    except Exception:  # whatever the broker raises: the caller's transaction has already committed
        logger.warning("Could not queue %s%r; it will be picked up later", task.name, args, exc_info=True)
        return False
    return True


def enqueue_on_commit(task, *args, **kwargs):
    """Queue `task` once the current transaction commits (see `enqueue`: a broker outage never turns a
    saved form into an error page)."""
    transaction.on_commit(partial(enqueue, task, *args, **kwargs))
