"""What the Django admin may do: show the domain records, and edit reference data with an audit entry.

Petitions, meetings, answers, evaluations, charters, tasks and reviews are written only by their services
(permission, version check, search text, audit entry): in the admin they are read-only. Reference data
(units, agencies, terms, areas, deadline rules, accounts) is edited here, each save or delete writing its
audit entry in the admin's own transaction.
"""

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .audit import audit_record, snapshot


class ReadOnlyAdmin(admin.ModelAdmin):
    """A domain record: shown, never added, changed or deleted here (its services do that)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInlineMixin:
    """An inline of a domain record: no row added, changed or deleted."""

    can_delete = False
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


IN_ADMIN = _("In the administration site")


def _plain_value(value):
    if isinstance(value, QuerySet):
        return sorted(str(item) for item in value)
    return value


def _field_names(model, names):
    """The concrete, non-many-to-many fields among `names` (what `snapshot` can read off an instance);
    never the password hash."""
    concrete = {field.name for field in model._meta.concrete_fields} - {"password"}
    return [name for name in names if name in concrete]


class AuditedAdmin(admin.ModelAdmin):
    """Reference data edited in the admin: every add, change and delete (inlines and bulk deletes too)
    writes an audit entry in the same transaction, with the changed values."""

    def save_model(self, request, obj, form, change):
        model = type(obj)
        fields = _field_names(model, form.changed_data)
        before = {}
        if change and obj.pk is not None:
            stored = model._default_manager.filter(pk=obj.pk).first()
            before = snapshot(stored, fields) if stored is not None else {}
        super().save_model(request, obj, form, change)
        after = snapshot(obj, fields)
        many_to_many = {field.name for field in model._meta.many_to_many}
        changes = {name: [before.get(name), after[name]] for name in fields}
        for name in form.changed_data:
            if name in many_to_many:
                changes[name] = [None, _plain_value(form.cleaned_data.get(name))]
        audit_record(
            actor=request.user,
            obj=obj,
            action="admin_change" if change else "admin_create",
            changes=changes,
            summary=IN_ADMIN,
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit_record(actor=request.user, obj=obj, action="admin_create", summary=IN_ADMIN)
        for obj, changed in formset.changed_objects:
            fields = _field_names(type(obj), changed)
            audit_record(
                actor=request.user,
                obj=obj,
                action="admin_change",
                changes={name: [None, value] for name, value in snapshot(obj, fields).items()},
                summary=IN_ADMIN,
            )
        for obj in formset.deleted_objects:
            audit_record(actor=request.user, obj=obj, action="admin_delete", summary=IN_ADMIN)

    def delete_model(self, request, obj):
        fields = _field_names(type(obj), [field.name for field in obj._meta.concrete_fields])
        audit_record(
            actor=request.user, obj=obj, action="admin_delete", changes=snapshot(obj, fields), summary=IN_ADMIN
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # The "delete selected" action: one entry per record, all in one transaction with the deletes.
        with transaction.atomic(using=queryset.db):
            for obj in queryset:
                self.delete_model(request, obj)


# A changelist of a table with millions of rows counts its rows up to this many (40 pages; pages beyond it
# are not offered: search or filter instead); counting a million petitions took longer than showing a page.
LARGE_TABLE_COUNT_CAP = 2_000


class CappedCountPaginator(Paginator):
    """The admin changelist's paginator with a bounded count: `SELECT COUNT(*) FROM (… LIMIT cap + 1)`."""

    @cached_property
    def count(self):
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        return min(queryset.order_by().values("pk")[: LARGE_TABLE_COUNT_CAP + 1].count(), LARGE_TABLE_COUNT_CAP)


class LargeTableAdminMixin:
    """The Django admin of a table with up to millions of rows: no full count (neither the filtered one,
    capped by CappedCountPaginator, nor the unfiltered "N total"), no facet counts, no date hierarchy
    (its year/month links read the whole table's dates; leave `date_hierarchy` unset), foreign keys as
    raw ids (set `raw_id_fields`)."""

    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    paginator = CappedCountPaginator
    list_per_page = 50
