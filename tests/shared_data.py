"""Records built once for a run of tests instead of once per test (Django's `setUpTestData`, for pytest).

A fixture decorated with `@shares(build)` (under `@pytest.fixture`) names a builder: a test that asks for
that fixture, and does not need committed rows (`transactional_db`, `live_server`, a Celery worker), gets
its records from one `build()` made before the test's own transaction:

- the builder runs inside a transaction opened before the first such test, which stays open while the next
  tests ask for the same fixture and is rolled back before a test that does not (or at the end of the run);
- each test's own transaction (pytest-django's `db`) is a savepoint inside it, so whatever a test writes is
  rolled back after it as before, and the next test sees the records as built;
- each test gets its own deep copy of the built objects (as `TestData` does for `setUpTestData`), so a test
  that changes an object in memory does not change the next test's; and its own copy of the files the
  builder saved, in the MEDIA_ROOT the test uses.

The fixtures the builder's records replace (`unit`, `agencies`, `clerk`…) ask `shared_or_new(request, name,
make)`: the shared copy's attribute `name` when the test shares records that have it, else `make()`. A test
that cannot share (a transactional one) builds its own records through the same fixtures, as before.

`SHARED_RECORDS_LOG=<file>` appends a line per build (which records, which worker, its CPU time).

Tests that share the same builder run one after the other where the order is ours to choose (under xdist,
`order_key` in tests/conftest.py), so the records are built about once per builder and xdist worker.
"""

import copy
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from django.test.utils import override_settings

TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


class Sharer:
    def __init__(self, name, build, order):
        self.name, self.build, self.order = name, build, order

    def __repr__(self):
        return f"<shared records {self.name}>"


_SHARERS = {}  # (module, qualified name) of a fixture function -> Sharer
_COPY = pytest.StashKey()
_SHARER = pytest.StashKey()


class _State:
    sharer = None  # the Sharer whose records are built and not yet rolled back
    atomic = None
    data = None
    media = None
    blocker = None  # pytest-django's django_db_blocker, once the test database is set up


_state = _State()


def shares(build):
    """Under `@pytest.fixture`: a test asking for this fixture shares the records of `build()` (an object whose
    attributes are named like the fixtures they replace) with the tests around it asking for it too. When a
    test asks for two such fixtures, the one defined later (which builds more) wins."""

    def register(func):
        _SHARERS[(func.__module__, func.__qualname__)] = Sharer(func.__qualname__, build, len(_SHARERS))
        return func

    return register


def transactional(item):
    if TRANSACTIONAL_FIXTURES & set(item.fixturenames):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences") or marker.args[:1] == (True,))


def sharer_of(item):
    """The Sharer whose records `item` takes, or None (it asks for none, or needs committed rows)."""
    if _SHARER in item.stash:
        return item.stash[_SHARER]
    found = None
    info = getattr(item, "_fixtureinfo", None)
    if info is not None and not transactional(item):
        for name in item.fixturenames:
            definitions = info.name2fixturedefs.get(name)
            if not definitions:
                continue
            func = definitions[-1].func
            sharer = _SHARERS.get((getattr(func, "__module__", None), getattr(func, "__qualname__", None)))
            if sharer is not None and (found is None or sharer.order > found.order):
                found = sharer
    item.stash[_SHARER] = found
    return found


def order_key(item):
    """Sorts the tests sharing one builder next to each other (then the tests sharing nothing)."""
    sharer = sharer_of(item)
    return sharer.order if sharer is not None else len(_SHARERS)


def _open(sharer):
    _close()
    with _state.blocker.unblock():
        atomic = transaction.atomic(using=DEFAULT_DB_ALIAS)
        # As a TestCase's class-wide transaction: a durable block inside is the test's business.
        atomic._from_testcase = True
        atomic.__enter__()
        _state.sharer, _state.atomic = sharer, atomic
        _state.media = Path(tempfile.mkdtemp(prefix="shared-media-"))
        try:
            started = time.process_time()
            with override_settings(MEDIA_ROOT=_state.media):
                _state.data = sharer.build()
            if os.environ.get("SHARED_RECORDS_LOG"):
                with open(os.environ["SHARED_RECORDS_LOG"], "a", encoding="utf-8") as log:
                    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
                    log.write(f"{worker} built {sharer.name} in {time.process_time() - started:.2f}s CPU\n")
        except BaseException:
            _close()
            raise


def _close():
    if _state.atomic is None:
        return
    atomic, media = _state.atomic, _state.media
    _state.sharer = _state.atomic = _state.data = _state.media = None
    with _state.blocker.unblock():
        transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
        atomic.__exit__(None, None, None)
    shutil.rmtree(media, ignore_errors=True)


def shared_records(request):
    """This test's own copy of the shared records, or None when it builds its own."""
    item = request._pyfuncitem
    sharer = sharer_of(item)
    if sharer is None or _state.sharer is not sharer:
        return None
    if _COPY not in item.stash:
        item.stash[_COPY] = copy.deepcopy(_state.data)
        shutil.copytree(_state.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return item.stash[_COPY]


def shared_or_new(request, name, make, *args):
    records = shared_records(request)
    if records is not None and hasattr(records, name):
        return getattr(records, name)
    return make(*args)


@pytest.fixture(scope="session")
def _shared_records_session(django_db_setup, django_db_blocker):
    """The test database is ready from here on; the last shared records are rolled back before it goes."""
    _state.blocker = django_db_blocker
    yield
    _close()


@pytest.fixture(scope="module")
def shared_records_ready(request, _shared_records_session):
    """Asked for by every `@shares` fixture. Higher-scoped than the test's own transaction, so the first test
    of a run that shares records has them built here, before it (later ones: in `pytest_runtest_setup`)."""
    sharer = sharer_of(request._pyfuncitem)
    if sharer is not None and _state.sharer is not sharer:
        _open(sharer)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    sharer = sharer_of(item)
    if _state.sharer is not sharer and _state.atomic is not None:
        _close()
    if sharer is not None and _state.sharer is not sharer and _state.blocker is not None:
        _open(sharer)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        if nextitem is None or sharer_of(nextitem) is not _state.sharer:
            _close()
