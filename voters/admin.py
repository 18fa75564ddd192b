"""Admin of voter petitions: read-only, because every write goes through the services (version check,
search text, audit log); changes are made in the pages."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from coordination.admin_base import LargeTableAdminMixin, ReadOnlyAdmin, ReadOnlyInlineMixin

from .models import Answer, Evaluation, Forwarding, Petition, PetitionImport
from .selectors import petition_search


class ForwardingInline(ReadOnlyInlineMixin, admin.TabularInline):
    model = Forwarding
    fields = ("agency", "dispatch_number", "dispatch_date", "due_date", "acknowledged_at", "returned_at")
    readonly_fields = fields


@admin.register(Petition)
class PetitionAdmin(LargeTableAdminMixin, ReadOnlyAdmin):
    """At a million petitions: the search goes through the list's own search (a reference by id, words
    through the full-text index on PostgreSQL) rather than `search_text LIKE '%…%'` (3.6 s), newest
    first on the received-date index, no date hierarchy, no full count."""

    list_display = ("reference", "received_on", "unit", "originating_agency", "field", "status", "due_date")
    list_filter = ("status", "field", "kind", "source")
    search_fields = ("search_text",)  # shows the search box; get_search_results does the searching
    search_help_text = _("Words without diacritics are enough (tiep xuc cu tri); or a reference: KN-000123.")
    list_select_related = ("unit", "originating_agency")
    raw_id_fields = (
        "meeting",
        "primary",
        "commune",
        "created_by",
        "lead_agency",
        "originating_agency",
        "unit",
        "answer_published_by",
    )
    readonly_fields = ("search_text", "version", "idempotency_key", "created_at", "updated_at")
    inlines = [ForwardingInline]
    ordering = ("-received_on", "-id")

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return petition_search(queryset, search_term), False


@admin.register(Answer)
class AnswerAdmin(LargeTableAdminMixin, ReadOnlyAdmin):
    list_display = ("petition", "agency", "document_number", "document_date", "outcome")
    raw_id_fields = ("petition", "forwarding", "answered_by")


@admin.register(Evaluation)
class EvaluationAdmin(LargeTableAdminMixin, ReadOnlyAdmin):
    list_display = ("petition", "agency", "result", "created_at")
    raw_id_fields = ("petition", "answer", "evaluated_by")


@admin.register(PetitionImport)
class PetitionImportAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "agency", "row_count", "imported_by", "imported_at")
    list_select_related = ("agency", "imported_by")
    search_fields = ("file_name", "sha256")
    raw_id_fields = ("agency", "imported_by")
    readonly_fields = ("agency", "sha256", "file_name", "row_count", "imported_by", "imported_at")
