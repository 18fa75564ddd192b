"""Factories of the meetings app."""

import datetime

import factory
from django.utils import timezone

from meetings.models import Meeting, MeetingKind, SessionDocument
from tests.factories import AgencyFactory


def local_datetime(year, month, day, hour=8, minute=0):
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Hội nghị giao ban số {n}")
    kind = MeetingKind.JOINT_BRIEFING
    host_agency = factory.SubFactory(AgencyFactory)
    unit = factory.LazyAttribute(lambda o: o.host_agency.unit)
    starts_at = factory.LazyFunction(lambda: local_datetime(2026, 11, 16, 8))
    place = "Hội trường UBND"

    @factory.post_generation
    def participating_agencies(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.participating_agencies.set(extracted)


class CouncilSessionFactory(MeetingFactory):
    title = factory.Sequence(lambda n: f"Kỳ họp thứ {n} HĐND")
    kind = MeetingKind.COUNCIL_SESSION
    subkind = "regular"
    starts_at = factory.LazyFunction(lambda: local_datetime(2026, 12, 8, 8))


class SessionDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionDocument

    meeting = factory.SubFactory(CouncilSessionFactory)
    kind = "submission"
    title = factory.Sequence(lambda n: f"Tờ trình số {n}")
    responsible_agency = factory.LazyAttribute(lambda o: o.meeting.host_agency)
    due_date = datetime.date(2026, 11, 18)
