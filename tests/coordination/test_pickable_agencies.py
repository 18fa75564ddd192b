"""`coordination.permissions.pickable_agencies`: the one rule of which agencies a user may pick (meeting
forms, the petition list's filters, charter parties and articles, duties and tasks)."""

import pytest

from coordination.models import PARTY_KINDS, AgencyKind
from coordination.permissions import pickable_agencies
from tests.factories import AgencyFactory, CommuneFactory, DepartmentFactory, UnitFactory, UserFactory, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    province = UnitFactory(name="Tỉnh A")
    commune = CommuneFactory(parent=province, name="Xã B")
    elsewhere = UnitFactory(name="Tỉnh C")
    agencies = {
        "council": AgencyFactory(unit=province, kind=AgencyKind.HDND),
        "committee": AgencyFactory(unit=province, kind=AgencyKind.UBND),
        "department": DepartmentFactory(unit=province),
        "closed": DepartmentFactory(unit=province, is_active=False),
        "commune": AgencyFactory(unit=commune, kind=AgencyKind.HDND),
        "elsewhere": AgencyFactory(unit=elsewhere, kind=AgencyKind.HDND),
    }
    return province, commune, agencies


def names(queryset):
    return {agency.name for agency in queryset}


def test_a_member_picks_the_active_agencies_of_the_units_they_see(world):
    agencies = world[2]
    clerk = member(agencies["council"])
    picked = pickable_agencies(clerk)
    assert names(picked) == names(agencies[key] for key in ("council", "committee", "department", "commune"))
    # Ordered by unit, kind and name, with the unit loaded.
    assert list(picked) == sorted(picked, key=lambda a: (a.unit.name, a.kind, a.name))
    commune_clerk = member(agencies["commune"])
    assert names(pickable_agencies(commune_clerk)) == {agencies["commune"].name}


def test_narrowed_to_a_unit_to_the_own_unit_and_to_kinds(world):
    _province, commune, agencies = world
    clerk = member(agencies["council"])
    assert names(pickable_agencies(clerk, unit=commune)) == {agencies["commune"].name}
    assert names(pickable_agencies(clerk, unit=commune.pk)) == {agencies["commune"].name}
    assert names(pickable_agencies(clerk, own_unit=True)) == names(
        agencies[key] for key in ("council", "committee", "department")
    )
    assert names(pickable_agencies(clerk, own_unit=True, kinds=PARTY_KINDS)) == names(
        agencies[key] for key in ("council", "committee")
    )
    # A unit the user does not see gives nothing, even when asked for by id.
    assert not pickable_agencies(clerk, unit=agencies["elsewhere"].unit_id).exists()


def test_site_administrator_picks_everywhere_and_a_stranger_nothing(world):
    agencies = world[2]
    admin = UserFactory(is_superuser=True)
    everything = names(agency for key, agency in agencies.items() if key != "closed")
    assert names(pickable_agencies(admin)) == everything
    assert names(pickable_agencies(admin, own_unit=True)) == everything
    assert not pickable_agencies(UserFactory()).exists()
    assert not pickable_agencies(UserFactory(), own_unit=True).exists()
