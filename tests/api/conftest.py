"""Fixtures of the read-API tests: one unit's records of every kind, another unit's, and a token per actor."""

import datetime
from types import SimpleNamespace

import pytest

from coordination.api.services import api_token_create, api_token_revoke
from coordination.models import AgencyKind
from coordination.reference import reference_data_load
from tests.factories import AgencyFactory, CommuneFactory, member
from tests.records import make_base
from tests.shared_data import shared_or_new, shares


class TokenClient:
    """The test client sending `Authorization: Bearer <secret>` (no secret: an anonymous system)."""

    def __init__(self, client, secret=None):
        self.client, self.secret = client, secret

    def _headers(self):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.secret}"} if self.secret else {}

    def get(self, url, data=None, **extra):
        return self.client.get(url, data, **{**self._headers(), **extra})

    def generic(self, method, url, **extra):
        return self.client.generic(method, url, **{**self._headers(), **extra})


@pytest.fixture(autouse=True)
def _rate_limit_out_of_the_way(settings):
    """Token ids repeat from test to test and the throttle's history lives in the cache: only the rate-limit
    test (test_tokens.py) sets a limit a test can reach."""
    settings.API_RATE_LIMIT = "100000/minute"


def api_records():
    """What a test asking for `api_world` gets, built once for the tests around it (tests/shared_data.py)."""
    records = make_base(other=True, users=("clerk", "site_admin"))
    reference_data_load()
    records.reference_data = None
    records.api_world = make_api_world(records.agencies, records.other_agency, records.clerk)
    return records


@pytest.fixture
@shares(api_records)
def api_world(request, shared_records_ready, agencies, other_agency, clerk, site_admin, reference_data):
    """Records of the test unit (Đà Nẵng): a charter, a meeting, a petition taken in by the HĐND and
    forwarded to the department, which answered it; and the same kinds in another province."""
    return shared_or_new(request, "api_world", make_api_world, agencies, other_agency, clerk)


def make_api_world(agencies, other_agency, clerk):
    from charters.models import CharterStatus
    from tests.charters.factories import make_charter
    from tests.meetings.factories import MeetingFactory
    from tests.voters.factories import PetitionFactory
    from voters import services as petition_services

    commune = CommuneFactory(parent=agencies.hdnd.unit, name="Phường Hải Châu")
    charter = make_charter(agencies, actor=clerk, status=CharterStatus.IN_FORCE)
    meeting = MeetingFactory(host_agency=agencies.hdnd)
    petition = PetitionFactory(originating_agency=agencies.hdnd, commune=commune)
    petition_services.petition_forward(
        actor=clerk,
        petition=petition,
        agency=agencies.department,
        supporting_agencies=[agencies.ubnd],
        dispatch_number="125/HĐND-VP",
        dispatch_date=datetime.date(2026, 11, 16),
    )
    petition.refresh_from_db()
    department_clerk = member(agencies.department, username="sxd_clerk_api")
    petition_services.petition_answer(
        actor=department_clerk,
        petition=petition,
        version=petition.version,
        text="Sở Xây dựng đã bố trí vốn sửa chữa tuyến đường trong quý I năm 2027.",
        document_number="88/SXD-QLHT",
        document_date=datetime.date(2026, 11, 30),
        outcome="in_progress_with_plan",
        plan="Sửa chữa trong quý I năm 2027",
        target_date=datetime.date(2027, 3, 31),
    )
    petition.refresh_from_db()

    other_ubnd = AgencyFactory(unit=other_agency.unit, kind=AgencyKind.UBND, name="UBND tỉnh Thanh Hóa")
    other = SimpleNamespace(
        agency=other_agency,
        meeting=MeetingFactory(host_agency=other_agency),
        petition=PetitionFactory(originating_agency=other_agency, voter_name="Lê Thị Bình"),
        ubnd=other_ubnd,
    )
    return SimpleNamespace(
        unit=agencies.hdnd.unit,
        commune=commune,
        charter=charter,
        meeting=meeting,
        petition=petition,
        other=other,
    )


@pytest.fixture
def tokens(agencies, other_agency, site_admin):
    """A token secret per actor of the matrix (None: no token at all)."""
    secrets = {"anonymous": None}
    for actor, agency in (
        ("hdnd", agencies.hdnd),  # took the petition in
        ("department", agencies.department),  # was asked to answer it
        ("dbqh", agencies.dbqh),  # same unit, involved in nothing
        ("outsider", other_agency),  # another province
    ):
        secrets[actor] = api_token_create(actor=site_admin, agency=agency, name=f"Hệ thống {actor}")[1]
    revoked, secrets["revoked"] = api_token_create(actor=site_admin, agency=agencies.hdnd, name="Hệ thống cũ")
    api_token_revoke(actor=site_admin, token=revoked)
    return secrets


@pytest.fixture
def api(client, tokens):
    """api(actor) → a client sending that actor's token."""
    return lambda actor: TokenClient(client, tokens[actor])
