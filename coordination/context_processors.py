"""Template context shared by every page: the signed-in user's agency and role."""

from . import permissions
from .reminders import unread_count


def membership(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    member = permissions.membership_of(user)
    return {
        "current_membership": member,
        "current_agency": member.agency if member else None,
        "current_role": member.role if member else None,
        "is_site_admin": permissions.is_site_admin(user),
    }


def notifications(request):
    """The bell's unread count, counted only when a template shows it (one indexed COUNT)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from django.utils.functional import SimpleLazyObject

    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user))}
