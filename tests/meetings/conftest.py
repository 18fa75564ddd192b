"""Fixtures of the meetings tests: a council session hosted by the HĐND with the UBND and MTTQ taking part."""

import pytest

from tests.meetings.factories import CouncilSessionFactory, MeetingFactory


@pytest.fixture
def session(agencies, reference_data):
    return CouncilSessionFactory(
        host_agency=agencies.hdnd, participating_agencies=[agencies.ubnd], title="Kỳ họp thứ 12 HĐND thành phố"
    )


@pytest.fixture
def briefing(agencies, reference_data):
    return MeetingFactory(host_agency=agencies.hdnd, participating_agencies=[agencies.ubnd])
