"""Pages of the meetings app: list, calendar, detail, forms, minutes, documents, calendar feed."""

import calendar as calendar_module
import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseNotModified, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from coordination.audit import audit_events_for
from coordination.choices import choices_response
from coordination.forms import call_service_into_form, form_errors_from
from coordination.permissions import ensure, pickable_agencies
from coordination.query import query_date
from coordination.templatetags.ui import badge_html

from . import forms, permissions, selectors, services
from .ics import etag_matches, feed_etag, feed_window, ics_chunks
from .models import CalendarFeedToken, Conclusion, Meeting, MeetingKind, SessionDocument

PAGE_SIZE = 25
URL_SENTINEL = 987654321987  # reversed once per page, then replaced by each meeting's id
# A calendar day lists this many meetings, then links to the list of that day (the national month is thousands).
CALENDAR_DAY_SHOWN = 12


@login_required
@require_GET
def meeting_choices(request, name):
    """The type-ahead fields of the meetings pages (`forms.choices_for`: the list's filters, a meeting's agencies,
    session and constituency): JSON rows of what the same drop-down would offer the user, whose name contains
    the typed words."""
    return choices_response(request, forms.choices_for(request.user).get(name))


@login_required
def meeting_list(request):
    form = forms.MeetingFilterForm(request.GET or None, user=request.user)
    # A filter with a bad value (a unit no longer visible, a malformed date) is dropped; the others apply.
    filters = {}
    if form.is_bound:
        form.is_valid()  # fills cleaned_data with the fields that validated
        filters = form.cleaned_data
    queryset = selectors.meeting_list(user=request.user, filters=filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    now = timezone.now()
    meetings = list(page.object_list)
    detail_url = reverse("meetings:detail", args=[URL_SENTINEL])
    for meeting in meetings:
        # Each row shows its link and its minutes badge (twice, for small and wide screens): made once here.
        meeting.detail_url = detail_url.replace(str(URL_SENTINEL), str(meeting.pk))
        meeting.minutes_badge = _minutes_badge(meeting, now)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "form": form,
            "page": page,
            "meetings": meetings,
            "query": query.urlencode(),
            "now_marker": now,
            "filtered": bool(filters and any(filters.values())),
            "can_create": permissions.can_create_meeting(request.user),
        },
    )


def _minutes_badge(meeting, now):
    """The list's minutes badge: recorded, missing (deadline passed), upcoming, or awaiting minutes."""
    if meeting.minutes_recorded_at:
        tone, label = "success", _("Recorded")
    elif meeting.is_minutes_missing:
        tone, label = "danger", _("Minutes missing")
    elif meeting.starts_at > now:
        tone, label = "secondary", _("Upcoming")
    else:
        tone, label = "warning", _("Awaiting minutes")
    return badge_html(label, tone)


@login_required
def meeting_calendar(request):
    today = timezone.localdate()
    mode = "week" if request.GET.get("view") == "week" else "month"
    # Not a date, or one whose month or week has no neighbours (0001-01-01, 9999-12-31): today.
    anchor = query_date(request.GET.get("date")) or today
    only_mine = request.GET.get("mine") == "1"
    if mode == "month":
        weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(anchor.year, anchor.month)
        start, end = weeks[0][0], weeks[-1][-1] + datetime.timedelta(days=1)
        first = anchor.replace(day=1)
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
    else:
        start = anchor - datetime.timedelta(days=anchor.weekday())
        end = start + datetime.timedelta(days=7)
        weeks = [[start + datetime.timedelta(days=offset) for offset in range(7)]]
        previous, following = start - datetime.timedelta(days=7), end
    by_day = {}
    # A month of a province's meetings is a few hundred links: each is written here in one format_html
    # (the template loop with {% url %} and |time per meeting was most of the page's time).
    detail_url = reverse("meetings:detail", args=[URL_SENTINEL])
    more = {}  # day -> meetings not shown in its cell
    meetings = selectors.meetings_in_range(
        user=request.user, start=start, end=end, only_mine=only_mine, per_day=CALENDAR_DAY_SHOWN
    )
    for meeting in meetings:
        starts_at = timezone.localtime(meeting["starts_at"])
        more[starts_at.date()] = meeting["day_total"] - CALENDAR_DAY_SHOWN
        by_day.setdefault(starts_at.date(), []).append(
            format_html(
                '<a class="calendar-event kind-{}" href="{}" title="{} — {}">\n'
                '        <span class="calendar-title"><span class="calendar-time">{}</span> {}</span>\n'
                "      </a>",
                meeting["kind"],
                detail_url.replace(str(URL_SENTINEL), str(meeting["pk"])),
                meeting["title"],
                meeting["host_agency__name"],
                starts_at.strftime("%H:%M"),
                meeting["title"],
            )
        )
    list_url = reverse("meetings:list")
    for day, count in more.items():
        if count > 0:  # the rest of a crowded day: the list of that day's meetings
            by_day[day].append(
                format_html(
                    '<a class="calendar-more small" href="{}?date_from={}&amp;date_to={}">{}</a>',
                    list_url,
                    day.isoformat(),
                    day.isoformat(),
                    ngettext("%(count)s more meeting", "%(count)s more meetings", count) % {"count": count},
                )
            )
    grid = [
        [
            {"date": day, "meetings": by_day.get(day, []), "outside": mode == "month" and day.month != anchor.month}
            for day in week
        ]
        for week in weeks
    ]
    return render(
        request,
        "meetings/meeting_calendar.html",
        {
            "mode": mode,
            "anchor": anchor,
            "grid": grid,
            "week_start": start,
            "week_end": end - datetime.timedelta(days=1),
            "previous": previous,
            "following": following,
            "today": today,
            "only_mine": only_mine,
            "has_meetings": bool(by_day),
            "weekday_names": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
            "can_create": permissions.can_create_meeting(request.user),
        },
    )


