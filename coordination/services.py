"""Writes to the shared core. Each is one transaction with an audit entry."""

from django.db import transaction

from .audit import audit_record, diff, snapshot
from .models import Agency, Membership, User


@transaction.atomic
def user_profile_update(*, actor, user, **fields):
    allowed = ["first_name", "last_name", "email", "position", "language", "email_reminders"]
    before = snapshot(user, allowed)
    for name in allowed:
        if name in fields:
            setattr(user, name, fields[name])
    user.full_clean(exclude=["password"])
    user.save(update_fields=allowed)
    changes = diff(before, snapshot(user, allowed))
    if changes:
        audit_record(actor=actor, obj=user, action="profile_update", changes=changes)
    return user


@transaction.atomic
def agency_create(*, actor, unit, kind, name, short_name="", email=""):
    agency = Agency(unit=unit, kind=kind, name=name, short_name=short_name, email=email)
    agency.full_clean()
    agency.save()
    audit_record(actor=actor, obj=agency, action="create", changes={"name": name, "kind": kind})
    return agency


@transaction.atomic
def membership_set(*, actor, user, agency, role):
    """Make `user` a member of `agency` with `role` (replacing any previous membership)."""
    membership, created = Membership.objects.select_for_update().get_or_create(
        user=user, defaults={"agency": agency, "role": role}
    )
    before = {"agency": str(membership.agency), "role": membership.role}
    if not created:
        membership.agency = agency
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["agency", "role"])
    audit_record(
        actor=actor,
        obj=user,
        action="membership_set",
        changes={
            "agency": [None if created else before["agency"], str(agency)],
            "role": [None if created else before["role"], role],
        },
    )
    return membership


@transaction.atomic
def user_create(
    *,
    actor,
    username,
    password,
    first_name="",
    last_name="",
    email="",
    position="",
    agency=None,
    role=None,
    is_superuser=False,
):
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        position=position,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(actor=actor, obj=user, action="create", changes={"username": username})
    if agency is not None:
        membership_set(actor=actor, user=user, agency=agency, role=role)
    return user


@transaction.atomic
def user_password_change(*, actor, user, new_password):
    """Set a new (already validated) password; the audit entry never contains the password itself."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, obj=user, action="password_change")
    return user
