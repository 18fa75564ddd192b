"""Admin for the shared core: administrators manage units, agencies, accounts, areas and rules."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AdministrativeUnit, Agency, AuditEvent, CoordinationArea, DeadlineRule, Membership, Term, User


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_superuser"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Preferences"), {"fields": ["position", "language", "email_reminders"]}))


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent", "successor", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent", "successor"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "unit__name"]
    raw_id_fields = ["unit"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date"]


@admin.register(CoordinationArea)
class CoordinationAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "amount",
        "day_type",
        "direction",
        "anchor",
        "unit",
        "effective_from",
        "effective_to",
    ]
    list_filter = ["day_type", "anchor"]
    search_fields = ["code", "name", "legal_basis"]
    raw_id_fields = ["unit"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["object_repr", "summary"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
