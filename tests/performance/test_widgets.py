"""PlainSelect gives the same <select> as Django's Select: attributes, selected option, escaping, groups."""

import re

import pytest
from django import forms
from django.utils.safestring import mark_safe

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


def _squeeze(html):
    return re.sub(r"\s*\n\s*", "", html)


@pytest.mark.parametrize("value", [2, None, "", "3", [2]])
def test_same_markup_as_select(value):
    """Apart from the line breaks between options, the whole <select> is Django's: attribute order, a
    bare boolean attribute, False left out, the first matching option only selected, safe labels kept."""
    choices = [*CHOICES, (None, "Không"), (4, mark_safe("<b>x</b>")), ("Nhóm 2", [(2, "Hai lần")])]
    attrs = {"class": "form-select", "id": "id_agency", "required": True, "data-x": 'a"b', "disabled": False}
    plain = PlainSelect(choices=choices).render("agency", value, attrs=attrs)
    django = forms.Select(choices=choices).render("agency", value, attrs=attrs)
    assert _squeeze(plain) == _squeeze(django)


def test_multiple_selection_like_select_multiple():
    widget = PlainSelect(choices=CHOICES)
    widget.allow_multiple_selected = True
    django = forms.SelectMultiple(choices=CHOICES)
    assert _squeeze(widget.render("agency", [2, 3])) == _squeeze(django.render("agency", [2, 3]))
