"""Loading the official administrative units (34 provinces, 3,321 communes) and legacy units."""

from django.db import transaction
from vietnam_provinces import Province, Ward

from .models import AdministrativeUnit, UnitLevel


def _province_code(code):
    return f"P{int(code):02d}"


def _commune_code(code):
    return f"W{int(code):05d}"


@transaction.atomic
def units_load():
    """Create or update every official unit. Idempotent; returns (created, updated)."""
    existing = {
        unit.code: unit for unit in AdministrativeUnit.objects.filter(level__in=[UnitLevel.PROVINCE, UnitLevel.COMMUNE])
    }
    created = updated = 0

    to_create, to_update = [], []
    for province in Province.iter_all():
        code = _province_code(province.code.value)
        values = {"name": province.name, "division_type": province.division_type.value, "level": UnitLevel.PROVINCE}
        unit = existing.get(code)
        if unit is None:
            to_create.append(AdministrativeUnit(code=code, **values))
        elif any(getattr(unit, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(unit, key, value)
            to_update.append(unit)
    AdministrativeUnit.objects.bulk_create(to_create)
    AdministrativeUnit.objects.bulk_update(to_update, ["name", "division_type", "level"])
    created += len(to_create)
    updated += len(to_update)

    province_ids = dict(AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE).values_list("code", "pk"))
    to_create, to_update = [], []
    for ward in Ward.iter_all():
        code = _commune_code(ward.code.value)
        values = {
            "name": ward.name,
            "division_type": ward.division_type.value,
            "level": UnitLevel.COMMUNE,
            "parent_id": province_ids[_province_code(ward.province_code.value)],
        }
        unit = existing.get(code)
        if unit is None:
            to_create.append(AdministrativeUnit(code=code, **values))
        elif any(getattr(unit, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(unit, key, value)
            to_update.append(unit)
    AdministrativeUnit.objects.bulk_create(to_create, batch_size=1000)
    AdministrativeUnit.objects.bulk_update(to_update, ["name", "division_type", "level", "parent_id"], batch_size=1000)
    created += len(to_create)
    updated += len(to_update)
    return created, updated


def province_by_name(name):
    """The current province whose name ends with `name` ("Đà Nẵng" → "Thành phố Đà Nẵng")."""
    return AdministrativeUnit.objects.get(level=UnitLevel.PROVINCE, name__endswith=name, is_active=True)
