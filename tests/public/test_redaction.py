"""The redaction rules (voters/redaction.py), one by one, and a generated check that no name, phone or ID number
typed into a petition survives it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voters.redaction import _KNOWN_NOT_PERSONS, ADDRESS, EMAIL, ID_NUMBER, NAME, PHONE, SURNAMES, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Names after a title or a role; the title stays.
        ("Ông Nguyễn Văn An kiến nghị", f"Ông {NAME} kiến nghị"),
        ("cử tri Trần Thị Bích Ngọc phản ánh", f"cử tri {NAME} phản ánh"),
        ("theo ý kiến của anh Hùng", f"theo ý kiến của anh {NAME}"),
        ("bà LÊ THỊ HOA đề nghị", f"bà {NAME} đề nghị"),
        ("hộ gia đình Phạm Văn Tư bị ảnh hưởng", f"hộ gia đình {NAME} bị ảnh hưởng"),
        # A bare name that starts with a family name.
        ("Nguyễn Văn Bình phản ánh", f"{NAME} phản ánh"),
        # Phones in the usual ways of writing them.
        ("gọi 0905123456 nhé", f"gọi {PHONE} nhé"),
        ("SĐT: 0905 123 456.", f"SĐT: {PHONE}."),
        ("số 0905.123.456", f"số {PHONE}"),
        ("liên hệ +84 905 123 456", f"liên hệ {PHONE}"),
        ("máy bàn 0236-3822-111", f"máy bàn {PHONE}"),
        # ID numbers: CMND (9 digits), CCCD (12), grouped by spaces.
        ("CMND 201234567", f"CMND {ID_NUMBER}"),
        ("CCCD số 048090001234", f"CCCD số {ID_NUMBER}"),
        ("CCCD 048 090 001 234", f"CCCD {ID_NUMBER}"),
        # E-mail addresses.
        ("thư gửi an.nguyen+kn@gmail.com", f"thư gửi {EMAIL}"),
        # House addresses: the number goes, the street (a public place) stays.
        ("số nhà 12A/3 đường Phan Châu Trinh", f"{ADDRESS} đường Phan Châu Trinh"),
        ("nhà số 5 kiệt 45", f"{ADDRESS} {ADDRESS}"),
        ("số 12 đường Lê Lợi", f"{ADDRESS} đường Lê Lợi"),
    ],
)
def test_each_rule_masks_what_it_names(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Đề nghị sửa chữa tuyến đường Lê Duẩn đoạn qua phường Hải Châu",
        "UBND thành phố Hà Nội và Đoàn ĐBQH tỉnh Thanh Hóa",
        "Quyết định số 1234/QĐ-UBND ngày 12/10/2025, kinh phí 150.000.000 đồng",
        "bà con thôn 3 đề nghị; cụ thể là nâng cấp trường Lê Quý Đôn",
        "cử tri Phường Hải Châu đề nghị",
        "năm 2025 có 12 hộ dân, 3 tổ dân phố",
    ],
)
def test_public_facts_are_kept(text):
    assert redact(text) == text


def test_redaction_is_idempotent_and_takes_nothing():
    text = "Ông Nguyễn Văn An, SĐT 0905 123 456, CCCD 048090001234, số nhà 12 đường Lê Lợi"
    assert redact(redact(text)) == redact(text)
    assert redact("") == "" and redact(None) == ""


# --- generated personal data ------------------------------------------------------------------------------

GIVEN = [
    "Văn",
    "Thị",
    "Minh",
    "Hữu",
    "Đức",
    "Ngọc",
    "Thanh",
    "Quốc",
    "Xuân",
    "Bảo",
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hạnh",
    "Hùng",
    "Lan",
    "Mai",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Thảo",
    "Trang",
    "Tuấn",
    "Yến",
    "Ánh",
    "Đạt",
]
TITLES = ["ông", "bà", "anh", "chị", "cụ", "em", "cử tri", "Ông", "Bà", "Cử tri"]

# A person named like a place the redaction keeps on purpose ("Thái Bình", "Hà Nam": voters.redaction's
# _KNOWN_NOT_PERSONS) cannot be told from the place without a title: such names are left out of the generator.
names = st.builds(
    lambda surname, given: " ".join([surname, *given]),
    st.sampled_from([name for name in SURNAMES if name not in ("Ông",)]),
    st.lists(st.sampled_from(GIVEN), min_size=1, max_size=3),
).filter(lambda name: not _KNOWN_NOT_PERSONS.match(name))
phones = st.builds(
    lambda prefix, digits, separator: prefix + separator.join([digits[:3], digits[3:6], digits[6:]]),
    st.sampled_from(["0", "+84 ", "+84", "84"]),
    st.text(alphabet="0123456789", min_size=9, max_size=9).filter(lambda d: d[0] != "0"),
    st.sampled_from(["", " ", ".", "-"]),
)
ids = st.one_of(
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.text(alphabet="0123456789", min_size=12, max_size=12),
    st.text(alphabet="0123456789", min_size=12, max_size=12).map(lambda d: " ".join([d[:3], d[3:6], d[6:9], d[9:]])),
)
TEMPLATES = [
    "{title} {name} (SĐT {phone}, CCCD {id}) phản ánh đường Lê Duẩn xuống cấp.",
    "{name} kiến nghị sửa chữa cống thoát nước; liên hệ {phone}; CMND {id}.",
    "Theo {title} {name}, số điện thoại {phone}, giấy tờ {id}, cần nạo vét kênh.",
]


def personal_content():
    return st.builds(
        lambda template, title, name, phone, id_number: (
            template.format(title=title, name=name, phone=phone, id=id_number),
            name,
            phone,
            id_number,
        ),
        st.sampled_from(TEMPLATES),
        st.sampled_from(TITLES),
        names,
        phones,
        ids,
    )


def digits(text):
    return "".join(ch for ch in text if ch.isdigit())


def survivors(output, name, phone, id_number):
    """What of the personal data can still be read in `output`."""
    left = []
    if name in output:
        left.append(name)
    packed = digits(output)
    for value in (phone, id_number):
        if digits(value)[-9:] in packed:
            left.append(value)
    return left


@settings(max_examples=300, deadline=None)
@given(personal_content())
def test_no_generated_name_phone_or_id_survives(case):
    text, name, phone, id_number = case
    assert survivors(redact(text), name, phone, id_number) == []
