"""Optimistic locking, written once: a record carries a `version`; a write names the version the user saw
and goes through only if nobody saved the record in between.

Every versioned model (charters, articles' duties, tasks, meetings, petitions, reviews) has a
`version = PositiveIntegerField(default=1)`. A service writes it with `versioned_update`; a stale version
raises `ConflictError`, which the views turn into a form error that keeps what the user typed
(`coordination.forms.call_service_into_form`). An app may subclass `ConflictError` only to word the
message for its records (`PetitionConflict`, `MeetingConflict`, `ReviewConflict`); views catch the base.
"""

from django.utils.translation import gettext_lazy

__all__ = ["ConflictError", "current_version", "versioned_update"]


class ConflictError(Exception):
    """Someone else saved the record since the form was opened (optimistic locking)."""

    message = gettext_lazy(
        "Someone else changed this record after you opened the form. Your input is kept below: "
        "check the current values and save again."
    )

    def __init__(self, message=None):
        if message is not None:
            self.message = message
        super().__init__(self.message)

    def __str__(self):
        return str(self.message)


def _expected(version, conflict):
    """The version the user saw, as an int; a missing or garbled one can only be a conflict."""
    if version is None or isinstance(version, bool):
        raise conflict()
    try:
        return int(version)
    except (TypeError, ValueError):
        raise conflict() from None


def current_version(instance):
    """The version stored now (None if the row is gone): what a form moves on to after a conflict."""
    return type(instance)._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()


def versioned_update(instance, *, expected_version, fields=(), conflict=ConflictError):
    """Write `fields` of `instance` and bump its version in one conditional statement:
    `UPDATE … SET fields…, version = expected + 1 WHERE id = … AND version = expected`.

    No row updated means someone saved in between (or the row is gone): raises `conflict` (ConflictError or
    an app's subclass) and writes nothing. Each field is prepared as `Model.save()` would (`pre_save`), so
    `auto_now` timestamps are set and an assigned file is committed; the model's `auto_now` fields are always
    written. With no `fields` it only claims the version, for a service that saves the rest itself in the
    same transaction. On success `instance.version` is the new version.
    """
    expected = _expected(expected_version, conflict)
    model = type(instance)
    names = list(dict.fromkeys(fields))
    auto_now = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    values = {}
    for name in [*names, *(n for n in auto_now if n not in names)]:
        field = model._meta.get_field(name)
        values[field.attname] = field.pre_save(instance, False)
    updated = model._default_manager.filter(pk=instance.pk, version=expected).update(version=expected + 1, **values)
    if not updated:
        raise conflict()
    instance.version = expected + 1
    return instance
