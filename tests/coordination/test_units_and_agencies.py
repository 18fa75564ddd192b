"""Administrative units load from the official list; agencies follow the four-body rules."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from coordination import services
from coordination.models import AdministrativeUnit, AgencyKind, AuditEvent, UnitLevel
from coordination.units import units_load
from tests.factories import AgencyFactory, CommuneFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.mark.smoke
def test_load_units_creates_34_provinces_and_3321_communes_idempotently():
    created, updated = units_load()
    assert created == 34 + 3321 and updated == 0
    assert AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE).count() == 34
    assert AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE).count() == 3321
    assert units_load() == (0, 0)
    ward = AdministrativeUnit.objects.get(name="Phường Hoàn Kiếm")
    assert ward.parent.name == "Thành phố Hà Nội"


def test_load_units_repairs_a_changed_name():
    units_load()
    unit = AdministrativeUnit.objects.get(name="Thành phố Đà Nẵng")
    AdministrativeUnit.objects.filter(pk=unit.pk).update(name="Đà Nẵng cũ")
    assert units_load() == (0, 1)
    unit.refresh_from_db()
    assert unit.name == "Thành phố Đà Nẵng"


def test_national_assembly_delegation_only_at_province_level():
    commune = CommuneFactory()
    with pytest.raises(ValidationError) as error:
        services.agency_create(actor=None, unit=commune, kind=AgencyKind.DBQH, name="Đoàn ĐBQH xã")
    assert "kind" in error.value.message_dict
    agency = services.agency_create(actor=None, unit=commune.parent, kind=AgencyKind.DBQH, name="Đoàn ĐBQH tỉnh")
    assert agency.pk
    assert AuditEvent.objects.filter(object_id=str(agency.pk), action="create").exists()


def test_one_agency_of_each_kind_per_unit_but_many_departments():
    unit = UnitFactory()
    AgencyFactory(unit=unit, kind=AgencyKind.UBND)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyFactory(unit=unit, kind=AgencyKind.UBND)
    AgencyFactory(unit=unit, kind=AgencyKind.OTHER, name="Sở Y tế")
    AgencyFactory(unit=unit, kind=AgencyKind.OTHER, name="Sở Xây dựng")


def test_a_province_cannot_have_a_parent():
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitFactory(parent=UnitFactory())


def test_place_name_drops_the_division_prefix():
    assert AdministrativeUnit(name="Thành phố Đà Nẵng").place_name == "Đà Nẵng"
    assert AdministrativeUnit(name="Quận Gò Vấp").place_name == "Gò Vấp"
    assert AdministrativeUnit(name="Thanh Hóa").place_name == "Thanh Hóa"
