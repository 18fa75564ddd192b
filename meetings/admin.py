"""Admin of the meetings app: read-only, because every write goes through the services (and the audit log)."""

from django.contrib import admin

from coordination.admin_base import AuditedAdmin, LargeTableAdminMixin, ReadOnlyAdmin, ReadOnlyInlineMixin

from .models import AgendaItem, Attendance, CalendarFeedToken, Conclusion, Meeting, SessionDocument


class AgendaItemInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = AgendaItem


class AttendanceInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Attendance
    autocomplete_fields = ["agency"]


class ConclusionInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Conclusion
    raw_id_fields = ["task", "responsible_agency"]


class SessionDocumentInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = SessionDocument
    raw_id_fields = ["responsible_agency"]


@admin.register(Meeting)
class MeetingAdmin(LargeTableAdminMixin, ReadOnlyAdmin):
    list_display = ["title", "kind", "unit", "host_agency", "starts_at", "minutes_recorded_at"]
    list_filter = ["kind", "subkind"]
    search_fields = ["title", "place", "chair"]
    raw_id_fields = ["unit", "host_agency", "charter", "article", "session", "constituency_unit"]
    filter_horizontal = ["participating_agencies"]
    inlines = [AgendaItemInline, AttendanceInline, ConclusionInline, SessionDocumentInline]


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(AuditedAdmin):
    """A leaked feed address is revoked here by deleting its token (audited); tokens are made by their owners."""

    list_display = ["user", "created_at"]
    fields = ["user", "created_at"]
    readonly_fields = ["user", "created_at"]  # the secret itself is never shown here

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
