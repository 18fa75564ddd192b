"""Admin of voter petitions: read-mostly views for administrators; changes go through the pages."""

from django.contrib import admin

from .models import Answer, Evaluation, Forwarding, Petition, PetitionImport


class ForwardingInline(admin.TabularInline):
    model = Forwarding
    extra = 0
    fields = ("agency", "dispatch_number", "dispatch_date", "due_date", "acknowledged_at", "returned_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
    list_display = ("reference", "received_on", "unit", "originating_agency", "field", "status", "due_date")
    list_filter = ("status", "field", "kind", "source")
    search_fields = ("search_text",)
    list_select_related = ("unit", "originating_agency")
    raw_id_fields = ("meeting", "primary", "commune", "created_by", "lead_agency", "originating_agency", "unit")
    readonly_fields = ("search_text", "version", "idempotency_key", "created_at", "updated_at")
    inlines = [ForwardingInline]
    date_hierarchy = "received_on"


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("petition", "agency", "document_number", "document_date", "outcome")
    raw_id_fields = ("petition", "forwarding", "answered_by")


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ("petition", "agency", "result", "created_at")
    raw_id_fields = ("petition", "answer", "evaluated_by")


@admin.register(PetitionImport)
class PetitionImportAdmin(admin.ModelAdmin):
    list_display = ("file_name", "agency", "row_count", "imported_by", "imported_at")
    list_select_related = ("agency", "imported_by")
    search_fields = ("file_name", "sha256")
    raw_id_fields = ("agency", "imported_by")
    readonly_fields = ("agency", "sha256", "file_name", "row_count", "imported_by", "imported_at")
