"""Factories of the supervision app (rows written directly; the services are tested through their own calls)."""

import datetime

import factory

from supervision.models import Recommendation, ReportRequest, SocialCriticism, SupervisionProgramme
from supervision.selectors import subject_key
from tests.factories import AgencyFactory


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionProgramme
        skip_postgeneration_save = True

    supervising_agency = factory.SubFactory(AgencyFactory)
    unit = factory.LazyAttribute(lambda o: o.supervising_agency.unit)
    subject = factory.Sequence(lambda n: f"Chuyên đề giám sát số {n}")
    subject_key = factory.LazyAttribute(lambda o: subject_key(o.subject))
    period_start = datetime.date(2026, 3, 1)
    period_end = datetime.date(2026, 5, 31)

    @factory.post_generation
    def supervised_agencies(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.supervised_agencies.set(extracted)


class ReportRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportRequest

    programme = factory.SubFactory(ProgrammeFactory)
    agency = factory.SubFactory(AgencyFactory)
    requested_on = datetime.date(2026, 3, 1)
    due_date = datetime.date(2026, 3, 20)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    programme = factory.SubFactory(ProgrammeFactory)
    text = factory.Sequence(lambda n: f"Kiến nghị số {n}")
    responsible_agency = factory.SubFactory(AgencyFactory)
    due_date = datetime.date(2026, 9, 30)


class CriticismFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialCriticism

    agency = factory.SubFactory(AgencyFactory)
    unit = factory.LazyAttribute(lambda o: o.agency.unit)
    subject = factory.Sequence(lambda n: f"Dự thảo Nghị quyết số {n}")
    held_on = datetime.date(2026, 4, 10)
