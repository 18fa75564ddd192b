"""Shared fixtures: a unit with the four agencies, and users of every role (clerk, leader,
secretariat, a clerk of another agency of the same unit, an outsider from another unit, admin)."""

import os
from types import SimpleNamespace

import pytest

from coordination.models import AgencyKind, Role
from coordination.reference import reference_data_load
from tests.factories import PASSWORD, AgencyFactory, DepartmentFactory, UnitFactory, UserFactory, member
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


def pytest_configure(config):
    # A pytest-xdist worker: its own Redis database and media directory (its own test database comes from
    # pytest-django).
    isolate_xdist_worker()
    # After a transactional test: empty only the tables that hold rows, without post_migrate.
    install_fast_flush()


def pytest_collection_modifyitems(config, items):
    """In pytest-xdist's workers: the long tests first (a browser, a real Celery worker, the `world` of every
    record), so that the end of the run is short tests spread over the workers, not one long test keeping
    one worker busy while the others idle. A stable sort: the order within each kind stays as collected."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return

    def weight(item):
        if item.get_closest_marker("browser") or item.get_closest_marker("worker"):
            return 0
        return 1 if "world" in getattr(item, "fixturenames", ()) else 2

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
def reference_data(db):
    reference_data_load()


@pytest.fixture
def unit(db):
    return UnitFactory(name="Thành phố Đà Nẵng", code="P48")


@pytest.fixture
def agencies(unit):
    return SimpleNamespace(
        hdnd=AgencyFactory(unit=unit, kind=AgencyKind.HDND, name="Thường trực HĐND thành phố Đà Nẵng"),
        ubnd=AgencyFactory(unit=unit, kind=AgencyKind.UBND, name="UBND thành phố Đà Nẵng"),
        mttq=AgencyFactory(unit=unit, kind=AgencyKind.MTTQ, name="Ban Thường trực UBMTTQ Việt Nam thành phố Đà Nẵng"),
        dbqh=AgencyFactory(unit=unit, kind=AgencyKind.DBQH, name="Đoàn ĐBQH thành phố Đà Nẵng"),
        department=DepartmentFactory(unit=unit, name="Sở Xây dựng thành phố Đà Nẵng"),
    )


@pytest.fixture
def other_unit(db):
    return UnitFactory(name="Tỉnh Thanh Hóa", code="P38")


@pytest.fixture
def other_agency(other_unit):
    return AgencyFactory(unit=other_unit, kind=AgencyKind.HDND, name="Thường trực HĐND tỉnh Thanh Hóa")


@pytest.fixture
def clerk(agencies):
    return member(agencies.hdnd, Role.CLERK, username="hdnd_clerk")


@pytest.fixture
def leader(agencies):
    return member(agencies.hdnd, Role.LEADER, username="hdnd_leader")


@pytest.fixture
def secretariat(agencies):
    return member(agencies.hdnd, Role.SECRETARIAT, username="hdnd_secretariat")


@pytest.fixture
def ubnd_clerk(agencies):
    return member(agencies.ubnd, Role.CLERK, username="ubnd_clerk")


@pytest.fixture
def mttq_clerk(agencies):
    return member(agencies.mttq, Role.CLERK, username="mttq_clerk")


@pytest.fixture
def outsider(other_agency):
    return member(other_agency, Role.CLERK, username="outsider_clerk")


@pytest.fixture
def site_admin(db):
    return UserFactory(username="site_admin", is_superuser=True, is_staff=True)


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
