"""Months read as offices write them: "tháng 01", never "tháng Một" / "Tháng 1", whichever date format names them."""

from datetime import date

from django.utils import dateformat, translation


def test_month_names_are_numbers_with_two_digits_in_vietnamese():
    with translation.override("vi"):
        assert dateformat.format(date(2024, 1, 31), "F") == "tháng 01"
        assert dateformat.format(date(2024, 1, 31), "E") == "tháng 01"
        assert dateformat.format(date(2024, 12, 31), "N") == "tháng 12"
        assert dateformat.format(date(2024, 1, 31), "j E Y") == "31 tháng 01 2024"
    with translation.override("en"):
        assert dateformat.format(date(2024, 1, 31), "F") == "January"
