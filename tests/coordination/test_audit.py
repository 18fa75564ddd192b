"""The audit log: written inside the service's transaction, append-only, shown as a timeline."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from coordination import services
from coordination.audit import audit_events_for, audit_record
from coordination.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_service_writes_an_audit_event_with_changed_values(clerk):
    services.user_profile_update(actor=clerk, user=clerk, position="Chuyên viên chính", language="en")
    event = audit_events_for(clerk).first()
    assert event.action == "profile_update"
    assert event.actor == clerk
    assert event.changes["position"] == ["", "Chuyên viên chính"]
    assert event.changes["language"] == ["vi", "en"]


def test_a_failed_write_leaves_no_audit_event(clerk):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.user_profile_update(actor=clerk, user=clerk, email="not an email")
    assert AuditEvent.objects.count() == before


def test_audit_record_refuses_to_run_outside_a_transaction(clerk):
    with pytest.raises(RuntimeError):
        # pytest-django wraps tests in a transaction; leave it for this check.
        connection.in_atomic_block = False
        try:
            audit_record(actor=clerk, obj=clerk, action="x")
        finally:
            connection.in_atomic_block = True


def test_audit_events_cannot_be_changed_through_the_orm(clerk):
    with transaction.atomic():
        event = audit_record(actor=clerk, obj=clerk, action="test")
    event.summary = "changed"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_trigger_refuses_update_and_delete(clerk):
    with transaction.atomic():
        event = audit_record(actor=clerk, obj=clerk, action="test")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.summary == ""


def test_timeline_loads_actors_in_one_query(clerk, django_assert_num_queries):
    with transaction.atomic():
        for number in range(5):
            audit_record(actor=clerk, obj=clerk, action=f"step{number}")
    events = audit_events_for(clerk)
    with django_assert_num_queries(1):
        names = [event.actor.display_name for event in events]
    assert len(names) == 5


def test_audit_labels_are_registered_by_each_app_through_the_audit_module():
    from django.utils import translation

    from coordination.audit import audit_action_label, audit_labels_register
    from coordination.templatetags.ui import action_label

    with translation.override("en"):
        # The core's own, and one code from each app's ready() (charters, meetings, voters).
        assert str(audit_action_label("forward")) == "Forwarded"
        assert str(audit_action_label("tasks_generate")) == "Work programme generated"
        assert str(audit_action_label("minutes_record")) == "Minutes recorded"
        assert str(audit_action_label("acknowledge")) == "Receipt acknowledged"
        # An unknown code is shown readably; the template filter answers the same.
        assert audit_action_label("some_new_action") == "Some new action"
        assert str(action_label("minutes_record")) == "Minutes recorded"
        # A code already labelled keeps its first label.
        audit_labels_register({"forward": "Something else"})
        assert str(audit_action_label("forward")) == "Forwarded"
