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


def clean_text(text):
    """Text as it is stored and shown: NFC (one code point per accented letter, as Vietnamese keyboards
    differ: "ế" typed as e + two combining marks looks the same but neither compares nor counts the same),
    without surrounding spaces."""
    if not text:
        return ""
    return unicodedata.normalize("NFC", str(text)).strip()


_WORDS = re.compile(r"[^\W_]+")


def trigrams(text):
    """The trigrams PostgreSQL's pg_trgm takes from a text: each folded word padded with two spaces
    before and one after."""
    grams = set()
    for word in _WORDS.findall(fold(text)):
        padded = f"  {word} "
        grams.update(padded[index : index + 3] for index in range(len(padded) - 2))
    return grams


def trigram_similarity(first, second):
    """pg_trgm's `similarity()` in Python: shared trigrams over all trigrams of the two texts."""
    a, b = trigrams(first), trigrams(second)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
