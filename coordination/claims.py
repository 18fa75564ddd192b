"""A background job's claim, kept alive while the job runs.

The report render (charters.reviews) and the petition export (voters.export_jobs) claim their row with a
token and a `heartbeat_at`; a sweep takes over a claim whose heartbeat is older than its timeout, so a job
whose worker died is run again, once. While the job is working, a thread refreshes the heartbeat every
REPORT_HEARTBEAT_SECONDS with its own database connection, also while the job waits on a slow query or
writes the closing parts of a file."""

import logging
import threading

from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

logger = logging.getLogger(__name__)


class ClaimHeartbeat:
    """`with ClaimHeartbeat(held, name): ...` refreshes `held().update(heartbeat_at=now)` until the block
    ends. `held` returns the queryset of the claimed row while this run still holds it (its id, token and
    running status), so a heartbeat never revives a claim another run has taken over."""

    def __init__(self, held, name):
        self.held = held
        self.name = name
        self.stopped = threading.Event()
        self.thread = None

    def __enter__(self):
        interval = settings.REPORT_HEARTBEAT_SECONDS
        # Inside a transaction (tests, the eager mode in a request) other connections cannot see the claim.
        if interval > 0 and not connection.in_atomic_block:
            self.thread = threading.Thread(target=self._beat, args=(interval,), name=self.name, daemon=True)
            self.thread.start()
        return self

    def _beat(self, interval):
        try:
            while not self.stopped.wait(interval):
                self.held().update(heartbeat_at=timezone.now())
        except Exception:
            logger.warning("%s failed", self.name, exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only

    def __exit__(self, *exc_info):
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=30)
        return False
