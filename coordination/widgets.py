"""Form widgets tuned for long choice lists (a province's hundreds of agencies and communes)."""

from django import forms
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe


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
        parts = []
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            grouped = isinstance(option_label, (list, tuple))
            options = option_label if grouped else ((option_value, option_label),)
            rendered = []
            for subvalue, sublabel in options:
                text = str(subvalue)
                selected = (not has_selected or self.allow_multiple_selected) and text in values
                has_selected |= selected
                marker = " selected" if selected else ""
                rendered.append(f'<option value="{escape(text)}"{marker}>{conditional_escape(sublabel)}</option>')
            if grouped:
                parts.append(f'<optgroup label="{conditional_escape(option_value)}">{"".join(rendered)}</optgroup>')
            else:
                parts.extend(rendered)
        # Attributes in the order Django's attrs.html writes them (booleans bare, False/None left out).
        attributes = "".join(
            f" {escape(key)}" if value is True else f' {escape(key)}="{conditional_escape(value)}"'
            for key, value in attrs.items()
            if value is not False and value is not None
        )
        # Every name, value and label went through escape/conditional_escape.
        return mark_safe(f'<select name="{escape(name)}"{attributes}>{"".join(parts)}</select>')  # noqa: S308
