"""Fixtures of the voters tests: a petition received by the People's Council, a department clerk."""

import datetime

import pytest

from coordination.models import Role
from tests.factories import member
from voters import services

from .factories import PetitionFactory

DISPATCH = datetime.date(2026, 11, 16)


@pytest.fixture
def department_clerk(agencies):
    return member(agencies.department, Role.CLERK, username="sxd_clerk")


@pytest.fixture
def department_leader(agencies):
    return member(agencies.department, Role.LEADER, username="sxd_leader")


@pytest.fixture
def petition(agencies, reference_data):
    return PetitionFactory(originating_agency=agencies.hdnd)


@pytest.fixture
def forwarded(petition, clerk, agencies):
    """`petition` forwarded by the HĐND clerk to the department, with UBND supporting."""
    services.petition_forward(
        actor=clerk,
        petition=petition,
        agency=agencies.department,
        supporting_agencies=[agencies.ubnd],
        dispatch_number="125/HĐND-VP",
        dispatch_date=DISPATCH,
    )
    petition.refresh_from_db()
    return petition


@pytest.fixture
def answered(forwarded, department_clerk):
    services.petition_answer(
        actor=department_clerk,
        petition=forwarded,
        version=forwarded.version,
        text="Đã sửa chữa xong.",
        document_number="456/SXD-QLĐT",
        document_date=datetime.date(2026, 11, 20),
        outcome="resolved",
    )
    forwarded.refresh_from_db()
    return forwarded
