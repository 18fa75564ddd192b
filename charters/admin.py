"""Admin views of charters and tasks: read-only, because every write goes through the services (and the audit log)."""

from django.contrib import admin

from coordination.admin_base import LargeTableAdminMixin, ReadOnlyAdmin, ReadOnlyInlineMixin

from .models import Article, Charter, CharterParty, Obligation, Task


class PartyInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = CharterParty


@admin.register(Charter)
class CharterAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "unit", "term", "status", "signed_on", "effective_from"]
    list_filter = ["status", "term"]
    search_fields = ["search_text", "number"]
    list_select_related = ["unit", "term"]
    inlines = [PartyInline]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["charter", "number", "title", "area", "lead_agency"]
    list_select_related = ["charter", "area", "lead_agency"]


@admin.register(Obligation)
class ObligationAdmin(ReadOnlyAdmin):
    list_display = ["description", "article", "responsible_agency", "cadence", "is_active"]
    list_filter = ["cadence", "is_active"]
    list_select_related = ["article", "article__charter", "responsible_agency"]


@admin.register(Task)
class TaskAdmin(LargeTableAdminMixin, ReadOnlyAdmin):
    list_display = ["title", "unit", "responsible_agency", "due_date", "status", "origin", "completed_on"]
    list_filter = ["status", "origin"]
    search_fields = ["title"]
    list_select_related = ["unit", "responsible_agency"]