def _petition_context(meeting):
    """Link to the batch intake and the linked petitions, when the voters app provides them."""
    if not meeting.takes_petitions:
        return {}
    try:
        intake_url = f"{reverse('voters:batch_intake')}?meeting={meeting.pk}"
    except NoReverseMatch:
        intake_url = None
    petitions = selectors.petitions_for_meeting(meeting)
    rows = None
    if petitions is not None:
        rows = [{"petition": petition, "url": _petition_url(petition.pk)} for petition in petitions]
    return {"petition_intake_url": intake_url, "petitions": rows, "petitions_available": petitions is not None}


def _petition_url(pk):
    try:
        return reverse("voters:detail", args=[pk])
    except NoReverseMatch:
        return None


@login_required
def meeting_detail(request, pk):
    meeting = permissions.meeting_for_view(request.user, pk, selectors.meeting_detail_queryset())
    can_edit = permissions.can_edit_meeting(request.user, meeting)
    agencies = pickable_agencies(request.user, unit=meeting.unit)
    context = {
        "meeting": meeting,
        "can_edit": can_edit,
        "can_override_due_date": permissions.can_override_due_date(request.user, meeting),
        "documents": list(meeting.documents.all()),
        "events": audit_events_for(meeting),
        "today": timezone.localdate(),
        "minutes_due_on": meeting.minutes_due_on() if not meeting.has_minutes else None,
        "conclusion_form": forms.ConclusionAddForm(agencies=agencies, prefix="conclusion") if can_edit else None,
        "document_form": forms.SessionDocumentForm(
            agencies=agencies,
            may_override=permissions.can_override_due_date(request.user, meeting),
            prefix="document",
        )
        if can_edit and meeting.is_council_session
        else None,
        "document_due_date": services.session_document_due_date(meeting) if meeting.is_council_session else None,
        "delivery_form": forms.DeliveryForm(initial={"delivered_on": timezone.localdate()}) if can_edit else None,
    }
    context.update(_petition_context(meeting))
    return render(request, "meetings/meeting_detail.html", context)


def _formsets(request, user, meeting=None):
    agencies = pickable_agencies(user)
    if meeting is not None:
        agencies = agencies.filter(unit=meeting.unit)
    data = request.POST if request.method == "POST" else None
    agenda_initial = attendance_initial = None
    if meeting is not None and data is None:
        agenda_initial = [{"title": item.title, "presenter": item.presenter} for item in meeting.agenda_items.all()]
        attendance_initial = [
            {
                "person_name": row.person_name,
                "position": row.position,
                "agency": row.agency_id,
                "status": row.status,
                "delegate_name": row.delegate_name,
            }
            for row in meeting.attendance.all()
        ]
    agenda = forms.AgendaFormSet(data, prefix="agenda", initial=agenda_initial)
    # A new meeting offers any pickable agency (`meetings:choices`, a type-ahead past TYPEAHEAD_OVER); an existing
    # one only its unit's (a short list).
    choices_url = reverse("meetings:choices", args=["agency"]) if meeting is None else None
    attendance = forms.AttendanceFormSet(
        data,
        prefix="attendance",
        initial=attendance_initial,
        form_kwargs={"agencies": agencies, "choices_url": choices_url, "choices_cache": {}},
    )
    return agenda, attendance


