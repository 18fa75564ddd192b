"""Checks on uploaded answer attachments: size and type, the type judged by the content."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED_EXTENSIONS = {".pdf", ".docx", ".jpg", ".jpeg", ".png"}


def _sniff(head, upload):
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return None


def attachment_check(upload):
    """The content type of `upload` if it is an allowed PDF, DOCX, JPEG or PNG within the size limit;
    otherwise a ValidationError. The name's extension must agree with the content."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s MB.") % {"name": upload.name, "limit": limit // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(16)
    content_type = _sniff(head, upload)
    upload.seek(0)
    name = upload.name.lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    expected = {
        "application/pdf": {".pdf"},
        "image/jpeg": {".jpg", ".jpeg"},
        "image/png": {".png"},
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    }
    if content_type is None or extension not in expected[content_type]:
        raise ValidationError(
            _("%(name)s is not an accepted file: attach PDF, DOCX, JPEG or PNG files.") % {"name": upload.name}
        )
    return content_type
