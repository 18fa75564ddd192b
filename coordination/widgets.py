"""Form widgets and choice labels shared by every app: long choice lists (a province's hundreds of agencies
and communes), dates typed as dd/mm/yyyy, and empty choices that say what to choose."""

from django import forms
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext_lazy as _

OPTION = '<option value="{}"{}>{}</option>'
OPTGROUP = '<optgroup label="{}">{}</optgroup>'
SELECT = '<select name="{}"{}>{}</select>'


class PlainSelect(forms.Select):
    """A <select> whose options are rendered in Python rather than one widget template per option.

    Same markup as `forms.Select` (attributes, selected option, optgroups); the template-per-option path
    was the largest cost of the petition list's filter form once a province had hundreds of agencies.
    The options are written straight from `choices` (no `optgroups()` dict per option): give it
    `(id, label)` rows rather than a model queryset and a 300-agency list costs well under a millisecond."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        values = self.format_value(value)
        has_selected = False
        parts = []  # runs of options and optgroups, each written by one format_html_join / format_html
        run = []
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, (list, tuple))
            options = option_label if grouped else ((option_value, option_label),)
            rows = []
            for subvalue, sublabel in options:
                text = str(subvalue)
                selected = (not has_selected or self.allow_multiple_selected) and text in values
                has_selected |= selected
                # The value escaped even when it is safe text, as Django's option template does.
                rows.append((escape(text), " selected" if selected else "", sublabel))
            if grouped:
                if run:
                    parts.append(format_html_join("", OPTION, run))
                    run = []
                parts.append(format_html(OPTGROUP, option_value, format_html_join("", OPTION, rows)))
            else:
                run.extend(rows)
        if run:
            parts.append(format_html_join("", OPTION, run))
        # Attributes in the order Django's attrs.html writes them (booleans bare, False/None left out).
        attributes = format_html_join(
            "",
            " {}{}",
            (
                (escape(key), "" if value is True else format_html('="{}"', value))
                for key, value in attrs.items()
                if value is not False and value is not None
            ),
        )
        return format_html(SELECT, escape(name), attributes, format_html_join("", "{}", ((p,) for p in parts)))


class DateInput(forms.DateInput):
    """A date typed and shown as dd/mm/yyyy, whatever the browser's language.

    `<input type="date">` displays the browser's locale format (mm/dd/yyyy under en-US), which offices
    read wrongly; a text input keeps the Vietnamese order. The server parses it with DATE_INPUT_FORMATS
    (coordination/formats), which also accepts yyyy-mm-dd."""

    input_type = "text"

    def __init__(self, attrs=None, format="%d/%m/%Y"):
        defaults = {
            "inputmode": "numeric",
            "pattern": r"\d{1,2}/\d{1,2}/\d{4}",
            "placeholder": _("dd/mm/yyyy"),
            "title": _("A date as day/month/year, e.g. 25/11/2026"),
            "autocomplete": "off",
            "maxlength": "10",
            "class": "form-control date-input",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=format)


class DateTimeInput(forms.DateTimeInput):
    """A moment typed and shown as dd/mm/yyyy hh:mm (24 h), whatever the browser's language: the
    `datetime-local` input shows mm/dd/yyyy and AM/PM under en-US. Parsed by DATETIME_INPUT_FORMATS."""

    input_type = "text"

    def __init__(self, attrs=None, format="%d/%m/%Y %H:%M"):
        defaults = {
            "inputmode": "numeric",
            "pattern": r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}",
            "placeholder": _("dd/mm/yyyy hh:mm"),
            "title": _("A date and time as day/month/year hour:minute, e.g. 25/11/2026 14:00"),
            "autocomplete": "off",
            "maxlength": "16",
        }
        super().__init__(attrs={**defaults, **(attrs or {})}, format=format)


_EMPTY_LABELS = {"", "-", "—", "---------"}


def label_empty_choices(form, *, filtering=False):
    """Name the empty choice of every drop-down of `form`: "Tất cả …" on a filter, "— Chọn … —" on a
    form, never Django's "---------". Labels a form already wrote ("Tất cả đơn vị") are kept."""
    for field in form.fields.values():
        label = str(field.label or "").lower()
        text = _("All: %(label)s") % {"label": label} if filtering else _("— Choose %(label)s —") % {"label": label}
        if isinstance(field, (forms.ModelMultipleChoiceField, forms.MultipleChoiceField)):
            continue
        if hasattr(field, "empty_label"):  # model choices, django-filter's choices: the label is read when listed
            if field.empty_label is not None and str(field.empty_label) in _EMPTY_LABELS:
                field.empty_label = text
                if not isinstance(field, forms.ModelChoiceField):  # its options were listed already
                    field.widget.choices = list(field.choices)
            continue
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
            choices = list(field.choices)
            if any(value in ("", None) and str(name) in _EMPTY_LABELS for value, name in choices):
                field.choices = [
                    (value, text if value in ("", None) and str(name) in _EMPTY_LABELS else name)
                    for value, name in choices
                ]


class ChoiceLabelsMixin:
    """Forms: the empty choices say what to choose (see `label_empty_choices`)."""

    filtering = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_empty_choices(self, filtering=self.filtering)
