"""The history of a record never shows a raw field name: every field of the audited models has a translated
label (its verbose name), and every key of audit changes that is not a field has a registered label."""

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

from coordination.audit import audit_field_label
from coordination.models import AuditEvent
from coordination.templatetags.ui import audit_changes

# The models the services audit (the objects of `audit_record`); their child rows are audited on them.
AUDITED = [
    "coordination.User",
    "coordination.Agency",
    "coordination.Membership",
    "charters.Charter",
    "charters.Task",
    "meetings.Meeting",
    "meetings.CalendarFeedToken",
    "reviews.AnnualReview",
    "voters.Petition",
]
# Bookkeeping the services never put in an audit entry's changes.
INTERNAL = {"id", "version", "search_text", "search_vector", "idempotency_token", "created_at", "updated_at"}


def _unlabelled_fields():
    missing = []
    for model in map(apps.get_model, AUDITED):
        for field in model._meta.get_fields():
            if field.auto_created or (not field.concrete and not field.many_to_many):
                continue
            if field.name in INTERNAL or not getattr(field, "editable", True):
                continue
            if not isinstance(field.verbose_name, Promise) and audit_field_label(field.name) is None:
                missing.append(f"{model._meta.label}.{field.name}")
    return missing


def test_every_field_of_the_audited_models_has_a_translated_label():
    assert _unlabelled_fields() == []


@pytest.mark.django_db
def test_a_change_key_that_is_not_a_field_reads_as_its_label():
    event = AuditEvent(changes={"parties": [["A"], ["B"]], "cancelled_tasks": 3, "reason": "x"})
    with translation.override("vi"):
        labels = [str(label) for label, _old, _new in audit_changes(event)]
    assert labels == ["Các bên ký kết", "Số nhiệm vụ chưa hoàn thành bị hủy", "Lý do"]
