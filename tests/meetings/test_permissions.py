"""Host and participating agencies' clerks edit; others of the unit read; other units 404; anonymous → login."""

import pytest

from coordination.models import Role
from tests.factories import member

pytestmark = pytest.mark.django_db


def _urls(meeting):
    return {
        "detail": f"/meetings/{meeting.pk}/",
        "edit": f"/meetings/{meeting.pk}/edit/",
        "minutes": f"/meetings/{meeting.pk}/minutes/",
    }


@pytest.mark.smoke
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("clerk", {"detail": 200, "edit": 200, "minutes": 200}),  # host agency's clerk
        ("secretariat", {"detail": 200, "edit": 200, "minutes": 200}),  # host's secretariat writes minutes
        ("ubnd_clerk", {"detail": 200, "edit": 200, "minutes": 200}),  # participating agency's clerk
        ("leader", {"detail": 200, "edit": 403, "minutes": 403}),  # leaders read
        ("mttq_clerk", {"detail": 200, "edit": 403, "minutes": 403}),  # same unit, not taking part: reads
        ("outsider", {"detail": 404, "edit": 404, "minutes": 404}),  # another unit
        ("site_admin", {"detail": 200, "edit": 200, "minutes": 200}),
    ],
)
def test_meeting_pages_by_role(request, briefing, login, who, expected):
    client = login(request.getfixturevalue(who))
    for name, url in _urls(briefing).items():
        assert client.get(url).status_code == expected[name], (who, name)


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("clerk", 302),
        ("ubnd_clerk", 302),
        ("leader", 403),
        ("mttq_clerk", 403),
        ("outsider", 404),
    ],
)
def test_every_write_by_role(request, session, agencies, login, who, expected):
    """Every POST endpoint of a meeting answers the same way for a role: done, forbidden, or not found."""
    import datetime

    from meetings import services
    from meetings.models import Conclusion, SessionDocument
    from tests.meetings.factories import SessionDocumentFactory

    editor = request.getfixturevalue("clerk")
    document = SessionDocumentFactory(meeting=session, due_date=datetime.date(2026, 11, 18))
    conclusion = services.conclusion_add(
        actor=editor,
        meeting=session,
        text="Rà soát hồ sơ.",
        responsible_agency=agencies.ubnd,
        due_date=datetime.date(2026, 12, 20),
    )
    client = login(request.getfixturevalue(who))
    posts = {
        f"/meetings/{session.pk}/conclusions/": {"conclusion-text": "Kết luận mới"},
        f"/meetings/{session.pk}/conclusions/{conclusion.pk}/task/": {},
        f"/meetings/{session.pk}/documents/": {
            "document-kind": "report",
            "document-title": "Báo cáo thẩm tra",
            "document-responsible_agency": agencies.hdnd.pk,
        },
        f"/meetings/{session.pk}/documents/{document.pk}/delivered/": {"delivered_on": "2026-11-17"},
        f"/meetings/{session.pk}/minutes/": {
            "minutes_text": "Biên bản.",
            "conclusions-TOTAL_FORMS": "0",
            "conclusions-INITIAL_FORMS": "0",
        },
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == expected, (who, url)
    changed = Conclusion.objects.count() > 1 or SessionDocument.objects.count() > 1
    assert changed == (expected == 302)


def test_anonymous_is_sent_to_login(briefing, client):
    for url in [*_urls(briefing).values(), "/meetings/", "/meetings/calendar/", "/meetings/new/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response["Location"]


def test_leader_cannot_create(leader, login):
    assert login(leader).get("/meetings/new/").status_code == 403


def test_outsider_cannot_post_to_another_units_meeting(briefing, outsider, login):
    client = login(outsider)
    response = client.post(f"/meetings/{briefing.pk}/conclusions/", {"conclusion-text": "Không được phép"})
    assert response.status_code == 404
    assert not briefing.conclusions.exists()


def test_list_shows_only_visible_units(briefing, outsider, clerk, login, other_agency):
    from tests.meetings.factories import MeetingFactory

    theirs = MeetingFactory(host_agency=other_agency)
    listed = {m.pk for m in login(clerk).get("/meetings/").context["meetings"]}
    assert briefing.pk in listed and theirs.pk not in listed


def test_minutes_file_download_is_permission_checked(briefing, clerk, outsider, login, client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meetings import services

    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("Biên bản ký.pdf", b"%PDF-1.4\n% minutes\n%%EOF\n", content_type="application/pdf")
    services.meeting_record_minutes(actor=clerk, meeting=briefing, text="", file=pdf)
    response = login(clerk).get(f"/meetings/{briefing.pk}/minutes/file/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.logout()
    assert login(outsider).get(f"/meetings/{briefing.pk}/minutes/file/").status_code == 404


def test_minutes_upload_checks_content(briefing, clerk, login, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("bien-ban.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    response = login(clerk).post(
        f"/meetings/{briefing.pk}/minutes/",
        {"minutes_text": "", "minutes_file": fake, "conclusions-TOTAL_FORMS": "0", "conclusions-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200
    briefing.refresh_from_db()
    assert not briefing.minutes_file
    assert briefing.minutes_recorded_at is None


def test_member_of_a_commune_cannot_edit_province_meeting(briefing, agencies, login):
    from tests.factories import AgencyFactory, CommuneFactory

    commune = CommuneFactory(parent=agencies.hdnd.unit)
    commune_clerk = member(AgencyFactory(unit=commune, kind="HDND"), Role.CLERK, username="commune_clerk")
    assert login(commune_clerk).get(f"/meetings/{briefing.pk}/").status_code == 404
