"""Admin of the meetings app: for site administrators to inspect and correct records."""

from django.contrib import admin

from .models import AgendaItem, Attendance, CalendarFeedToken, Conclusion, Meeting, SessionDocument


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["agency"]


class ConclusionInline(admin.TabularInline):
    model = Conclusion
    extra = 0
    raw_id_fields = ["task", "responsible_agency"]


class SessionDocumentInline(admin.TabularInline):
    model = SessionDocument
    extra = 0
    raw_id_fields = ["responsible_agency"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "unit", "host_agency", "starts_at", "minutes_recorded_at"]
    list_filter = ["kind", "subkind"]
    search_fields = ["title", "place", "chair"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["unit", "host_agency", "charter", "article", "session", "constituency_unit"]
    filter_horizontal = ["participating_agencies"]
    inlines = [AgendaItemInline, AttendanceInline, ConclusionInline, SessionDocumentInline]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]  # the secret itself is never shown here
