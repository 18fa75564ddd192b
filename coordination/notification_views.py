"""In-app notifications: the list under the bell, mark one read (and open it), mark all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import reminders
from .models import Notification

PAGE_SIZE = 25


@login_required
def notification_list(request):
    unread_only = request.GET.get("show") == "unread"
    notifications = reminders.notifications_for(request.user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    for notification in page:
        notification.kind_label = reminders.ITEM_KIND_LABELS.get(notification.item_kind, notification.item_kind)
        notification.kind_text = reminders.group_title(notification.kind)
        notification.days = abs((notification.due_date - notification.day).days)
    return render(
        request,
        "coordination/notifications.html",
        {"page_obj": page, "unread_only": unread_only},
    )


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one notification read; with `open`, go on to the item it is about."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    reminders.notification_mark_read(user=request.user, notification_id=notification.pk)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=set()):
        return redirect(notification.url)
    return redirect(_next_or_list(request))


@login_required
@require_POST
def notifications_read_all(request):
    changed = reminders.notifications_mark_all_read(user=request.user)
    if changed:
        messages.success(request, _("All notifications were marked as read."))
    return redirect(_next_or_list(request))


def _next_or_list(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "notifications"
