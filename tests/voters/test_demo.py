"""The demo seed: hundreds of petitions in every state, quick and idempotent."""

import datetime

import pytest

from coordination.demo import voters as demo
from coordination.demo.seed import DemoContext, DemoUnit
from coordination.models import AgencyKind
from voters.models import Petition

pytestmark = pytest.mark.django_db


@pytest.fixture
def context(unit, agencies, reference_data):
    demo_unit = DemoUnit(
        key="danang",
        unit=unit,
        place="thành phố Đà Nẵng",
        kinds=[AgencyKind.HDND, AgencyKind.UBND, AgencyKind.MTTQ, AgencyKind.DBQH],
        agencies={
            AgencyKind.HDND: agencies.hdnd,
            AgencyKind.UBND: agencies.ubnd,
            AgencyKind.MTTQ: agencies.mttq,
            AgencyKind.DBQH: agencies.dbqh,
        },
        departments=[agencies.department],
    )
    return DemoContext(units={"danang": demo_unit}, today=datetime.date(2026, 11, 24))


@pytest.mark.smoke
def test_seed_covers_every_state_and_is_idempotent(context):
    demo.seed(context)
    count = Petition.objects.count()
    assert count >= 80
    today = context.today
    statuses = set(Petition.objects.values_list("status", flat=True))
    assert {"received", "classified", "forwarded", "returned", "answered", "closed"} <= statuses
    assert Petition.objects.overdue(today).exists()
    assert Petition.objects.filter(primary__isnull=False).exists()
    assert Petition.objects.filter(flagged_for_supervision=True).exists()
    assert Petition.objects.answered_late().exists()
    for petition in Petition.objects.all()[:40]:
        petition.full_clean()
    demo.seed(context)
    assert Petition.objects.count() == count


def test_seeded_petition_pages_render(context, clerk, login):
    demo.seed(context)
    client = login(clerk)
    assert client.get("/petitions/").status_code == 200
    for petition in Petition.objects.order_by("?")[:5]:
        assert client.get(f"/petitions/{petition.pk}/").status_code == 200


def test_todays_demo_handoffs_go_through_the_services(context, agencies):
    from coordination.models import Notification, Role
    from tests.factories import member

    council = member(agencies.hdnd, Role.CLERK, username="danang.hdnd.clerk")
    committee = member(agencies.ubnd, Role.CLERK, username="danang.ubnd.clerk")
    demo.seed(context)
    kinds = set(Notification.objects.filter(recipient=committee).values_list("kind", flat=True))
    assert {"handoff_forward", "handoff_reanswer"} <= kinds
    # The bulk forward of three petitions is one notification per person.
    assert Notification.objects.filter(recipient=committee, item_kind="petitions").count() == 1
    council_kinds = set(Notification.objects.filter(recipient=council).values_list("kind", flat=True))
    assert {"handoff_return", "handoff_answer"} <= council_kinds
    assert Petition.objects.filter(status="reanswer").exists()
