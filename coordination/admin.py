"""Admin for the shared core: administrators manage units, agencies, accounts, areas and rules (audited)."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .admin_base import IN_ADMIN, AuditedAdmin, LargeTableAdminMixin, ReadOnlyAdmin
from .audit import audit_record
from .models import AdministrativeUnit, Agency, AuditEvent, CoordinationArea, DeadlineRule, Membership, Term, User


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    """Accounts are deactivated, not deleted, once the audit log names them (it keeps them: PROTECT)."""

    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_superuser"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Preferences"), {"fields": ["position", "language", "email_reminders"]}))
    actions = ["deactivate"]

    @admin.action(description=_("Deactivate the selected accounts (they keep their history)"))
    def deactivate(self, request, queryset):
        with transaction.atomic():
            users = list(queryset.select_for_update().filter(is_active=True))
            for user in users:
                user.is_active = False
                user.save(update_fields=["is_active"])
                audit_record(
                    actor=request.user,
                    obj=user,
                    action="admin_deactivate",
                    changes={"is_active": [True, False]},
                    summary=IN_ADMIN,
                )
        self.message_user(
            request,
            ngettext("%(count)d account deactivated.", "%(count)d accounts deactivated.", len(users))
            % {"count": len(users)},
            messages.SUCCESS,
        )


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(AuditedAdmin):
    list_display = ["name", "code", "level", "parent", "successor", "is_active", "publish_answers_by_default"]
    list_filter = ["level", "is_active", "publish_answers_by_default"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent", "successor"]


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ["name", "kind", "unit", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "unit__name"]
    raw_id_fields = ["unit"]


@admin.register(Term)
class TermAdmin(AuditedAdmin):
    list_display = ["name", "start_date", "end_date"]


@admin.register(CoordinationArea)
class CoordinationAreaAdmin(AuditedAdmin):
    list_display = ["name", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(AuditedAdmin):
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
class AuditEventAdmin(LargeTableAdminMixin, ReadOnlyAdmin):
    list_display = ["created_at", "actor_name", "action", "object_repr", "unit_name"]
    list_filter = ["action"]
    search_fields = ["object_repr", "summary", "actor_name"]