@login_required
def meeting_create(request):
    ensure(permissions.can_create_meeting(request.user))
    form = forms.MeetingForm(request.POST or None, user=request.user)
    agenda, attendance = _formsets(request, request.user)
    if request.method == "POST" and form.is_valid() and agenda.is_valid() and attendance.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user,
                participating_agencies=form.cleaned_data["participating_agencies"],
                idempotency_token=form.cleaned_data.get("idempotency_token"),
                agenda=agenda.rows(),
                attendance=attendance.rows(),
                **form.service_fields(),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "agenda": agenda, "attendance": attendance, "meeting": None},
    )


@login_required
def meeting_edit(request, pk):
    meeting = permissions.meeting_for_edit(
        request.user, pk, Meeting.objects.prefetch_related("participating_agencies", "agenda_items", "attendance")
    )
    form = forms.MeetingForm(request.POST or None, instance=meeting, user=request.user)
    agenda, attendance = _formsets(request, request.user, meeting)
    # A stale save keeps the user's input and moves the form's version on, so that the next save (after the
    # user has looked) can go through.
    if (
        request.method == "POST"
        and form.is_valid()
        and agenda.is_valid()
        and attendance.is_valid()
        and call_service_into_form(
            form,
            services.meeting_update,
            conflict_instance=meeting,
            conflict_message=_(
                "Someone else saved this meeting while you were editing it. Your changes are kept below "
                "but were not saved: open the meeting in a new tab to see the other changes, then save again."
            ),
            actor=request.user,
            meeting=meeting,
            version=form.cleaned_data.get("version") or 0,
            participating_agencies=list(form.cleaned_data["participating_agencies"]),
            agenda=agenda.rows(),
            attendance=attendance.rows(),
            **form.service_fields(),
        )
    ):
        messages.success(request, _("The meeting was saved."))
        return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "agenda": agenda, "attendance": attendance, "meeting": meeting},
    )


@login_required
def meeting_minutes(request, pk):
    """The secretary's page after the meeting: minutes text, signed file, and the conclusions."""
    meeting = permissions.meeting_for_edit(
        request.user, pk, Meeting.objects.select_related("unit").prefetch_related("participating_agencies")
    )
    agencies = pickable_agencies(request.user, unit=meeting.unit)
    data = request.POST if request.method == "POST" else None
    form = forms.MinutesForm(
        data, request.FILES or None, initial={"minutes_text": meeting.minutes_text, "version": meeting.version}
    )
    conclusions = forms.ConclusionFormSet(data, prefix="conclusions", form_kwargs={"agencies": agencies})
    if (
        request.method == "POST"
        and form.is_valid()
        and conclusions.is_valid()
        and call_service_into_form(
            form,
            services.meeting_record_minutes,
            conflict_instance=meeting,
            conflict_message=_(
                "Someone else saved this meeting while you were writing. Your text is kept below but was not "
                "saved: compare it with the meeting page in a new tab, then save again."
            ),
            actor=request.user,
            meeting=meeting,
            text=form.cleaned_data["minutes_text"],
            file=form.cleaned_data.get("minutes_file") or None,
            version=form.cleaned_data.get("version"),
            conclusions=conclusions.rows(),
        )
    ):
        messages.success(request, _("The minutes were recorded."))
        return redirect("meetings:detail", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_minutes.html",
        {
            "meeting": meeting,
            "form": form,
            "conclusions": conclusions,
            "existing_conclusions": meeting.conclusions.select_related("responsible_agency", "task"),
        },
    )


@login_required
def minutes_file(request, pk):
    """The signed minutes, only to those who may read the meeting; always as a download."""
    meeting = permissions.meeting_for_view(request.user, pk)
    if not meeting.minutes_file:
        raise Http404
    try:
        handle = meeting.minutes_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    # FileResponse writes an RFC 6266 Content-Disposition (ASCII fallback + filename*=UTF-8).
    response = FileResponse(handle, as_attachment=True, filename=meeting.minutes_file_name or "bien-ban")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def conclusion_add(request, pk):
    meeting = permissions.meeting_for_edit(request.user, pk)
    agencies = pickable_agencies(request.user, unit=meeting.unit)
    form = forms.ConclusionAddForm(request.POST, agencies=agencies, prefix="conclusion")
    if form.is_valid():
        try:
            services.conclusion_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The conclusion was added."))
    else:
        messages.error(request, _("The conclusion was not added: %(errors)s") % {"errors": _form_errors(form)})
    return redirect(f"{reverse('meetings:detail', args=[meeting.pk])}#conclusions")


