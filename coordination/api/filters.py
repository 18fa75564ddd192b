"""The query parameters of the read API, parsed strictly: a bad value answers 400 with the reason, never 500."""

import datetime
import re

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

MAX_LENGTH = 64
YEARS = range(1900, 3000)
# "+07:00" written unencoded in a query string arrives as " 07:00".
_SPACED_OFFSET = re.compile(r"^(.*\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


def parse_moment(value):
    """An ISO 8601 date-time (or a date: its midnight, local time), aware; None if `value` is not one."""
    if not isinstance(value, str) or len(value) > MAX_LENGTH:
        return None
    value = _SPACED_OFFSET.sub(r"\1+\2", value.strip())
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            moment = datetime.datetime.combine(day, datetime.time.min) if day is not None else None
    except ValueError:  # well formed, impossible (a 13th month)
        return None
    if moment is None or moment.year not in YEARS:  # far years overflow when shifted to UTC
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def updated_since_filter(queryset, params):
    """Rows changed at or after `updated_since` (inclusive: a client resuming from the last `updated_at` it saw
    gets that row again rather than missing a row changed in the same microsecond)."""
    raw = params.get("updated_since")
    if raw is None or raw == "":
        return queryset
    moment = parse_moment(raw)
    if moment is None:
        raise ValidationError({"updated_since": [_("Enter an ISO 8601 date-time, e.g. 2026-12-01T08:00:00+07:00.")]})
    return queryset.filter(updated_at__gte=moment)
