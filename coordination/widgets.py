"""Form widgets tuned for long choice lists (a province's hundreds of agencies and communes)."""

from django import forms
from django.utils.html import escape, format_html, format_html_join

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
