"""seed_demo builds the demo world once; running it again changes nothing."""

import pytest
from django.core.management import call_command

from coordination.models import AdministrativeUnit, Agency, AgencyKind, Membership, User

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_seed_demo_is_idempotent_and_every_demo_account_can_sign_in(client):
    call_command("seed_demo", "--today", "2026-11-24", verbosity=0)
    counts = (User.objects.count(), Agency.objects.count(), Membership.objects.count())
    call_command("seed_demo", "--today", "2026-11-24", verbosity=0)
    assert (User.objects.count(), Agency.objects.count(), Membership.objects.count()) == counts

    danang = AdministrativeUnit.objects.get(name="Thành phố Đà Nẵng")
    assert set(danang.agencies.exclude(kind=AgencyKind.OTHER).values_list("kind", flat=True)) == {
        "HDND",
        "UBND",
        "MTTQ",
        "DBQH",
    }
    backan = AdministrativeUnit.objects.get(name="Bắc Kạn")
    assert backan.successor.name == "Thái Nguyên" and not backan.is_active
    govap = AdministrativeUnit.objects.get(name="Quận Gò Vấp")
    assert govap.level == "district"

    for username in ["danang.hdnd.clerk", "backan.ubnd.clerk", "govap.mttq.leader", "admin"]:
        assert client.login(username=username, password="demo-phoihop-2026"), username