def _form_errors(form):
    return "; ".join(
        f"{form.fields[name].label if name in form.fields else ''} {' '.join(errors)}".strip()
        for name, errors in form.errors.items()
    )


@login_required
@require_POST
def conclusion_task_create(request, pk, conclusion_pk):
    meeting = permissions.meeting_for_edit(request.user, pk)
    conclusion = get_object_or_404(Conclusion, pk=conclusion_pk, meeting=meeting)
    try:
        services.conclusion_task_create(actor=request.user, conclusion=conclusion)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The follow-up task was created."))
    return redirect(f"{reverse('meetings:detail', args=[meeting.pk])}#conclusions")


@login_required
@require_POST
def session_document_add(request, pk):
    meeting = permissions.meeting_for_edit(request.user, pk)
    ensure(meeting.kind == MeetingKind.COUNCIL_SESSION)
    agencies = pickable_agencies(request.user, unit=meeting.unit)
    form = forms.SessionDocumentForm(
        request.POST,
        agencies=agencies,
        may_override=permissions.can_override_due_date(request.user, meeting),
        prefix="document",
    )
    if form.is_valid():
        try:
            services.session_document_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The document was added to the session's list."))
    else:
        messages.error(request, _("The document was not added: %(errors)s") % {"errors": _form_errors(form)})
    return redirect(f"{reverse('meetings:detail', args=[meeting.pk])}#documents")


@login_required
@require_POST
def session_document_deliver(request, pk, document_pk):
    meeting = permissions.meeting_for_view(request.user, pk)
    ensure(permissions.can_record_delivery(request.user, meeting))
    document = get_object_or_404(SessionDocument, pk=document_pk, meeting=meeting)
    form = forms.DeliveryForm(request.POST)
    if form.is_valid():
        document = services.session_document_deliver(
            actor=request.user, document=document, delivered_on=form.cleaned_data["delivered_on"]
        )
        messages.success(
            request,
            _("Delivery recorded: %(title)s — %(state)s.") % {"title": document.title, "state": document.state.label},
        )
    else:
        messages.error(request, _("The delivery was not recorded: %(errors)s") % {"errors": _form_errors(form)})
    return redirect(f"{reverse('meetings:detail', args=[meeting.pk])}#documents")


@login_required
def calendar_feed_settings(request):
    """Show, issue, reissue or revoke the user's secret calendar feed link."""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_token_revoke(actor=request.user, user=request.user)
            messages.success(request, _("The calendar link was revoked. Calendars using it stop updating."))
        else:
            services.calendar_feed_token_regenerate(actor=request.user, user=request.user)
            messages.success(request, _("A new calendar link was issued. The previous link no longer works."))
        return redirect("meetings:calendar_feed_settings")
    token = CalendarFeedToken.objects.filter(user=request.user).first()
    feed_url = request.build_absolute_uri(reverse("meetings:calendar_feed", args=[token.token])) if token else None
    return render(request, "meetings/calendar_feed.html", {"token": token, "feed_url": feed_url})


@login_not_required  # the secret token in the URL is the credential: calendar apps cannot sign in
def calendar_feed(request, token):
    """The feed itself: no login (calendar apps cannot sign in), the secret token is the key. A poll with
    the ETag of an unchanged window costs one aggregate query and answers 304; otherwise the body streams."""
    feed_token = CalendarFeedToken.objects.select_related("user").filter(token=token).first()
    if feed_token is None or not feed_token.user.is_active:
        raise Http404
    user = feed_token.user
    meetings = selectors.calendar_feed_meetings(user)
    since, until = feed_window()
    language = translation.get_language()
    etag = feed_etag(meetings, key=f"{user.pk}|{token}|{since.date()}|{until.date()}|{language}")
    if etag_matches(request.headers.get("If-None-Match"), etag):
        response = HttpResponseNotModified()
    else:
        chunks = ics_chunks(
            meetings,
            base_url=request.build_absolute_uri("/"),
            calendar_name=_("Meetings — %(name)s") % {"name": user.display_name},
        )
        response = StreamingHttpResponse(chunks, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="meetings.ics"'
        response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = etag
    # Private (the URL is a credential); a calendar app may reuse it a few minutes, then revalidates.
    response["Cache-Control"] = f"private, max-age={settings.CALENDAR_FEED_MAX_AGE}"
    patch_vary_headers(response, ["Accept-Language"])
    return response
