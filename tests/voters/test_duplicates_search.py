"""Duplicate suggestions and groups; search without diacritics; list filters."""

import datetime
import re

import pytest

from voters import services
from voters.models import Petition, Status
from voters.selectors import similar_petitions

from .factories import PetitionFactory

pytestmark = pytest.mark.django_db

ROAD = "Cử tri kiến nghị sớm sửa chữa tuyến đường Nguyễn Tất Thành bị xuống cấp, nhiều ổ gà gây mất an toàn"


@pytest.mark.smoke
def test_similar_petitions_are_suggested_ignoring_accents(agencies):
    same = PetitionFactory(originating_agency=agencies.hdnd, content=ROAD)
    PetitionFactory(originating_agency=agencies.hdnd, content="Cử tri đề nghị tăng mức trợ cấp cho người cao tuổi")
    typed = "cu tri kien nghi som sua chua tuyen duong Nguyen Tat Thanh xuong cap, o ga mat an toan"
    rows = similar_petitions(unit=agencies.hdnd.unit, text=typed)
    assert [row.pk for row, _score in rows] == [same.pk]


def test_similar_endpoint_renders_suggestions(agencies, clerk, login):
    PetitionFactory(originating_agency=agencies.hdnd, content=ROAD)
    response = login(clerk).get("/petitions/similar/", {"content": ROAD.replace("Cử tri", "Nhiều cử tri")})
    assert response.status_code == 200
    assert "Nguyễn Tất Thành" in response.content.decode()


def test_group_then_primary_answer_answers_the_group(agencies, clerk, department_clerk, reference_data):
    primary = PetitionFactory(originating_agency=agencies.hdnd, content=ROAD)
    copies = [PetitionFactory(originating_agency=agencies.hdnd, content=ROAD + f" ({i})") for i in range(2)]
    services.petition_group_duplicates(actor=clerk, primary=primary, members=copies)
    assert set(primary.duplicates.all()) == set(copies)
    services.petition_forward(
        actor=clerk, petition=primary, agency=agencies.department, dispatch_date=datetime.date(2026, 11, 16)
    )
    for copy in copies:
        copy.refresh_from_db()
        assert copy.status == Status.FORWARDED and copy.lead_agency == agencies.department
    primary.refresh_from_db()
    services.petition_answer(
        actor=department_clerk,
        petition=primary,
        version=primary.version,
        text="Đã lập kế hoạch sửa chữa",
        document_date=datetime.date(2026, 11, 25),
        outcome="resolved",
    )
    for copy in copies:
        copy.refresh_from_db()
        assert copy.status == Status.ANSWERED and copy.outcome == "resolved"
    # The statistics can count both items and groups.
    assert Petition.objects.filter(status=Status.ANSWERED).count() == 3
    assert Petition.objects.filter(status=Status.ANSWERED).group_primaries().count() == 1


def test_grouped_member_cannot_be_forwarded_or_answered_alone(agencies, clerk, login):
    primary = PetitionFactory(originating_agency=agencies.hdnd, content=ROAD)
    member = PetitionFactory(originating_agency=agencies.hdnd, content=ROAD)
    services.petition_group_duplicates(actor=clerk, primary=primary, members=[member])
    assert login(clerk).get(f"/petitions/{member.pk}/forward/").status_code == 403


def test_group_page_groups_by_reference(agencies, clerk, login):
    primary = PetitionFactory(originating_agency=agencies.hdnd, content=ROAD)
    other = PetitionFactory(originating_agency=agencies.hdnd, content="Nội dung khác hẳn")
    client = login(clerk)
    assert client.get(f"/petitions/{primary.pk}/group/").status_code == 200
    response = client.post(f"/petitions/{primary.pk}/group/", {"references": other.reference})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.primary == primary
    assert client.post(f"/petitions/{other.pk}/ungroup/").status_code == 302
    other.refresh_from_db()
    assert other.primary is None


def test_cannot_group_across_units(agencies, other_agency, clerk):
    from django.core.exceptions import ValidationError

    primary = PetitionFactory(originating_agency=agencies.hdnd, content=ROAD)
    foreign = PetitionFactory(originating_agency=other_agency, content=ROAD)
    with pytest.raises(ValidationError):
        services.petition_group_duplicates(actor=clerk, primary=primary, members=[foreign])


