"""Shared fixtures: a unit with the four agencies, and users of every role (clerk, leader,
secretariat, a clerk of another agency of the same unit, an outsider from another unit, admin)."""

import os

import pytest

from coordination.models import Role
from coordination.reference import reference_data_load
from tests import records
from tests.factories import PASSWORD, member
from tests.realparts import (  # noqa: F401
    browser,
    celery_worker,
    celery_worker_process,
    copy_test_database_from_template,
    install_fast_flush,
    isolate_xdist_worker,
    page,
    redis_url,
)
from tests.shared_data import (  # noqa: F401
    _shared_records_session,
    order_key,
    pytest_runtest_setup,
    pytest_runtest_teardown,
    shared_or_new,
    shared_records_ready,
)


def pytest_configure(config):
    # A pytest-xdist worker: its own Redis database and media directory (its own test database comes from
    # pytest-django).
    isolate_xdist_worker()
    # After a transactional test: empty only the tables that hold rows, without post_migrate.
    install_fast_flush()


def pytest_collection_modifyitems(config, items):
    """In pytest-xdist's workers: the long tests first (a browser, a real Celery worker, the `world` of every
    record), so that the end of the run is short tests spread over the workers, not one long test keeping
    one worker busy while the others idle. Within each kind, the tests sharing records built once
    (tests/shared_data.py) come one after the other. A stable sort: otherwise the order stays as collected."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return

    def weight(item):
        if item.get_closest_marker("browser") or item.get_closest_marker("worker"):
            return 0, 0
        # Then the tests sharing one set of records built once (tests/shared_data.py) one after the other.
        return (1 if "world" in getattr(item, "fixturenames", ()) else 2), order_key(item)

    items.sort(key=weight)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """pytest-django's hook before it sets up the test database (after it named it `..._gwN` under xdist):
    under scripts/run_tests.py the database is copied here from the template the harness migrated once.
    True if it was."""
    return copy_test_database_from_template()


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings):
    """Keep (do not create again) a test database copied from the harness's template."""
    return bool(request.config.getvalue("reuse_db") or django_db_modify_db_settings)


@pytest.fixture(autouse=True)
def _celery_join_allowed():
    """Celery keeps "a task runs here" in one process-wide flag, set around every eager task and not
    thread-safe: threads of an earlier test running eager tasks at once (a live server, concurrent sends) can
    leave it set, and a later test's `.get()` then fails with "Never call result.get() within a task" depending
    on the order the tests ran in. Each test starts with it clear, as in a fresh process."""
    from celery.result import allow_join_result

    with allow_join_result():
        yield


@pytest.fixture
def reference_data(request, db):
    shared_or_new(request, "reference_data", reference_data_load)


# The records of these fixtures come from tests/records.py; a test that shares records built once
# (tests/shared_data.py) gets them from its copy of those.
@pytest.fixture
def unit(request, db):
    return shared_or_new(request, "unit", records.make_unit)


@pytest.fixture
def agencies(request, unit):
    return shared_or_new(request, "agencies", records.make_agencies, unit)


@pytest.fixture
def other_unit(request, db):
    return shared_or_new(request, "other_unit", records.make_other_unit)


@pytest.fixture
def other_agency(request, other_unit):
    return shared_or_new(request, "other_agency", records.make_other_agency, other_unit)


@pytest.fixture
def clerk(request, agencies):
    return shared_or_new(request, "clerk", records.make_clerk, agencies)


@pytest.fixture
def leader(request, agencies):
    return shared_or_new(request, "leader", records.make_leader, agencies)


@pytest.fixture
def secretariat(request, agencies):
    return shared_or_new(request, "secretariat", records.make_secretariat, agencies)


@pytest.fixture
def ubnd_clerk(agencies):
    return member(agencies.ubnd, Role.CLERK, username="ubnd_clerk")


@pytest.fixture
def mttq_clerk(agencies):
    return member(agencies.mttq, Role.CLERK, username="mttq_clerk")


@pytest.fixture
def outsider(request, other_agency):
    return shared_or_new(request, "outsider", records.make_outsider, other_agency)


@pytest.fixture
def site_admin(request, db):
    return shared_or_new(request, "site_admin", records.make_site_admin)


@pytest.fixture
def login(client):
    """login(user) signs the test client in as `user` and returns the client."""

    def _login(user):
        # django-axes needs the request in authenticate(), which Client.login() does not pass: check the
        # password here and start the session directly.
        assert user.check_password(PASSWORD)
        client.force_login(user)
        return client

    return _login
