"""Factories of the voters app."""

import datetime

import factory

from coordination.text import fold
from voters.models import Petition


class PetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Petition

    originating_agency = factory.SubFactory("tests.factories.AgencyFactory")
    unit = factory.LazyAttribute(lambda o: o.originating_agency.unit)
    received_on = datetime.date(2026, 11, 10)
    content = factory.Sequence(lambda n: f"Cử tri kiến nghị sửa chữa tuyến đường liên xã số {n} bị xuống cấp")
    locality = "Phường Hải Châu"
    voter_name = "Nguyễn Văn An"
    voter_address = "12 Lê Duẩn, Hải Châu"
    voter_phone = "0905123456"
    field = "infrastructure"
    kind = "petition"
    search_text = factory.LazyAttribute(lambda o: fold(f"{o.content} {o.locality}"))
