"""Shared template helpers: query-string editing for pagination, dates, audit labels, status badges."""

import datetime
import json

from django import forms, template
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.template import Context
from django.template.base import render_value_in_context
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from coordination.audit import audit_action_label, audit_field_label

register = template.Library()

# Status code → Bootstrap colour for `status_badge`. Apps may pass `tone` explicitly instead.
STATUS_TONES = {
    "draft": "secondary",
    "received": "secondary",
    "classified": "info",
    "planned": "info",
    "open": "info",
    "signed": "primary",
    "forwarded": "primary",
    "in_progress": "primary",
    "in_force": "success",
    "answered": "success",
    "done": "success",
    "closed": "success",
    "resolved": "success",
    "held": "success",
    "due_soon": "warning",
    "returned": "warning",
    "returned_wrong_authority": "warning",
    "reopened": "warning",
    "reanswer": "warning",
    "superseded": "dark",
    "expired": "dark",
    "cancelled": "dark",
    "overdue": "danger",
    "late": "danger",
}


@register.simple_tag
def url_replace(request, **kwargs):
    """The current query string with `kwargs` replaced (a value of None removes the key), starting with '?'."""
    query = request.GET.copy()
    for key, value in kwargs.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def vn_date(value, with_time=False):
    """dd/mm/yyyy (or dd/mm/yyyy HH:MM with `|vn_date:True`), in local time; '' for None."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value


@register.filter
def vn_datetime(value):
    """dd/mm/yyyy HH:MM in local time."""
    return vn_date(value, True)


@register.filter
def action_label(code):
    """A readable, translated label for an audit action code (registered in `coordination.audit`)."""
    return audit_action_label(code)


@register.filter
def status_tone(code):
    return STATUS_TONES.get(str(code), "secondary")


@register.filter
def change_value(value):
    """An audit change value as short text: lists joined, dicts as JSON, None as a dash."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(change_value(item)) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value


@register.filter
def change_pairs(changes):
    """Audit `changes` as (field, old, new) rows; a plain value (not [old, new]) becomes (field, None, value)."""
    if not isinstance(changes, dict):
        return []
    rows = []
    for field, value in changes.items():
        if isinstance(value, (list, tuple)) and len(value) == 2:
            rows.append((field, value[0], value[1]))
        else:
            rows.append((field, None, value))
    return rows


def _field_of(event, name):
    # get_for_id is served from ContentType's cache, so a timeline costs no query per event.
    try:
        model = ContentType.objects.get_for_id(event.content_type_id).model_class()
        return model._meta.get_field(name) if model is not None else None
    except (FieldDoesNotExist, ContentType.DoesNotExist):
        return None


def _choice_label(field, value):
    if field is None or not getattr(field, "choices", None) or isinstance(value, (list, dict)):
        return value
    return dict(field.flatchoices).get(value, value)


@register.filter
def audit_changes(event):
    """An audit event's changes as (label, old, new): field verbose names and choice labels where known."""
    rows = []
    for name, old, new in change_pairs(getattr(event, "changes", None)):
        field = _field_of(event, name) if getattr(event, "content_type_id", None) else None
        verbose = getattr(field, "verbose_name", None)
        if isinstance(verbose, Promise):  # a translated verbose name; an automatic one is the raw attribute name
            label = capfirst(verbose)
        else:
            label = audit_field_label(name) or (capfirst(verbose) if verbose else name)
        rows.append((label, _choice_label(field, old), _choice_label(field, new)))
    return rows


@register.filter
def localized_number(value):
    return formats.number_format(value, force_grouping=True)


def badge_html(label, tone):
    """A coloured Bootstrap badge: the one markup of the status badges (lists build it per row in Python)."""
    return format_html('<span class="badge text-bg-{}">{}</span>', tone, label)


@register.simple_tag
def status_badge(code, label=None, tone=None):
    """`{% status_badge obj.status obj.get_status_display %}` → a coloured badge."""
    return badge_html(label if label is not None else code, tone or status_tone(code))


