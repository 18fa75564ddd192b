"""`|audit_change_rows` writes the rows the timeline's template loop wrote: labels, values through
`change_value`, localisation and escaping."""

import datetime
import re
from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

ROWS = [
    ("Trạng thái", "draft", "signed"),
    ("Ngày ký", None, "2026-02-07"),
    ("Số <ký hiệu>", "01/QC & 02", ["a", 2, None]),
    ("Bật", True, False),
    ("Số lượng", 12345, 3.5),
    ("Dữ liệu", {"x": "y"}, ""),
    ("Lúc", datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC), datetime.date(2026, 5, 6)),
]

LOOP = Template(
    "{% load ui %}{% for field, old, new in rows %}"
    '<tr><td>{{ field }}</td><td class="change-old">{{ old|change_value }}</td>'
    '<td class="change-new">{{ new|change_value }}</td></tr>{% endfor %}'
)
FILTER = Template("{% load ui %}{{ rows|audit_change_rows }}")


def test_same_rows_as_the_template_loop():
    for language in ("vi", "en"):
        with translation.override(language):
            context = Context({"rows": ROWS})
            loop, fast = LOOP.render(context), FILTER.render(context)
            assert re.sub(r">\s+<", "><", loop) == fast
    assert "Số &lt;ký hiệu&gt;" in fast and "01/QC &amp; 02" in fast


DETAILS = Template(
    "{% load i18n ui %}{% with rows=event|audit_changes %}{% if rows %}"
    '<details class="timeline-changes mt-1">'
    '<summary class="text-muted small">{% blocktranslate count counter=rows|length %}{{ counter }} changed value'
    "{% plural %}{{ counter }} changed values{% endblocktranslate %}</summary>"
    '<div class="table-responsive"><table class="table table-sm table-borderless mb-0">'
    '<thead><tr><th scope="col">{% translate "Field" %}</th><th scope="col">{% translate "Before" %}</th>'
    '<th scope="col">{% translate "After" %}</th></tr></thead>'
    "<tbody>{{ rows|audit_change_rows }}</tbody></table></div></details>{% endif %}{% endwith %}"
)


def test_details_as_the_timeline_template_wrote_them():
    one = SimpleNamespace(changes={"status": ["draft", "signed"]}, content_type_id=None)
    many = SimpleNamespace(changes={name: [None, value] for name, _, value in ROWS}, content_type_id=None)
    none = SimpleNamespace(changes={}, content_type_id=None)
    for language in ("vi", "en"):
        with translation.override(language):
            for event in (one, many, none):
                context = Context({"event": event})
                assert Template("{% load ui %}{{ event|audit_changes_details }}").render(context) == DETAILS.render(
                    context
                )
