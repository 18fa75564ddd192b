"""Programmes of other bodies on the same subject or the same supervised body in an overlapping period are
warned about (on the detail page and when saved), never blocked."""

import datetime

import pytest
from django.urls import reverse

from supervision.models import ProgrammeStatus, SupervisionProgramme
from supervision.selectors import overlaps_of
from tests.factories import AgencyFactory, CommuneFactory, DepartmentFactory
from tests.supervision.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_same_subject_folded_and_contained_overlaps(agencies):
    council = ProgrammeFactory(
        supervising_agency=agencies.hdnd, subject="Việc thực hiện chính sách, pháp luật về quản lý, sử dụng đất đai"
    )
    front = ProgrammeFactory(
        supervising_agency=agencies.mttq,
        subject="QUẢN LÝ, SỬ DỤNG ĐẤT ĐAI",
        period_start=D(2026, 5, 1),
        period_end=D(2026, 7, 1),
    )
    [overlap] = overlaps_of(council)
    assert overlap.programme == front and overlap.same_subject and not overlap.shared_agencies
    assert [o.programme for o in overlaps_of(front)] == [council]


def test_same_supervised_body_overlaps_whatever_the_subject(agencies):
    council = ProgrammeFactory(supervising_agency=agencies.hdnd, supervised_agencies=[agencies.department])
    delegation = ProgrammeFactory(
        supervising_agency=agencies.dbqh, subject="Bảo hiểm y tế", supervised_agencies=[agencies.department]
    )
    [overlap] = overlaps_of(council)
    assert overlap.programme == delegation and overlap.shared_agencies == [agencies.department]
    assert not overlap.same_subject


def test_no_warning_for_other_periods_the_same_body_cancelled_or_other_provinces(agencies, other_agency):
    council = ProgrammeFactory(supervising_agency=agencies.hdnd, subject="Đất đai", supervised_agencies=[agencies.ubnd])
    ProgrammeFactory(
        supervising_agency=agencies.mttq, subject="Đất đai", period_start=D(2026, 6, 1), period_end=D(2026, 8, 1)
    )
    ProgrammeFactory(supervising_agency=agencies.hdnd, subject="Đất đai")  # its own body plans both
    ProgrammeFactory(supervising_agency=agencies.dbqh, subject="Đất đai", status=ProgrammeStatus.CANCELLED)
    ProgrammeFactory(supervising_agency=other_agency, subject="Đất đai")
    assert overlaps_of(council) == []


def test_a_commune_programme_overlaps_the_province_one(agencies):
    commune = CommuneFactory(parent=agencies.hdnd.unit)
    commune_front = AgencyFactory(unit=commune, kind="MTTQ", name="Ủy ban MTTQ xã")
    council = ProgrammeFactory(supervising_agency=agencies.hdnd, subject="Xây dựng nông thôn mới")
    local = ProgrammeFactory(supervising_agency=commune_front, subject="xay dung nong thon moi")
    assert [o.programme for o in overlaps_of(council)] == [local]


def test_saving_an_overlapping_programme_warns_but_saves(login, clerk, agencies):
    ProgrammeFactory(
        supervising_agency=agencies.mttq,
        subject="Việc giải quyết khiếu nại, tố cáo",
        period_start=D(2026, 3, 1),
        period_end=D(2026, 4, 30),
    )
    committee = DepartmentFactory(unit=agencies.hdnd.unit, name="Ban Pháp chế HĐND")
    client = login(clerk)
    response = client.post(
        reverse("supervision:create"),
        {
            "supervising_agency": committee.pk,
            "subject": "Giải quyết khiếu nại, tố cáo",
            "period_start": "15/04/2026",
            "period_end": "15/05/2026",
            "status": "planned",
        },
        follow=True,
    )
    assert response.status_code == 200
    programme = SupervisionProgramme.objects.get(supervising_agency=committee)
    assert response.redirect_chain[-1][0] == reverse("supervision:detail", args=[programme.pk])
    text = response.content.decode()
    assert 'id="overlaps"' in text and "Việc giải quyết khiếu nại, tố cáo" in text
    assert "alert-warning" in text