def _unmarked(response):
    """The page without the <mark> tags that highlight the searched words."""
    return re.sub(r"</?mark>", "", response.content.decode())


@pytest.mark.smoke
def test_search_ignores_diacritics(agencies, clerk, login):
    services.petition_create(
        actor=clerk, received_on=datetime.date(2026, 11, 10), content="Ý kiến của cử tri về đường giao thông nông thôn"
    )
    services.petition_create(actor=clerk, received_on=datetime.date(2026, 11, 10), content="Thiếu giáo viên")
    client = login(clerk)
    for query in ("cu tri", "CỬ TRI", "duong giao thong", "đường giao"):
        body = _unmarked(client.get("/petitions/", {"q": query}))
        assert "đường giao thông nông thôn" in body, query
        assert "Thiếu giáo viên" not in body, query


@pytest.mark.smoke
def test_search_normalises_unicode_full_width_and_decomposed_input(agencies, clerk, login):
    # Stored with decomposed accents and full-width letters; searched with the other forms.
    services.petition_create(
        actor=clerk, received_on=datetime.date(2026, 11, 10), content="Ｔｉｅ\u0302\u0301p xúc cử tri ở xã Hòa Vang"
    )
    services.petition_create(actor=clerk, received_on=datetime.date(2026, 11, 10), content="Thiếu giáo viên")
    client = login(clerk)
    for query in ("ｔｉｅｐ", "tie\u0302\u0301p", "tiếp", "TIẾP XÚC", "ｔｉếｐ ｘúｃ"):
        body = _unmarked(client.get("/petitions/", {"q": query}))
        assert "p xúc cử tri ở xã Hòa Vang" in body, query
        assert "Thiếu giáo viên" not in body, query


def test_search_by_reference(agencies, clerk, login):
    petition = services.petition_create(actor=clerk, received_on=datetime.date(2026, 11, 10), content="Nội dung")
    body = login(clerk).get("/petitions/", {"q": petition.reference}).content.decode()
    assert f"/petitions/{petition.pk}/" in body


def test_filters_overdue_due_soon_status_field_agency_meeting_dates(forwarded, agencies, clerk, login, reference_data):
    from django.utils import timezone

    from tests.meetings.factories import MeetingFactory

    today = timezone.localdate()
    meeting = MeetingFactory(host_agency=agencies.hdnd, kind="voter_contact_after")
    late = PetitionFactory(
        originating_agency=agencies.hdnd,
        status="forwarded",
        lead_agency=agencies.ubnd,
        due_date=today - datetime.timedelta(days=2),
        content="Quá hạn rồi",
        meeting=meeting,
    )
    soon = PetitionFactory(
        originating_agency=agencies.hdnd,
        status="forwarded",
        lead_agency=agencies.ubnd,
        due_date=today + datetime.timedelta(days=3),
        content="Sắp đến hạn",
        received_on=datetime.date(2026, 9, 1),
        field="health",
    )
    client = login(clerk)

    def refs(**params):
        page = client.get("/petitions/", params).context["page"]
        return {petition.pk for petition in page.object_list}

    assert late.pk in refs(overdue="on") and soon.pk not in refs(overdue="on")
    assert soon.pk in refs(due_soon="on") and late.pk not in refs(due_soon="on")
    assert refs(field="health") == {soon.pk}
    assert refs(agency=agencies.ubnd.pk) == {late.pk, soon.pk}
    assert refs(meeting=meeting.pk) == {late.pk}
    assert refs(received_to="2026-09-30") == {soon.pk}
    assert forwarded.pk in refs(status="forwarded")
    assert refs(status="closed") == set()
    assert client.get("/petitions/", {"sort": "due"}).status_code == 200


def test_dashboard_measure_drill_down_is_shown(forwarded, clerk, login, agencies):
    body = login(clerk).get("/petitions/", {"measure": "forwarded", "lead_agency": agencies.department.pk})
    text = body.content.decode()
    assert forwarded.reference in text
    assert 'name="measure" value="forwarded"' in text
