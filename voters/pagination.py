"""Pagination of the petition list that costs about the same on page 1 and on the last page."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class IdsFirstPaginator(Paginator):
    """A `Paginator` that orders and skips ids only, then reads the rows of the one page.

    - Deferred join: the page's ids come from a narrow query (`SELECT id … ORDER BY … OFFSET … LIMIT 50`,
      an index-only scan of (unit, received_on, id) for the default order), and `fetch(ids)` reads those
      rows with their joins, in that order. OFFSET over the joined rows sorted every visible petition's
      full row (~44,000 rows, on disk) for a province's last page: ~300 ms at 1,000,000 petitions.
    - A page past the middle is read from the other end (the order reversed, reversed back in Python), so
      no page skips more than half of the rows: the last page skips none.
    - `cap`: the count stops at `cap` rows (`SELECT COUNT(*) FROM (SELECT id … LIMIT cap + 1)`), for a search:
      counting every match of a common word ("nghi" is in most petitions) read ~1,000,000 rows, and the
      former `COUNT(*) OVER ()` with the page made the planner walk the received-date index over all of
      them (~9 s at 1,000,000 petitions). Past the cap the page says "more than 1,000 results", offers the
      first `cap` rows (20 pages) and no longer reads from the end. Neither query depends on the planner
      guessing the number of matches right: both stop early when matches are many and start from the
      full-text index when they are few.

    `object_list` must be a queryset whose ordering is total (ends with the primary key), so that reading
    it backwards is the exact mirror of reading it forwards. `fetch(ids)` returns the rows in `ids` order.
    """

    def __init__(self, object_list, per_page, *, fetch, cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.fetch = fetch
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self):
        if self.cap is None:
            return super().count
        found = self.object_list.order_by().values("pk")[: self.cap + 1].count()
        self.capped = found > self.cap
        return min(found, self.cap)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self._ids(bottom, top)
        return self._get_page(self.fetch(ids) if ids else [], number, self)

    def _ids(self, bottom, top):
        ids = self.object_list.values_list("pk", flat=True)
        skipped_from_end = self.count - top
        if self.object_list.ordered and not self.capped and skipped_from_end < bottom:
            return list(ids.reverse()[skipped_from_end : self.count - bottom])[::-1]
        return list(ids[bottom:top])
