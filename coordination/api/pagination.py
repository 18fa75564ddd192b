"""Cursor pagination of the read API, ordered for incremental sync: oldest change first."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

from .filters import parse_moment


class UpdatedCursorPagination(CursorPagination):
    """Pages ordered by (updated_at, id): a client keeps the last `updated_at` it saw and asks again with
    `updated_since` to get what changed since. The cursor is opaque; a tampered one answers 404, never 500."""

    ordering = ("updated_at", "id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    invalid_cursor_message = _("Invalid cursor.")

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        # DRF passes the position to `.filter(updated_at__gt=position)`; a forged, unparsable one would fail
        # in the query (a 500), so it is checked here first, and passed on as the aware moment it names.
        moment = parse_moment(cursor.position)
        if moment is None:
            raise NotFound(self.invalid_cursor_message)
        return cursor._replace(position=moment.isoformat())
