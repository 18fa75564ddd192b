"""Fixtures of the review tests: a charter in force, the year's records, a generated review, party users."""

from datetime import date

import pytest
from django.utils import translation

from charters.models import TaskOrigin, TaskStatus
from charters.reviews.services import review_create
from coordination.models import Role
from coordination.reference import reference_data_load
from meetings.models import MeetingKind
from tests.charters import review_factories as rf
from tests.factories import AgencyFactory, UnitFactory, member
from tests.records import make_base
from tests.shared_data import shared_or_new, shares

TODAY = date(2026, 1, 20)


@pytest.fixture(autouse=True)
def review_media(settings, tmp_path):
    """Each test renders into its own MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"


def year_records(*, with_review=False):
    """What a test asking for `year_data` (with `review`: and for `review`) gets, built once for the tests
    around it (tests/shared_data.py); in English, as the charter tests run (tests/charters/conftest.py)."""
    with translation.override("en"):
        records = make_base(users=("secretariat",) if with_review else ())
        reference_data_load()
        records.reference_data = None
        records.charter = rf.charter_in_force(records.agencies)
        records.year_data = make_year_data(records.charter, records.agencies)
        if with_review:
            records.review = make_review(records.year_data, records.secretariat)
    return records


def review_records():
    return year_records(with_review=True)


@pytest.fixture
def charter(request, agencies):
    return shared_or_new(request, "charter", rf.charter_in_force, agencies)


@pytest.fixture
@shares(year_records)
def year_data(request, shared_records_ready, charter, agencies):
    """The 2025 records of the charter's unit, plus records that must not be counted."""
    return shared_or_new(request, "year_data", make_year_data, charter, agencies)


def make_year_data(charter, agencies):
    unit, hdnd, ubnd, mttq, dept = charter.unit, agencies.hdnd, agencies.ubnd, agencies.mttq, agencies.department
    other_unit = UnitFactory(name="Tỉnh Quảng Ngãi", code="P51")
    other_hdnd = AgencyFactory(unit=other_unit, kind="HDND", name="Thường trực HĐND tỉnh Quảng Ngãi")

    session1 = rf.meeting(unit, hdnd, MeetingKind.COUNCIL_SESSION, date(2025, 7, 10))
    session2 = rf.meeting(unit, hdnd, MeetingKind.COUNCIL_SESSION, date(2025, 12, 8))
    for day in (date(2025, 6, 20), date(2025, 6, 21), date(2025, 11, 25)):
        rf.meeting(unit, hdnd, MeetingKind.VOTER_CONTACT_BEFORE, day)
    rf.meeting(unit, mttq, MeetingKind.VOTER_CONTACT_AFTER, date(2025, 8, 2))
    rf.meeting(unit, hdnd, MeetingKind.SUPERVISION, date(2025, 9, 15))
    rf.meeting(unit, hdnd, MeetingKind.COUNCIL_SESSION, date(2024, 12, 10))  # last year
    rf.meeting(other_unit, other_hdnd, MeetingKind.COUNCIL_SESSION, date(2025, 7, 10))  # another unit

    rf.session_document(session1, ubnd, due=date(2025, 6, 1), delivered=date(2025, 5, 30))
    rf.session_document(session1, ubnd, due=date(2025, 6, 1), delivered=date(2025, 6, 5))
    rf.session_document(session2, dept, due=date(2025, 11, 1))

    p = rf.petition
    p(unit, hdnd, received=date(2025, 1, 10), lead=dept, forwarded=date(2025, 2, 1), due=date(2025, 3, 1),
      answered=date(2025, 2, 20))  # fmt: skip
    p(unit, hdnd, received=date(2025, 1, 10), lead=ubnd, forwarded=date(2025, 2, 1), due=date(2025, 3, 1),
      answered=date(2025, 3, 10), unsatisfactory_by=mttq)  # fmt: skip
    p(unit, mttq, received=date(2025, 4, 2), field="health", lead=dept, forwarded=date(2025, 4, 10),
      due=date(2025, 6, 1))  # fmt: skip
    p(unit, mttq, received=date(2025, 11, 2), field="health", lead=dept, forwarded=date(2025, 11, 10),
      due=date(2026, 2, 1))  # fmt: skip
    p(unit, hdnd, received=date(2025, 12, 1), field="education")
    p(unit, hdnd, received=date(2025, 3, 1), lead=dept, forwarded=date(2025, 3, 5), due=date(2025, 5, 1),
      returned_at=date(2025, 4, 1))  # fmt: skip
    # Answered after the year closed: not answered "as of 31/12/2025", and not overdue either.
    p(unit, hdnd, received=date(2025, 12, 5), field="education", lead=dept, forwarded=date(2025, 12, 20),
      due=date(2026, 1, 15), answered=date(2026, 1, 10))  # fmt: skip
    p(unit, hdnd, received=date(2024, 12, 30), lead=dept, forwarded=date(2025, 1, 5), due=date(2025, 2, 1))
    p(other_unit, other_hdnd, received=date(2025, 5, 5))

    art1 = rf.article(charter, 1)
    art2 = rf.article(charter, 2, title="Phối hợp chuẩn bị kỳ họp", area_code="council-sessions")
    t = rf.task
    t(charter, hdnd, article=art1, due=date(2025, 3, 1), status=TaskStatus.DONE, completed=date(2025, 2, 28))
    t(charter, ubnd, article=art1, due=date(2025, 3, 1), status=TaskStatus.DONE, completed=date(2025, 3, 2))
    t(charter, ubnd, article=art1, due=date(2025, 11, 1))
    t(charter, ubnd, article=art1, due=date(2025, 12, 31))
    t(charter, mttq, article=art2, due=date(2025, 5, 1), status=TaskStatus.DONE, completed=date(2025, 4, 1),
      origin=TaskOrigin.ARISING)  # fmt: skip
    t(charter, mttq, due=date(2025, 6, 1), status=TaskStatus.CANCELLED, origin=TaskOrigin.CONCLUSION)
    t(charter, hdnd, article=art1, due=date(2024, 6, 1))  # last year
    return charter


def make_review(year_data, secretariat):
    return review_create(actor=secretariat, charter=year_data, year=2025, today=TODAY)


@pytest.fixture
@shares(review_records)
def review(request, shared_records_ready, year_data, secretariat):
    return shared_or_new(request, "review", make_review, year_data, secretariat)


@pytest.fixture
def ubnd_leader(agencies):
    return member(agencies.ubnd, Role.LEADER, username="ubnd_leader")


@pytest.fixture
def mttq_leader(agencies):
    return member(agencies.mttq, Role.LEADER, username="mttq_leader")


@pytest.fixture
def department_clerk(agencies):
    """A member of the same unit whose agency is not a party to the charter."""
    return member(agencies.department, Role.CLERK, username="department_clerk")
