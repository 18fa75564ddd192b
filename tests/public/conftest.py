"""Fixtures of the citizens' pages: petitions of the test unit answered by its department, some published."""

import datetime

import pytest
from django.core.cache import cache

from coordination.models import Role
from tests.factories import member
from tests.voters.factories import PetitionFactory
from voters import services


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The page cache and the rate-limit counters live in the shared cache: start and end each test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def department_clerk(agencies):
    return member(agencies.department, Role.CLERK, username="sxd_clerk_public")


@pytest.fixture
def answer_petition(leader, agencies, department_clerk):
    """answer_petition(content=..., answer=..., answered_on=..., **factory fields) → an answered petition."""

    def _answer(content, answer="Sở Xây dựng đã bố trí kinh phí sửa chữa.", answered_on=None, **fields):
        petition = PetitionFactory(originating_agency=agencies.hdnd, content=content, **fields)
        services.petition_forward(
            actor=leader,
            petition=petition,
            agency=agencies.department,
            dispatch_date=petition.received_on,
            due_date=datetime.date(2026, 12, 31),
        )
        petition.refresh_from_db()
        services.petition_answer(
            actor=department_clerk,
            petition=petition,
            version=petition.version,
            text=answer,
            document_number="456/SXD-QLĐT",
            document_date=answered_on or datetime.date(2026, 11, 20),
            outcome="resolved",
        )
        petition.refresh_from_db()
        return petition

    return _answer


@pytest.fixture
def publish(leader):
    """publish(petition): as the HĐND's leader, through the service the button calls."""

    def _publish(petition):
        services.petition_answer_publish(actor=leader, petition=petition)
        petition.refresh_from_db()
        return petition

    return _publish
