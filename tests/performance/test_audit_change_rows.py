"""`|audit_change_rows` writes the rows the timeline's template loop wrote: labels, values through
`change_value`, localisation and escaping."""

import datetime
import re

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
