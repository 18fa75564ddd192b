"""The import's batch path (voters.batch) writes what `petition_create` + `_forward` wrote row by row: same
petitions, forwardings, deadlines, search text and audit entries; its query count does not grow with the rows."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from coordination.models import AuditEvent, DeadlineRule
from coordination.text import fold
from voters import batch, importing, services
from voters.models import Forwarding, Petition, PetitionImport

pytestmark = pytest.mark.django_db

HEADERS = [header for _key, header, _required in importing.COLUMNS]
# batch_key: the bulk path groups each agency's forwardings under one key (its one handoff notification);
# the row-by-row path notifies per petition and leaves it empty.
IGNORED = {"id", "created_at", "updated_at", "batch_key", "receipt_code_hash"}  # the hash: a random code each


def _xlsx(rows, *, trailing_blank_rows=0, name="kien-nghi.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    for _index in range(trailing_blank_rows):  # ignored by the parser, but other bytes: another file
        sheet.append([None] * len(HEADERS))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def _rows(count, agencies):
    """A mix: forwarded to the department or to the UBND (by name or short form), not forwarded, several
    dates received, optional columns blank or filled, with and without personal data."""
    today = timezone.localdate()
    targets = ["", agencies.department.name, "", agencies.ubnd.name.upper(), ""]
    rows = []
    for index in range(count):
        personal = index % 3 != 0
        rows.append(
            [
                today - datetime.timedelta(days=index % 9),
                ["Tiếp xúc cử tri", "Đơn thư", "", "Tiếp công dân"][index % 4],
                f"  Nguyễn Văn {index}  " if personal else "",
                f"Tổ {index % 7}, Hải Châu" if personal else "",
                "0905 123 456" if index % 2 else "",
                f"Phường   Hải Châu {index % 5}" if index % 4 else "",
                f"Cử tri đề nghị sửa chữa đường kiệt {index}, ngập nước khi mưa lớn. ĐƯỜNG XUỐNG CẤP",
                ["Hạ tầng, giao thông", "", "Đất đai", "y te"][index % 4],
                ["Kiến nghị", "Ý kiến", ""][index % 3],
                ["", "Tỉnh", "Xã", "Trung ương"][index % 4],
                targets[index % len(targets)],
            ]
        )
    return rows


def _row_by_row(*, actor, originating_agency, rows):
    """The import's write loop before the batch path (kept here as the reference it must match)."""
    created = []
    for row in rows:
        row = dict(row)
        forward_to = row.pop("forward_to", None)
        petition = services.petition_create(actor=actor, originating_agency=originating_agency, **row)
        if forward_to is not None:
            petition.refresh_from_db()
            services._forward(
                actor=actor,
                petition=petition,
                agency=forward_to,
                supporting_agencies=(),
                dispatch_number="",
                dispatch_date=max(petition.received_on, timezone.localdate()),
                due_date=None,
                version=petition.version,
                action="forward",
            )
        created.append(petition)
    return created


def _without_reference(text, petition):
    return text.replace(petition.reference, "KN-<id>").replace(fold(petition.reference), "kn-<id>")


def _stored(petitions):
    """Everything stored for `petitions` (in order), with ids, references and timestamps taken out."""
    petition_type = ContentType.objects.get_for_model(Petition)
    ids = [petition.pk for petition in petitions]
    position = {str(pk): index for index, pk in enumerate(ids)}
    stored = []
    for petition in Petition.objects.filter(pk__in=ids).order_by("id"):
        assert petition.search_text == services.search_text_for(petition)
        assert fold(petition.reference) in petition.search_text
        values = {
            field.attname: getattr(petition, field.attname)
            for field in Petition._meta.concrete_fields
            if field.attname not in IGNORED
        }
        values["search_text"] = _without_reference(values["search_text"], petition)
        forwardings = [
            {
                **{
                    field.attname: getattr(forwarding, field.attname)
                    for field in Forwarding._meta.concrete_fields
                    if field.attname not in IGNORED | {"petition_id"}
                },
                "supporting": sorted(forwarding.supporting_agencies.values_list("id", flat=True)),
            }
            for forwarding in petition.forwardings.order_by("id")
        ]
        stored.append({"petition": values, "forwardings": forwardings})
    events = []
    for event in AuditEvent.objects.filter(content_type=petition_type, object_id__in=position).order_by("id"):
        petition = petitions[position[event.object_id]]
        events.append(
            {
                "petition": position[event.object_id],  # their order across petitions too
                "actor": event.actor_id,
                "object_repr": _without_reference(event.object_repr, petition),
                "action": event.action,
                "summary": event.summary,
                "changes": event.changes,
                "unit": event.unit_id,
            }
        )
    return stored, events


