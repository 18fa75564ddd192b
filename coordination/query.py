"""Reading query parameters: a value no page can use (not a number, out of range, not a date) reads as None,
so the page shows its default instead of failing (dates are built from years; ids go into bigint columns)."""

import datetime

MIN_YEAR, MAX_YEAR = 1900, 2999
BIGINT_MAX = 2**63 - 1


def query_int(value, *, minimum=-BIGINT_MAX, maximum=BIGINT_MAX):
    """An integer within [minimum, maximum], else None."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if minimum <= number <= maximum else None


def query_id(value):
    """A primary key: a positive integer a bigint column can hold, else None."""
    return query_int(value, minimum=1)


def query_year(value):
    return query_int(value, minimum=MIN_YEAR, maximum=MAX_YEAR)


def query_date(value):
    """An ISO date (yyyy-mm-dd) between MIN_YEAR and MAX_YEAR, else None."""
    try:
        day = datetime.date.fromisoformat(str(value or ""))
    except ValueError:
        return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def date_bounds():
    """Validators for a filter form's DateField: a date the page can step a day or a month from."""
    from django.core.validators import MaxValueValidator, MinValueValidator

    return [MinValueValidator(datetime.date(MIN_YEAR, 1, 1)), MaxValueValidator(datetime.date(MAX_YEAR, 12, 31))]
