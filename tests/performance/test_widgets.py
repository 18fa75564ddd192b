"""PlainSelect gives the same <select> as Django's Select: attributes, selected option, escaping, groups."""

import re

from django import forms

from coordination.widgets import PlainSelect

CHOICES = [("", "---------"), (1, "UBND <phường> Hải Châu & Sơn Trà"), (2, "Sở Xây dựng"), ("Nhóm", [(3, "Ba")])]


def _options(html):
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)


def test_same_options_selection_and_escaping_as_select():
    attrs = {"class": "form-select", "id": "id_agency"}
    plain = PlainSelect(choices=CHOICES).render("agency", 2, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("agency", 2, attrs=attrs)
    assert _options(plain) == _options(django)
    assert ("2", " selected", "Sở Xây dựng") in _options(plain)
    assert "&lt;phường&gt; Hải Châu &amp; Sơn Trà" in plain
    assert plain.startswith('<select name="agency" class="form-select" id="id_agency">')
    assert '<optgroup label="Nhóm">' in plain
