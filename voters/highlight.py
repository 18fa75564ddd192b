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
    `words` or begins with the last one when it is a prefix (what the full-text search matches on
    PostgreSQL: `voters.selectors.search_prefix`), or contains one (SQLite's search). Every piece of `text`
    is escaped by format_html_join; nothing is marked safe by hand."""
    if not words or not text:
        return text
    anywhere = connection.vendor != "postgresql"
    prefix = search_prefix(words)
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
