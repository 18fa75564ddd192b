"""Pagination of the petition list that costs about the same on page 1 and on the last page."""

from django.core.paginator import Paginator
from django.db.models import Count, Window


class IdsFirstPaginator(Paginator):
    """A `Paginator` that orders and skips ids only, then reads the rows of the one page.

    - Deferred join: the page's ids come from a narrow query (`SELECT id … ORDER BY … OFFSET … LIMIT 50`,
      an index-only scan of (unit, received_on, id) for the default order), and `fetch(ids)` reads those
      rows with their joins, in that order. OFFSET over the joined rows sorted every visible petition's
      full row (~44,000 rows, on disk) for a province's last page: ~300 ms at 1,000,000 petitions.
    - A page past the middle is read from the other end (the order reversed, reversed back in Python), so
      no page skips more than half of the rows: the last page skips none.
    - `count_with_page`: the total comes with the page's ids (`COUNT(*) OVER ()`) in one query, so a
      search's trigram scan runs once rather than once for the count and once for the page. An
      out-of-range page then costs one more query (the plain count) before falling back to the last page.

    `object_list` must be a queryset whose ordering is total (ends with the primary key), so that reading
    it backwards is the exact mirror of reading it forwards. `fetch(ids)` returns the rows in `ids` order.
    """

    def __init__(self, object_list, per_page, *, fetch, count_with_page=False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.fetch = fetch
        self.count_with_page = count_with_page
        self._ids_of_page = {}

    def get_page(self, number):
        if self.count_with_page and "count" not in self.__dict__:
            self._read_page_with_count(number)
        return super().get_page(number)

    def _read_page_with_count(self, number):
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        if wanted < 1:
            return
        bottom = (wanted - 1) * self.per_page
        rows = list(
            self.object_list.annotate(_total=Window(Count("pk"))).values_list("pk", "_total")[
                bottom : bottom + self.per_page
            ]
        )
        if rows:
            self.count = rows[0][1]  # sets the cached_property: no COUNT query follows
            self._ids_of_page[wanted] = [pk for pk, _total in rows]

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self._ids_of_page.get(number)
        if ids is None:
            ids = self._ids(bottom, top)
        return self._get_page(self.fetch(ids) if ids else [], number, self)

    def _ids(self, bottom, top):
        ids = self.object_list.values_list("pk", flat=True)
        skipped_from_end = self.count - top
        if self.object_list.ordered and skipped_from_end < bottom:
            return list(ids.reverse()[skipped_from_end : self.count - bottom])[::-1]
        return list(ids[bottom:top])
