"""Form widgets tuned for long choice lists (a province's hundreds of agencies and communes)."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """A <select> whose options are rendered in Python rather than one widget template per option.

    Same markup as `forms.Select` (attributes, selected option, optgroups); the template-per-option path
    was the largest cost of the petition list's filter form once a province had hundreds of agencies."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option["value"], mark_safe(" selected") if option["selected"] else "", option["label"])
                    for option in options
                ),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered) if group_name else rendered
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            format_html_join("", "{}", ((part,) for part in parts)),
        )
