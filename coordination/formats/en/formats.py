"""English interface, Vietnamese office dates: dd/mm/yyyy is kept in both languages."""

from coordination.formats.vi.formats import (  # noqa: F401
    DATE_FORMAT,
    DATE_INPUT_FORMATS,
    DATETIME_FORMAT,
    DATETIME_INPUT_FORMATS,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
)

FIRST_DAY_OF_WEEK = 1
