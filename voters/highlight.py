"""The searched words marked in a petition's text (`<mark>`), the text itself escaped."""

import re

from django.db import connection
from django.utils.html import format_html, format_html_join

from coordination.text import fold

from .selectors import search_prefix

# A word as written: letters, digits and combining accents (decomposed input), no underscore.
_WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")


def highlighted(text, words):
    """`text` with each word the search matched in `<mark>`: a word whose folded form is one of the folded
    `words` or, when the last one is not a word of the text, begins with it (what the full-text search
    matches on PostgreSQL: `voters.selectors.petition_search`), or contains one (SQLite's search). Every piece of `text`
    is escaped by format_html_join; nothing is marked safe by hand."""
    if not words or not text:
        return text
    anywhere = connection.vendor != "postgresql"
    prefix = search_prefix(words)
    if prefix and prefix in {fold(match.group()) for match in _WORD.finditer(text)}:
        prefix = None  # found as a whole word: the search matched whole words (voters.selectors.petition_search)
    pieces, last = [], 0
    for match in _WORD.finditer(text):
        folded = fold(match.group())
        if (
            folded in words
            or (prefix and folded.startswith(prefix))
            or (anywhere and any(word in folded for word in words))
        ):
            pieces.append(text[last : match.start()])
            pieces.append(format_html("<mark>{}</mark>", match.group()))
            last = match.end()
    if not last:
        return text
    pieces.append(text[last:])
    return format_html_join("", "{}", ((piece,) for piece in pieces))
