"""factory_boy factories of the shared core. Each app keeps its own in tests/<app>/factories.py."""

from datetime import date

import factory

from coordination.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    CoordinationArea,
    DeadlineRule,
    Membership,
    Role,
    Term,
    UnitLevel,
    User,
)

PASSWORD = "test-password-123"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    division_type = "tỉnh"
    level = UnitLevel.PROVINCE


class CommuneFactory(UnitFactory):
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    division_type = "xã"
    level = UnitLevel.COMMUNE
    parent = factory.SubFactory(UnitFactory)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    unit = factory.SubFactory(UnitFactory)
    kind = AgencyKind.HDND
    name = factory.LazyAttribute(lambda o: f"{o.kind} {o.unit.name}")
    short_name = factory.LazyAttribute(lambda o: o.kind)


class DepartmentFactory(AgencyFactory):
    kind = AgencyKind.OTHER
    name = factory.Sequence(lambda n: f"Sở Thử Nghiệm {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Văn"
    last_name = "Nguyễn"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.CLERK


def member(agency, role=Role.CLERK, **user_fields):
    """A user who is a member of `agency` with `role`."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, agency=agency, role=role)
    return user


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ["name"]

    name = "2021–2026"
    start_year = 2021
    end_year = 2026
    start_date = date(2021, 7, 1)
    end_date = date(2026, 6, 30)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoordinationArea
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực {n}")


class DeadlineRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeadlineRule

    code = factory.Sequence(lambda n: f"rule-{n}")
    name = "Quy tắc thử"
    amount = 10
    day_type = "working"
    anchor = "received"
    direction = "after"
    effective_from = date(2017, 1, 1)
