"""Accent-insensitive text: what search compares ("tiep xuc cu tri" finds "tiếp xúc cử tri")."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text):
    """Lower case, without Vietnamese diacritics (đ → d), single spaces.

    NFKC first, so full-width letters ("ｔｉｅｐ"), compatibility forms and composed or decomposed
    accents all fold to the same plain text, for the stored search text and the query alike."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", str(text)).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


def search_terms(query):
    """The folded words of a search box entry."""
    return [word for word in fold(query).split(" ") if word]