def _import_event(record):
    event = AuditEvent.objects.get(content_type=ContentType.objects.get_for_model(PetitionImport), object_id=record.pk)
    changes = {**event.changes, "sha256": "<the file's>"}  # the two files differ by a blank row
    return (event.actor_id, event.action, event.summary, changes, event.unit_id, event.object_repr)


@pytest.mark.smoke
def test_batch_import_stores_what_the_row_by_row_import_stored(clerk, agencies, reference_data, monkeypatch):
    rows = _rows(23, agencies)

    monkeypatch.setattr(batch, "petitions_create_many", _row_by_row)
    reference = services.petition_import_xlsx(actor=clerk, upload=_xlsx(rows, name="a.xlsx"))
    monkeypatch.undo()
    assert reference.ok, reference.errors
    # The same rows in another file (a trailing blank row: other bytes, same petitions), in small chunks.
    monkeypatch.setattr(batch, "CHUNK", 5)
    imported = services.petition_import_xlsx(actor=clerk, upload=_xlsx(rows, trailing_blank_rows=1, name="a.xlsx"))
    assert imported.ok, imported.errors

    assert len(imported.created) == len(reference.created) == 23
    assert all(petition.pk for petition in imported.created)
    expected_stored, expected_events = _stored(reference.created)
    stored, events = _stored(imported.created)
    assert stored == expected_stored
    assert events == expected_events
    # The data really covers both kinds of rows, with the engine's due date (30 working days).
    forwarded = [item for item in stored if item["forwardings"]]
    assert 0 < len(forwarded) < len(stored)
    assert {item["petition"]["version"] for item in forwarded} == {2}
    assert {item["petition"]["status"] for item in forwarded} == {"forwarded"}
    assert forwarded[0]["petition"]["due_date"] > timezone.localdate() + datetime.timedelta(days=30)
    assert [event["action"] for event in events].count("forward") == len(forwarded)

    first, second = PetitionImport.objects.order_by("id")
    assert (first.row_count, second.row_count) == (23, 23)
    assert _import_event(first) == _import_event(second)


def test_forwarding_to_the_receiving_office_fails_as_row_by_row(clerk, agencies, reference_data):
    rows = _rows(4, agencies)
    rows[2][-1] = agencies.hdnd.name
    with pytest.raises(ValidationError) as raised:
        services.petition_import_xlsx(actor=clerk, upload=_xlsx(rows))
    assert "agency" in raised.value.message_dict
    assert not Petition.objects.exists() and not PetitionImport.objects.exists()


def test_no_deadline_rule_fails_as_row_by_row(clerk, agencies, reference_data):
    DeadlineRule.objects.filter(code=services.DEADLINE_RULE).delete()
    with pytest.raises(ValidationError) as raised:
        services.petition_import_xlsx(actor=clerk, upload=_xlsx(_rows(3, agencies)))
    assert "due_date" in raised.value.message_dict
    assert not Petition.objects.exists() and not AuditEvent.objects.filter(action="create").exists()


def _import_queries(clerk, agencies, count):
    upload = _xlsx(_rows(count, agencies), name=f"{count}.xlsx")
    with CaptureQueriesContext(connection) as context:
        report = services.petition_import_xlsx(actor=clerk, upload=upload)
    assert report.ok and len(report.created) == count
    return len(context.captured_queries)


def test_import_queries_do_not_grow_with_the_rows(clerk, agencies, reference_data):
    _import_queries(clerk, agencies, 1)  # warms the content-type cache
    assert _import_queries(clerk, agencies, 10) == _import_queries(clerk, agencies, 200)


def test_import_queries_grow_only_per_chunk(clerk, agencies, reference_data, monkeypatch):
    monkeypatch.setattr(batch, "CHUNK", 50)
    _import_queries(clerk, agencies, 1)  # warms the content-type cache
    hundred = _import_queries(clerk, agencies, 100)
    two_hundred = _import_queries(clerk, agencies, 200)
    # Per chunk: petitions (and their ids or search text), forwardings, audit events.
    assert two_hundred - hundred == 2 * 4


def test_a_file_of_ten_thousand_rows_is_within_the_limits():
    assert importing.MAX_ROWS >= 10_000
