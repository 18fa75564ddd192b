"""Type-ahead choices: the rows of a queryset whose name contains the typed words, without regard to case or
diacritics ("da nang" finds "Đà Nẵng"). Used by the JSON endpoints behind the type-ahead fields
(static/js/typeahead.js) of the petition list's filters and the dashboard's unit; and the drop-downs of the other
filters and forms that turn into type-ahead fields past TYPEAHEAD_OVER choices (`typeahead_field`,
`choices_response`)."""

import re
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _

from .text import fold

_WORDS = re.compile(r"[^\W_]+")
_ACCENTED = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
# Each plain letter with every letter that folds to it, both cases: "a" -> "aàá…ậAÀÁ…Ậ".
_VARIANTS = {}
for _letter in _ACCENTED + "abcdefghijklmnopqrstuvwxyz":
    _VARIANTS.setdefault(fold(_letter), set()).update({_letter, _letter.upper()})
# What a type-ahead answer lists at most, and how much of the typed text it reads.
CHOICES_SHOWN = 20
CHOICES_QUERY_LENGTH = 100
CHOICES_WORDS = 8


def accent_pattern(word):
    """A regular expression matching `word` (folded) in a text with or without diacritics, any case:
    "da" -> "[dđDĐ][aàá…]". Every character is a letter or digit (`_WORDS`), escaped all the same."""
    return "".join(
        "[" + "".join(sorted(_VARIANTS[char])) + "]" if char in _VARIANTS else re.escape(char) for char in word
    )


def choice_search(queryset, label, query, *, extra=()):
    """The first CHOICES_SHOWN rows of `queryset` (in its order) whose `label` contains every folded word
    of `query`, as (rows, more): rows of (pk, label, *extra). Only letters and digits are compared (no NUL
    byte, no wildcard reaches the database); each word becomes a regular expression with the accented
    variants of its letters, matched on the stored column as it is (PostgreSQL `~`, SQLite's REGEXP that
    Django provides): no function of the column per row (translate() over every agency's name took ~0.7 s
    for 10,000 agencies)."""
    words = _WORDS.findall(fold(str(query)[:CHOICES_QUERY_LENGTH]))[:CHOICES_WORDS]
    for word in words:
        queryset = queryset.filter(**{f"{label}__regex": accent_pattern(word)})
    rows = list(queryset.values_list("pk", label, *extra)[: CHOICES_SHOWN + 1])
    return rows[:CHOICES_SHOWN], len(rows) > CHOICES_SHOWN


# A drop-down lists its choices as <option>s up to this many (the setting TYPEAHEAD_OVER overrides it, e.g. to see
# the type-ahead in the small demo); past it (a province's hundreds of communes and agencies, the site
# administrator's whole country) the <select> carries only the chosen value and becomes a type-ahead field over a
# JSON endpoint answered by `choices_response`: no page ships thousands of <option>s, whatever the scope.
TYPEAHEAD_OVER = 100


def typeahead_over():
    return getattr(settings, "TYPEAHEAD_OVER", TYPEAHEAD_OVER)


@dataclass(frozen=True)
class Choices:
    """What one drop-down offers: the rows of `queryset` (in its order, already limited to what the user may
    pick), shown by the column `label`; `text(label, *extra)` writes an option from it and the `extra` columns
    (e.g. a meeting's date). The form and its type-ahead endpoint read the same `Choices`, so the endpoint never
    offers what the form would refuse."""

    queryset: object
    label: str = "name"
    extra: tuple = ()
    text: object = None

    def rows(self, queryset=None):
        """(pk, text) rows of `queryset` (default: all of them)."""
        queryset = self.queryset if queryset is None else queryset
        rows = queryset.values_list("pk", self.label, *self.extra)
        if self.text is None:
            return [(pk, label) for pk, label, *_extra in rows]
        return [(pk, self.text(label, *extra)) for pk, label, *extra in rows]


def _chosen_ids(value):
    """The ids a form's value names ("12", 12, ["3", "4"], an instance...): digits only, at most 18 of them
    (a bigint), so no input can make the lookup fail."""
    values = value if isinstance(value, (list, tuple)) else [value]
    ids = []
    for item in values:
        item = getattr(item, "pk", item)
        text = str(item) if item is not None else ""
        if text.isdigit() and len(text) <= 18:
            ids.append(int(text))
    return ids[:CHOICES_SHOWN]


def typeahead_field(form, name, choices, url, *, empty=None, chosen_from=None, cache=None):
    """Offer the choices of `form`'s drop-down `name` as (id, text) rows (no model instance per option) read
    in one query of at most TYPEAHEAD_OVER + 1 rows; past TYPEAHEAD_OVER the <select> holds only the chosen
    value(s) (one more query) and becomes a type-ahead field over `url` (static/js/typeahead.js). The field's
    queryset still validates what is submitted. `empty`: the label of the empty choice (default: the field's
    `empty_label`; none for a multiple choice); `chosen_from`: where the chosen value is looked up when the field
    accepts more than it offers (default: `choices.queryset`); `cache`: a dict shared by the rows of a formset,
    so the list is read once for all of them. Returns whether the field became a type-ahead."""
    field = form.fields[name]
    if empty is None:
        empty = getattr(field, "empty_label", None)
    head = [("", empty)] if empty is not None and not getattr(field.widget, "allow_multiple_selected", False) else []
    over = typeahead_over()
    if cache is not None and url in cache:
        rows = cache[url]
    else:
        rows = choices.rows(choices.queryset[: over + 1])
        if cache is not None:
            cache[url] = rows
    if len(rows) <= over:
        field.widget.choices = head + rows
        return False
    ids = _chosen_ids(form[name].value())
    source = choices.queryset if chosen_from is None else chosen_from
    chosen = choices.rows(source.filter(pk__in=ids)) if ids else []
    if isinstance(field.widget, forms.CheckboxSelectMultiple):
        # Thousands of check boxes are no better than thousands of options: a multiple <select> of the
        # chosen ones, shown as removable chips beside the search box.
        field.widget = forms.SelectMultiple(attrs=field.widget.attrs)
    if field.widget.allow_multiple_selected:
        field.widget.attrs["data-typeahead-remove"] = _("Remove")
        field.widget.attrs["class"] = "form-select"
    field.widget.choices = head + chosen
    field.widget.attrs["data-typeahead"] = url
    field.widget.attrs["data-typeahead-none"] = _("Nothing matches")
    return True


def choices_response(request, choices):
    """The JSON answer of a type-ahead endpoint: `{"results": [{"id", "text"}], "more"}`, the first rows of
    `choices` whose label contains the words of `?q=`; 404 for a `choices` of None (an unknown name). Two
    queries at most (the rows, and none more: `choice_search` reads CHOICES_SHOWN + 1)."""
    if choices is None:
        raise Http404
    rows, more = choice_search(choices.queryset, choices.label, request.GET.get("q", ""), extra=choices.extra)
    results = []
    for pk, label, *extra in rows:
        results.append({"id": pk, "text": choices.text(label, *extra) if choices.text else label})
    return JsonResponse({"results": results, "more": more})