@register.filter
def page_range(paginator, page):
    """Page numbers around `page` with ellipses (`paginator.ELLIPSIS`) for long ranges."""
    return paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


# `filter_field`: crispy's bootstrap5 markup for the plain fields of a filter bar, written in Python.
_FILTER_WIDGETS = (
    (forms.CheckboxInput, "form-check-input"),
    (forms.Select, "form-select"),
    (forms.widgets.Input, "form-control"),
)


@register.filter
def filter_layout(form):
    """The (bound field, column classes) of a filter form's bar, in the order of its `filter_columns`
    ({field name: classes}; templates/partials/filter_bar.html)."""
    return [(form[name], classes) for name, classes in form.filter_columns.items()]


@register.filter
def filter_field(field):
    """`{{ form.x|filter_field }}` gives what `{{ form.x|as_crispy_field }}` gives (bootstrap5) for an optional
    select, input or checkbox without errors or help text: the label and the widget with crispy's classes, in
    ~20 µs instead of ~200 µs of crispy's templates. Anything else is handed to crispy itself."""
    widget = field.field.widget
    bootstrap_class = next((css for kind, css in _FILTER_WIDGETS if isinstance(widget, kind)), None)
    if (
        bootstrap_class is None
        or isinstance(widget, (forms.HiddenInput, forms.FileInput, forms.RadioSelect, forms.SelectMultiple))
        or field.field.required
        or field.help_text
        or field.errors
        or not field.label
        or getattr(field.form, "helper", None) is not None
    ):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return as_crispy_field(field)
    # The classes crispy's crispy_field tag gives: the widget's own, its class name, then Bootstrap's.
    classes = widget.attrs.get("class", "").split()
    for name in (widget.__class__.__name__.lower(), bootstrap_class):
        if name not in classes:
            classes.append(name)
    html = field.as_widget(attrs={"class": " ".join(classes)})
    label = conditional_escape(field.label)
    if bootstrap_class == "form-check-input":
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}<label for="{}" class="form-check-label">{}'
            "</label></div></div>",
            field.auto_id,
            html,
            field.id_for_label,
            label,
        )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}</div>',
        field.auto_id,
        field.id_for_label,
        label,
        html,
    )


@register.filter
def audit_change_rows(rows):
    """The <tr> rows of an audit event's table of changes (`audit_changes` rows: label, before, after), what
    `<td>{{ field }}</td><td>{{ old|change_value }}</td>…` gives, written in Python: a timeline of 50
    events has a few hundred of them."""
    context = Context(autoescape=True)

    def cell(value):
        # What {{ value }} writes; text (most values) only needs escaping, the rest is localised first.
        if isinstance(value, Promise):
            value = str(value)
        return conditional_escape(value) if isinstance(value, str) else render_value_in_context(value, context)

    return format_html_join(
        "",
        '<tr><td>{}</td><td class="change-old">{}</td><td class="change-new">{}</td></tr>',
        ((cell(label), cell(change_value(old)), cell(change_value(new))) for label, old, new in rows),
    )


@register.filter
def audit_changes_details(event):
    """An audit event's folded table of changes (`<details>`, empty without changes), what the timeline's
    template wrote around `audit_changes`, written in Python with `audit_change_rows`."""
    rows = audit_changes(event)
    if not rows:
        return ""
    counter = render_value_in_context(len(rows), Context(autoescape=True))
    summary = ngettext("%(counter)s changed value", "%(counter)s changed values", len(rows)) % {"counter": counter}
    return format_html(
        '<details class="timeline-changes mt-1">'
        '<summary class="text-muted small">{}</summary>'
        '<div class="table-responsive"><table class="table table-sm table-borderless mb-0">'
        '<thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead>'
        "<tbody>{}</tbody></table></div></details>",
        summary,
        gettext("Field"),
        gettext("Before"),
        gettext("After"),
        audit_change_rows(rows),
    )
