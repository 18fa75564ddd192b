"""Admin of supervision: read-only, because every write goes through the services (and the audit log)."""

from django.contrib import admin

from coordination.admin_base import ReadOnlyAdmin, ReadOnlyInlineMixin

from .models import Recommendation, ReportRequest, SocialCriticism, SupervisionProgramme


class ReportRequestInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = ReportRequest
    raw_id_fields = ["agency"]


class RecommendationInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Recommendation
    raw_id_fields = ["responsible_agency"]


@admin.register(SupervisionProgramme)
class SupervisionProgrammeAdmin(ReadOnlyAdmin):
    list_display = ["subject", "supervising_agency", "unit", "period_start", "period_end", "status", "is_demo"]
    list_filter = ["status", "is_demo"]
    search_fields = ["subject", "plan_number"]
    list_select_related = ["supervising_agency", "unit"]
    inlines = [ReportRequestInline, RecommendationInline]


@admin.register(SocialCriticism)
class SocialCriticismAdmin(ReadOnlyAdmin):
    list_display = ["subject", "agency", "unit", "held_on", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["subject", "document_number"]
    list_select_related = ["agency", "unit"]
