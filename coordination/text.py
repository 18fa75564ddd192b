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


# Vietnamese alphabetical order: a ă â b c d đ e ê … o ô ơ … u ư …, the tone marks only breaking ties, in the
# dictionaries' order (none, huyền, hỏi, ngã, sắc, nặng). Code point order (and PostgreSQL's "C" or en_US
# collations) put "Đ" after "Y"; this key needs no ICU collation on the database and answers the same on SQLite.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: 100 + index for index, letter in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền, hỏi, ngã, sắc, nặng
# A base letter and the combining mark that makes it another letter of the alphabet (breve, circumflex, horn).
_MODIFIED = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô"}
_MODIFIED.update({("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"})


def vietnamese_sort_key(text):
    """A sort key putting texts in Vietnamese alphabetical order: "Đà Nẵng" right after the D words, "Ă" after
    "A"; first by letters (đ after d, ơ after ô), then by tone marks, then as written (case). Spaces come before
    letters ("An Giang" before "Anh"), numbers by their value ("Phường 2" before "Phường 10"), then letters,
    other characters last."""
    text = str(text or "")
    letters, tones = [], []
    for char in unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text)):
        if unicodedata.category(char) == "Mn":
            if not letters:
                continue
            if char in _TONES:
                tones[-1] = _TONES[char]
            elif (letters[-1][2], char) in _MODIFIED:
                letter = _MODIFIED[(letters[-1][2], char)]
                letters[-1] = (_RANK[letter], 0, letter)
            continue
        lower = char.lower()
        if lower in _RANK:
            letters.append((_RANK[lower], 0, lower))
        elif char.isspace():
            if letters and letters[-1][0] == 0:
                continue  # runs of spaces count as one
            letters.append((0, 0, " "))
        elif char in "0123456789":
            if letters and letters[-1][0] == 1:
                letters[-1] = (1, letters[-1][1] * 10 + int(char), "")
                continue
            letters.append((1, int(char), ""))
        else:
            letters.append((200 + ord(lower), 0, lower))
        tones.append(0)
    return tuple(rank[:2] for rank in letters), tuple(tones), text


def vietnamese_sorted(items, key=str):
    """`items` in Vietnamese alphabetical order of `key(item)`: for the short lists people read through (the 34
    provinces, a province's communes, a unit's agencies), sorted in Python."""
    return sorted(items, key=lambda item: vietnamese_sort_key(key(item)))
