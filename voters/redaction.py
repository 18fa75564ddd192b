"""Personal data masked out of a petition's free text before it is shown to the public (pure functions).

The voter's name, address, phone and ID number are never published (they are separate fields the public pages do
not read); this step masks what a clerk typed *inside* the content or an agency wrote inside its answer. The rules,
applied in this order (tests/public/test_redaction.py holds each one):

1. e-mail addresses → "[email]";
2. phone numbers: a leading 0, +84, 0084 or 84, then 8 to 10 digits, with spaces, dots or dashes anywhere between
   the digits ("0905 123 456", "+84 905.123.456", "0236-3822-111") → "[số điện thoại]";
3. ID numbers: any run of 9 to 12 digits, contiguous or grouped by spaces (CMND 9, CCCD 12, "001 234 567 890")
   → "[số giấy tờ]". Digits grouped by dots ("150.000.000 đồng") are amounts and stay;
4. house addresses: "số nhà 12A", "nhà số 5/2", "số 12 đường …", "ngõ 12", "ngách 3", "hẻm 4/7", "kiệt 45"
   → "[địa chỉ]" (the street's name, a public place, stays);
5. names after a title or a role ("ông", "bà", "anh", "chị", "cụ", "em", "chú", "cô", "bác", "cử tri", "hộ",
   "gia đình", "đồng chí"): the 1 to 4 capitalised syllables that follow → "[họ tên]" (the title stays);
6. a sequence of 2 to 4 capitalised syllables starting with a Vietnamese family name (Nguyễn, Trần, Lê, …),
   unless it follows a place word (đường Lê Duẩn, phường Hải Châu, trường Lê Quý Đôn) → "[họ tên]".

Over-masking is the safe side: a street named after a person without "đường" before it is masked as a name.
"""

import re
import unicodedata

EMAIL = "[email]"
PHONE = "[số điện thoại]"
ID_NUMBER = "[số giấy tờ]"
ADDRESS = "[địa chỉ]"
NAME = "[họ tên]"


def _letters(predicate):
    return "".join(
        chr(code)
        for code in range(0x41, 0x1EFA)
        if predicate(chr(code)) and unicodedata.name(chr(code), "").startswith("LATIN")
    )


_UPPER = _letters(str.isupper)
_LOWER = _letters(str.islower)
# One syllable of a name: capitalised ("Nguyễn") or all capitals ("NGUYỄN").
_SYLLABLE = rf"(?:[{_UPPER}](?:[{_LOWER}]+|[{_UPPER}]+)?)(?![{_UPPER}{_LOWER}\d])"

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_RE = re.compile(r"(?<![\w+])(?<!\d[\s.\-])(?:\+84|0084|84|0)[\s.\-]?\d(?:[\s.\-]?\d){7,9}(?![\s.\-]?\d)")
_ID_RE = re.compile(r"(?<![\d.,])(?<!\d )\d(?: ?\d){8,11}(?! ?\d)(?![.,]\d)")
_ADDRESS_RE = re.compile(
    r"(?i:\b(?:số\s+nhà|nhà\s+số|ngõ|ngách|hẻm|kiệt)\s*:?\s*\d+[\w]*(?:\s*/\s*\d+\w*)*"
    r"|\bsố\s+\d+\w*(?:\s*/\s*\d+\w*)*(?=\s*,?\s*(?:đường|phố|ngõ|ngách|hẻm|kiệt)\b))"
)
_TITLES = r"ông|bà|anh|chị|cụ|em|chú|cô|bác|cháu|cử\s+tri|đồng\s+chí|gia\s+đình|hộ\s+ông|hộ\s+bà|hộ\s+gia\s+đình|hộ"
_TITLED_NAME_RE = re.compile(rf"(?<![{_UPPER}{_LOWER}])((?i:{_TITLES})\s+)({_SYLLABLE}(?:\s+{_SYLLABLE}){{0,3}})")


def _words(text):
    return text.split()


SURNAMES = tuple(
    _words(
        "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đinh Lâm Mai Trịnh Trương Lương "
        "Cao Hà Tạ Lưu Chu Châu Quách Tôn Thái Kiều Đoàn Vương Tăng Lò Hứa Phùng Triệu Khúc Mạc Doãn Lục Nông Giang "
        "Âu Diệp Thân Từ Tống Kim Hầu Mạnh Quan Vi Đàm Lã Lữ Ninh Tô Trang Viên Khổng Ông Bế Đồng Nghiêm"
    )
)
_SURNAME_ALT = "|".join(sorted({*SURNAMES, *(name.upper() for name in SURNAMES)}, key=len, reverse=True))
_BARE_NAME_RE = re.compile(rf"(?<![{_UPPER}{_LOWER}])(?:{_SURNAME_ALT})(?![{_UPPER}{_LOWER}])(?:\s+{_SYLLABLE}){{1,3}}")
# Words before which a capitalised sequence is a place or an institution, not a person.
_PLACE_WORDS = set(
    _words(
        "đường phố phường xã quận huyện tỉnh thị trấn thành thôn ấp bản làng xóm khu tổ cầu chợ trường bệnh viện "
        "sông hồ núi kênh đập ngõ hẻm kiệt ngách công quảng đại lộ trạm trung tâm tế nhà văn hóa đình chùa"
    )
)
# Names of places and institutions that begin with a family name ("Hà Nội", "Đoàn ĐBQH"): never masked.
_KNOWN_NOT_PERSONS = re.compile(
    r"(?:Hà (?:Nội|Tĩnh|Giang|Nam|Đông)|Hồ Chí Minh|Lâm Đồng|Cao Bằng|Thái (?:Nguyên|Bình)|Kiên Giang|"
    r"Đoàn (?:ĐBQH|Đại [Bb]iểu|Thanh [Nn]iên|Luật)|Hồ Gươm|Hồ Tây)(?![{lower}])".replace("{lower}", _LOWER)
)
# Capitalised words that begin an administrative name rather than a person's ("cử tri Phường Hải Châu").
_NOT_NAMES = set(
    _words(
        "phường xã thôn tổ khu quận huyện tỉnh thành thị đường phố ấp bản làng xóm sở ban ủy hội đoàn trường bệnh "
        "công trung nhà ubnd hđnd mttq"
    )
)


def _previous_word(text, start):
    before = text[:start].rstrip()
    match = re.search(r"(\w+)$", before)
    return match.group(1).lower() if match else ""


def _mask_titled(match):
    title, name = match.group(1), match.group(2)
    if name.split()[0].lower() in _NOT_NAMES:
        return match.group(0)
    return f"{title}{NAME}"


def _mask_bare(text):
    def replace(match):
        before = text[: match.start()].rstrip()
        if _KNOWN_NOT_PERSONS.match(match.group(0)):
            return match.group(0)
        if before.endswith(ADDRESS) or _previous_word(text, match.start()) in _PLACE_WORDS:
            return match.group(0)
        return NAME

    return _BARE_NAME_RE.sub(replace, text)


def redact(text):
    """`text` with the personal data it mentions masked (see the module's rules). Idempotent."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    text = _EMAIL_RE.sub(EMAIL, text)
    text = _PHONE_RE.sub(PHONE, text)
    text = _ID_RE.sub(ID_NUMBER, text)
    text = _ADDRESS_RE.sub(ADDRESS, text)
    text = _TITLED_NAME_RE.sub(_mask_titled, text)
    return _mask_bare(text)
