"""What the Excel imports share (voters/importing.py for petitions, charters/importing.py for work-programme items):
the report of an all-or-nothing import, row by row, and the dd/mm/yyyy date typed as text."""

import re
from dataclasses import dataclass, field

MAX_ERRORS = 200  # listed row by row; more are counted
TEXT_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)  # the cleaned fields, one dict per row
    errors: list = field(default_factory=list)  # (row number or None, column header or "", message)
    created: list = field(default_factory=list)
    more_errors: int = 0

    def error(self, row, column, message):
        if len(self.errors) >= MAX_ERRORS:
            self.more_errors += 1
            return
        self.errors.append((row, column, str(message)))

    @property
    def ok(self):
        return not self.errors
