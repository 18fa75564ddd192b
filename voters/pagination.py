"""Pagination of the petition list that costs about the same on page 1 and on the last page."""

from django.core.paginator import Paginator
from django.db import models
from django.utils.functional import cached_property

# The columns an order may sort on for `ids_to_cap` to sort the ids in Python exactly as PostgreSQL does: dates and
# integers (no collation), NULLs last ascending and first descending (PostgreSQL's default).
_SORTABLE_IN_PYTHON = (models.DateField, models.IntegerField, models.AutoField, models.BigAutoField)


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

    - `ids_to_cap` (with `cap`): the capped count reads the matching ids with their order's columns (`SELECT id,
      received_on … LIMIT cap + 1`, the plan of the count) instead of counting them; when there are no more than
      `cap`, they are every page's ids, sorted here, and no second query finds the matches again for the page
      (for a search, each a walk of the full-text index: about half of a selective search's SQL at 1,000,000
      petitions). Past the cap the page's ids are read in order as before. One query reading the ordered ids up
      to the cap was tried and rejected: with `LIMIT 1001` the planner chose plans 10-40x slower for a common
      word. Only orders on dates and integers are sorted here (no collation to mirror); other orders count.

    `object_list` must be a queryset whose ordering is total (ends with the primary key), so that reading
    it backwards is the exact mirror of reading it forwards. `fetch(ids)` returns the rows in `ids` order.
    """

    def __init__(self, object_list, per_page, *, fetch, cap=None, ids_to_cap=False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.fetch = fetch
        self.cap = cap
        self.capped = False
        self.ids_to_cap = bool(cap) and ids_to_cap
        self._all_ids = None

    @cached_property
    def count(self):
        if self.cap is None:
            return super().count
        order = self._python_order() if self.ids_to_cap else None
        if order is not None:
            columns = [name for name, _descending in order]
            rows = list(self.object_list.order_by().values_list("pk", *columns)[: self.cap + 1])
            if len(rows) <= self.cap:
                directions = [descending for _name, descending in order]
                rows.sort(key=lambda row: tuple(map(_sort_key, row[1:], directions)))
                self._all_ids = [row[0] for row in rows]
                return len(rows)
            self.capped = True
            return self.cap
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

    def _python_order(self):
        """The queryset's order as [(column, descending)] when every column sorts in Python as in SQL, else None."""
        query = self.object_list.query
        if not query.order_by or query.extra_order_by:
            return None
        model, order = self.object_list.model, []
        for item in query.order_by:
            if not isinstance(item, str):
                return None
            name = item.removeprefix("-")
            try:
                field = model._meta.pk if name == "pk" else model._meta.get_field(name)
            except Exception:  # noqa: BLE001 - an annotation or a related path: not sorted here
                return None
            exact = isinstance(field, _SORTABLE_IN_PYTHON) and not isinstance(field, models.DateTimeField)
            if not exact or field.is_relation:
                return None
            order.append((field.attname, item.startswith("-")))
        return order

    def _ids(self, bottom, top):
        if self._all_ids is not None:
            return self._all_ids[bottom:top]
        ids = self.object_list.values_list("pk", flat=True)
        skipped_from_end = self.count - top
        if self.object_list.ordered and not self.capped and skipped_from_end < bottom:
            return list(ids.reverse()[skipped_from_end : self.count - bottom])[::-1]
        return list(ids[bottom:top])


def _sort_key(value, descending):
    """One column's key in an ascending Python sort that gives PostgreSQL's `ORDER BY column [DESC]`."""
    if value is None:
        return (0, 0) if descending else (1, 0)  # NULLS FIRST descending, NULLS LAST ascending
    number = value.toordinal() if hasattr(value, "toordinal") else value
    return (1, -number) if descending else (0, number)
