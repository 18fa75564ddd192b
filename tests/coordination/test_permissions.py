"""Who sees which unit: own unit, a province's communes, merged legacy units; 404 for the rest."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from coordination import permissions
from coordination.models import Role, UnitLevel
from tests.factories import AgencyFactory, CommuneFactory, UnitFactory, member

pytestmark = pytest.mark.django_db


def test_member_sees_own_unit_and_its_communes_not_other_units(clerk, unit, other_unit):
    commune = CommuneFactory(parent=unit)
    ids = permissions.visible_unit_ids(clerk)
    assert unit.pk in ids and commune.pk in ids
    assert other_unit.pk not in ids
    permissions.ensure_unit_visible(clerk, unit.pk)
    with pytest.raises(Http404):
        permissions.ensure_unit_visible(clerk, other_unit.pk)


def test_commune_member_does_not_see_the_province(unit):
    commune = CommuneFactory(parent=unit)
    user = member(AgencyFactory(unit=commune), Role.CLERK)
    assert permissions.visible_unit_ids(user) == frozenset({commune.pk})


def test_records_of_a_merged_province_roll_up_to_its_successor():
    successor = UnitFactory(name="Thái Nguyên")
    legacy = UnitFactory(name="Bắc Kạn", successor=successor, is_active=False)
    legacy_district = UnitFactory(name="Huyện Ba Bể", level=UnitLevel.DISTRICT, parent=legacy)
    user = member(AgencyFactory(unit=successor), Role.LEADER)
    assert {successor.pk, legacy.pk, legacy_district.pk} <= permissions.visible_unit_ids(user)


def test_site_admin_is_unrestricted_and_strangers_see_nothing(site_admin, django_user_model):
    assert permissions.visible_unit_ids(site_admin) is None
    stranger = django_user_model.objects.create_user("stranger", password="x" * 12)
    assert permissions.visible_unit_ids(stranger) == frozenset()


def test_roles(clerk, leader, secretariat):
    assert permissions.is_clerk(clerk) and not permissions.is_clerk(leader)
    assert permissions.is_leader(leader) and permissions.is_secretariat(secretariat)
    with pytest.raises(PermissionDenied):
        permissions.ensure(permissions.is_leader(clerk))


def test_membership_is_looked_up_once_per_request_user(clerk, django_assert_num_queries):
    with django_assert_num_queries(1):
        permissions.agency_of(clerk)
        permissions.role_of(clerk)
        permissions.membership_of(clerk)
