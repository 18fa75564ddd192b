"""The supervision demo: each existing demo unit has its programmes (marked demo), the overlap, late and
overdue cases, and the Front's social criticism; none in the units dissolved on 1 July 2025; idempotent."""

import datetime

import pytest
from django.core.management import call_command

from supervision.models import Recommendation, ReportRequest, SocialCriticism, SupervisionProgramme
from supervision.selectors import overlaps_of, supervision_figures

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)


def test_demo_supervision_is_plausible_marked_and_idempotent():
    call_command("seed_demo", "--today", TODAY.isoformat(), verbosity=0)
    counts = (SupervisionProgramme.objects.count(), ReportRequest.objects.count(), SocialCriticism.objects.count())
    call_command("seed_demo", "--today", TODAY.isoformat(), verbosity=0)
    assert (
        SupervisionProgramme.objects.count(),
        ReportRequest.objects.count(),
        SocialCriticism.objects.count(),
    ) == counts
    assert counts[0] > 0 and not SupervisionProgramme.objects.filter(is_demo=False).exists()
    assert not SocialCriticism.objects.filter(is_demo=False).exists()
    # No activity after 1 July 2025 in a unit that no longer exists.
    assert not SupervisionProgramme.objects.filter(unit__dissolved_on__isnull=False).exists()
    assert not SocialCriticism.objects.filter(unit__dissolved_on__isnull=False).exists()

    danang = SupervisionProgramme.objects.filter(unit__name="Thành phố Đà Nẵng")
    land = danang.get(subject__startswith="Việc thực hiện chính sách, pháp luật về quản lý, sử dụng đất đai")
    assert [overlap.programme.supervising_agency.name for overlap in overlaps_of(land)] == [
        "Ban Kinh tế - Ngân sách HĐND thành phố Đà Nẵng"
    ]
    figures = supervision_figures(
        unit_ids=[land.unit_id], start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31), today=TODAY
    )
    assert figures["programmes_held"] == 4
    assert figures["reports_on_time"] >= 1 and figures["reports_late"] >= 1 and figures["reports_overdue"] >= 1
    assert figures["recommendations_done"] >= 1 and figures["recommendations_overdue"] >= 1
    assert figures["recommendations_open"] >= 1 and figures["social_criticisms"] == 2
    assert Recommendation.objects.filter(programme__unit=land.unit).count() == 3
