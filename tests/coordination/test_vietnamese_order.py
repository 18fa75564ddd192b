"""Vietnamese alphabetical order (`coordination.text.vietnamese_sort_key`): "Đ" right after "D", never after "Y"."""

import random

import pytest

from coordination.models import AdministrativeUnit, UnitLevel
from coordination.text import vietnamese_sort_key, vietnamese_sorted
from coordination.units import units_sorted

PROVINCES_IN_ORDER = [
    "An Giang",
    "Bắc Ninh",
    "Cà Mau",
    "Cao Bằng",
    "Thành phố Đà Nẵng",  # among the Đ names, by its proper name
    "Đắk Lắk",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Tĩnh",
    "Thành phố Hải Phòng",
    "Thành phố Hồ Chí Minh",
    "Thành phố Huế",
    "Hưng Yên",
    "Ninh Bình",
    "Quảng Ngãi",
    "Thanh Hóa",
    "Tuyên Quang",
    "Vĩnh Long",
    "Yên Bái",
]


def test_the_alphabet_is_vietnamese():
    letters = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")
    shuffled = letters[:]
    random.Random(7).shuffle(shuffled)
    assert vietnamese_sorted(shuffled) == letters
    assert vietnamese_sorted([letter.upper() for letter in shuffled]) == [letter.upper() for letter in letters]


def test_the_d_names_come_before_the_đ_names_and_those_before_e():
    names = ["Yên Bái", "Đồng Tháp", "Điện Biên", "Dĩ An", "Đà Nẵng", "Eakar", "Đắk Lắk", "Duy Xuyên", "Đồng Nai"]
    assert vietnamese_sorted(names) == [
        "Dĩ An",
        "Duy Xuyên",
        "Đà Nẵng",
        "Đắk Lắk",
        "Điện Biên",
        "Đồng Nai",
        "Đồng Tháp",
        "Eakar",
        "Yên Bái",
    ]


def test_tone_marks_only_break_ties_in_the_dictionarys_order():
    assert vietnamese_sorted(["Bạ", "Bá", "Ba 2", "Bã", "Bả", "Bà", "Ba", "Bac"]) == [
        "Ba",
        "Bà",
        "Bả",
        "Bã",
        "Bá",
        "Bạ",
        "Ba 2",
        "Bac",
    ]


def test_numbers_by_value_spaces_first_and_any_normal_form():
    assert vietnamese_sorted(["Phường 10", "Phường An Lạc", "Phường 2", "Phường 1"]) == [
        "Phường 1",
        "Phường 2",
        "Phường 10",
        "Phường An Lạc",
    ]
    assert vietnamese_sorted(["Anh Sơn", "An Giang"]) == ["An Giang", "Anh Sơn"]
    decomposed = "D\u0300a\u0300 Na\u0306\u0303ng".replace("D\u0300", "Đ")  # typed with combining marks
    assert vietnamese_sort_key(decomposed)[:2] == vietnamese_sort_key("Đà Nẵng")[:2]


@pytest.mark.parametrize("text", ["", None, "\u0301", "!?", "𝔄", "ß", "İ"])
def test_any_text_has_a_key(text):
    assert vietnamese_sorted([text, "a"], key=lambda value: value or "")


@pytest.mark.django_db
def test_units_sort_by_their_proper_name():
    shuffled = PROVINCES_IN_ORDER[:]
    random.Random(3).shuffle(shuffled)
    for index, name in enumerate(shuffled):
        AdministrativeUnit.objects.create(code=f"X{index:02d}", name=name, level=UnitLevel.PROVINCE)
    names = [unit.name for unit in units_sorted(AdministrativeUnit.objects.filter(code__startswith="X"))]
    assert names == PROVINCES_IN_ORDER


@pytest.mark.django_db
def test_the_meeting_lists_unit_filter_is_in_vietnamese_order(site_admin):
    from meetings.forms import MeetingFilterForm
    from tests.factories import AgencyFactory
    from tests.meetings.factories import MeetingFactory

    names = ["Tỉnh Yên Bái", "Thành phố Đà Nẵng", "Tỉnh Điện Biên", "Tỉnh Cao Bằng", "Tỉnh Đắk Lắk"]
    for index, name in enumerate(names):
        unit = AdministrativeUnit.objects.create(code=f"M{index}", name=name, level=UnitLevel.PROVINCE)
        MeetingFactory(host_agency=AgencyFactory(unit=unit))
    offered = [label for value, label in MeetingFilterForm(user=site_admin).fields["unit"].widget.choices if value]
    assert offered == ["Tỉnh Cao Bằng", "Thành phố Đà Nẵng", "Tỉnh Đắk Lắk", "Tỉnh Điện Biên", "Tỉnh Yên Bái"]
