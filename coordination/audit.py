"""Writing and reading the audit log. Services call `audit_record` inside their transaction."""

import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .cache import figures_changed
from .models import AuditEvent

# Labels of the audit action codes, shown on the timelines: the generic ones here, each app's own codes
# registered by the app (`audit_labels_register`, called from its AppConfig.ready()).
_ACTION_LABELS = {
    "create": _("Created"),
    "update": _("Updated"),
    "delete": _("Deleted"),
    "profile_update": _("Profile updated"),
    "membership_set": _("Membership set"),
    "password_change": _("Password changed"),
    "sign": _("Signed"),
    "forward": _("Forwarded"),
    "reforward": _("Forwarded again"),
    "answer": _("Answered"),
    "close": _("Closed"),
    "reopen": _("Reopened"),
    "reanswer": _("Re-answer requested"),
    "return": _("Returned"),
    "classify": _("Classified"),
    "cancel": _("Cancelled"),
    "complete": _("Completed"),
    "status_change": _("Status changed"),
    "attach": _("File attached"),
    "merge": _("Merged"),
}


def audit_labels_register(labels):
    """Add readable labels for the audit action codes an app's services write ({code: label}). Called from
    the app's AppConfig.ready(); a code already labelled keeps its first label."""
    for code, label in labels.items():
        _ACTION_LABELS.setdefault(code, label)


# Labels of the keys of audit `changes` that are not a model field of the audited object (a field is labelled by its
# verbose name): lists and counts the services add ("parties", "articles"…). Apps add theirs with
# `audit_field_labels_register`; the history never shows a raw key (tests/coordination/test_audit_labels.py).
_FIELD_LABELS = {
    "parties": pgettext_lazy("audit field", "Parties"),
    "articles": pgettext_lazy("audit field", "Articles"),
    "witnesses": pgettext_lazy("audit field", "Witnesses"),
    "areas": pgettext_lazy("audit field", "Coordination areas"),
    "agenda": pgettext_lazy("audit field", "Agenda"),
    "attendance": pgettext_lazy("audit field", "Attendance"),
    "documents_due_date": pgettext_lazy("audit field", "Due dates of the session documents"),
    "participating_agencies": pgettext_lazy("audit field", "Participating agencies"),
    "supporting_agencies": pgettext_lazy("audit field", "Supporting agencies"),
    "agency": pgettext_lazy("audit field", "Agency"),
    "role": pgettext_lazy("audit field", "Role"),
    "status": pgettext_lazy("audit field", "Status"),
    "count": pgettext_lazy("audit field", "Number"),
    "year": pgettext_lazy("audit field", "Year"),
    "tasks": pgettext_lazy("audit field", "Tasks"),
    "created_by": pgettext_lazy("audit field", "Entered by"),
    "obligation": pgettext_lazy("audit field", "Duty of the charter"),
    "period_key": pgettext_lazy("audit field", "Period"),
    "user": pgettext_lazy("audit field", "User"),
    "token": pgettext_lazy("audit field", "Calendar link"),
}


def audit_field_labels_register(labels):
    """Add readable labels for the keys of audit changes that are not model fields ({key: label}); called from
    the app's AppConfig.ready(). A key already labelled keeps its first label."""
    for key, label in labels.items():
        _FIELD_LABELS.setdefault(key, label)


def audit_field_label(key):
    """The registered label of a key of audit changes, or None."""
    return _FIELD_LABELS.get(key)


def audit_action_label(code):
    """The readable, translated label of an audit action code; an unregistered code in a readable form."""
    label = _ACTION_LABELS.get(code)
    return label if label is not None else str(code).replace("_", " ").capitalize()


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def snapshot(instance, fields):
    """The current values of `fields` on `instance`, for a before/after diff."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before, after):
    """{field: [old, new]} for the values that changed."""
    return {name: [before.get(name), after.get(name)] for name in after if before.get(name) != after.get(name)}


def _unit_of(obj):
    for attribute in ("unit", "agency"):
        related = getattr(obj, attribute, None)
        if related is None:
            continue
        if attribute == "agency":
            return related.unit
        return related
    return None


def audit_event(*, actor, obj, action, changes=None, summary=""):
    """The (unsaved) audit event `audit_record` writes; `audit_record_many` writes a list of them at once."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    unit = _unit_of(obj)
    return AuditEvent(
        actor=actor,
        actor_name=(actor.display_name if actor is not None else "")[:255],
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        action=action,
        summary=str(summary)[:500],
        changes=_plain(changes or {}),
        unit_id=unit.pk if unit is not None else None,
        unit_name=(unit.name if unit is not None else "")[:255],
    )


def audit_record(*, actor, obj, action, changes=None, summary=""):
    """Append an audit event for `obj`. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction")
    event = audit_event(actor=actor, obj=obj, action=action, changes=changes, summary=summary)
    event.save(force_insert=True)
    _figures_change_on_commit()
    return event


def _figures_change_on_commit():
    """The dashboard's cached figures are versioned by the writes (coordination.cache.figures_version): renew the
    version once when this transaction commits, however many audit entries it writes (a batch of 500 rows is one
    renewal, not 500). A callback registered inside a savepoint that is rolled back is dropped by Django with it,
    so a later write registers it again."""
    connection = transaction.get_connection()
    if not any(func is figures_changed for _savepoints, func, _robust in connection.run_on_commit):
        transaction.on_commit(figures_changed)


def audit_record_many(events, *, batch_size=1000):
    """Append many events built by `audit_event` (in their order) with bulk INSERTs, inside the caller's
    transaction: what a batch service writes instead of calling `audit_record` once per row."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record_many must be called inside the service's transaction")
    _figures_change_on_commit()
    return AuditEvent.objects.bulk_create(events, batch_size=batch_size)


def audit_events_for(obj, *, limit=200):
    """The timeline of `obj`, newest first, with the actor loaded in the same query."""
    return (
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
        )
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
