"""The signed minutes: PDF or DOCX by content, within the size limit, stored outside the web root."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings import services

pytestmark = pytest.mark.django_db


def _zip(names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


def test_docx_is_accepted_and_stored_under_media_root(briefing, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    docx = SimpleUploadedFile("Biên bản hội nghị.docx", _zip(["[Content_Types].xml", "word/document.xml"]))
    meeting = services.meeting_record_minutes(actor=clerk, meeting=briefing, text="", file=docx)
    assert meeting.minutes_file_name.endswith(".docx")
    stored = tmp_path / meeting.minutes_file.name
    assert stored.exists() and stored.suffix == ".docx"
    assert "Biên bản" not in meeting.minutes_file.name  # stored under a random name


@pytest.mark.parametrize(
    "content",
    [
        _zip(["[Content_Types].xml", "xl/workbook.xml"]),  # a spreadsheet is not minutes
        b"PK\x03\x04 not really a zip",
        b"MZ\x90\x00 an executable",
    ],
)
def test_other_content_is_refused_whatever_the_name(briefing, clerk, settings, tmp_path, content):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError):
        services.meeting_record_minutes(
            actor=clerk, meeting=briefing, text="", file=SimpleUploadedFile("bien-ban.docx", content)
        )
    briefing.refresh_from_db()
    assert briefing.minutes_recorded_at is None


def test_file_over_the_limit_is_refused(briefing, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n" + b"0" * 2048)
    with pytest.raises(ValidationError):
        services.meeting_record_minutes(actor=clerk, meeting=briefing, text="", file=big)
