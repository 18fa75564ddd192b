"""The records behind tests/conftest.py's fixtures, as plain functions: the fixtures call them for one test,
and the shared builders (tests/shared_data.py) call them once for a run of tests."""

from types import SimpleNamespace

from coordination.models import AgencyKind, Role
from tests.factories import AgencyFactory, DepartmentFactory, UnitFactory, UserFactory, member


def make_unit():
    return UnitFactory(name="Thành phố Đà Nẵng", code="P48")


def make_agencies(unit):
    return SimpleNamespace(
        hdnd=AgencyFactory(unit=unit, kind=AgencyKind.HDND, name="Thường trực HĐND thành phố Đà Nẵng"),
        ubnd=AgencyFactory(unit=unit, kind=AgencyKind.UBND, name="UBND thành phố Đà Nẵng"),
        mttq=AgencyFactory(unit=unit, kind=AgencyKind.MTTQ, name="Ban Thường trực UBMTTQ Việt Nam thành phố Đà Nẵng"),
        dbqh=AgencyFactory(unit=unit, kind=AgencyKind.DBQH, name="Đoàn ĐBQH thành phố Đà Nẵng"),
        department=DepartmentFactory(unit=unit, name="Sở Xây dựng thành phố Đà Nẵng"),
    )


def make_other_unit():
    return UnitFactory(name="Tỉnh Thanh Hóa", code="P38")


def make_other_agency(other_unit):
    return AgencyFactory(unit=other_unit, kind=AgencyKind.HDND, name="Thường trực HĐND tỉnh Thanh Hóa")


def make_clerk(agencies):
    return member(agencies.hdnd, Role.CLERK, username="hdnd_clerk")


def make_leader(agencies):
    return member(agencies.hdnd, Role.LEADER, username="hdnd_leader")


def make_secretariat(agencies):
    return member(agencies.hdnd, Role.SECRETARIAT, username="hdnd_secretariat")


def make_outsider(other_agency):
    return member(other_agency, Role.CLERK, username="outsider_clerk")


def make_site_admin():
    return UserFactory(username="site_admin", is_superuser=True, is_staff=True)


def make_base(*, other=False, users=()):
    """The test unit with its agencies (and the other province with its HĐND when `other`), and the users
    named in `users` among clerk, leader, secretariat, outsider, site_admin: the attributes are the fixtures'
    names."""
    records = SimpleNamespace(unit=make_unit())
    records.agencies = make_agencies(records.unit)
    if other or "outsider" in users:
        records.other_unit = make_other_unit()
        records.other_agency = make_other_agency(records.other_unit)
    makers = {
        "clerk": lambda: make_clerk(records.agencies),
        "leader": lambda: make_leader(records.agencies),
        "secretariat": lambda: make_secretariat(records.agencies),
        "outsider": lambda: make_outsider(records.other_agency),
        "site_admin": make_site_admin,
    }
    for name in users:
        setattr(records, name, makers[name]())
    return records
