"""How the rows of a job page read: what a new row will write, what an update changes.

``ImportJobRow.changes`` is stored for speed, in the database's terms: a new row's values as a
flat list in ``fields.STORED_FIELDS`` order (``jobs.written_text``), an update's
``[[field, old, new], ...]`` named by the model's fields (``duration_minutes``), times in ISO
8601. The page names the file's columns instead (``interventionDuration``,
``fields.FILE_COLUMNS``) and shows times in the site's time zone (Django's ``TIME_ZONE``) as the
page's language writes them (``shown_moments``: ``10/03/2027 09:00`` in French, ``03/10/2027
09:00`` in English), durations in hours as the export writes them (``1.5``, ``0:50``).
Only the rows of one page are shaped (``PAGE_SIZE`` at most). Reading only.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from django.utils.translation import pgettext_lazy

from imports.conf import site_zone
from imports.jobs.models import ImportJobRow
from imports.parsing.durations import hours_text
from imports.parsing.fields import DURATION_FIELDS, FILE_COLUMNS, STORED_FIELDS
from imports.parsing.moments import stored_moment
from imports.parsing.shown_moments import moment_text

from .conflicts import RowConflict

TIME_FIELDS = frozenset(f.name for f in STORED_FIELDS if f.moment)
WRITTEN = tuple((f.name, f.column) for f in STORED_FIELDS)
# A row's outcome in the page's language (the stored value stays the code).
OUTCOME_LABELS = {
    "new": pgettext_lazy("row outcome", "new"),
    "updated": pgettext_lazy("row outcome", "updated"),
    "unchanged": pgettext_lazy("row outcome", "unchanged"),
    "error": pgettext_lazy("row outcome", "error"),
}


def outcome_label(outcome: str) -> str:
    return str(OUTCOME_LABELS.get(outcome, outcome))


@dataclass(frozen=True)
class ShownRow:
    """One row as its page shows it: (column, value) a new row writes, (column, old, new) an
    update changes."""

    line: int
    guid: str
    outcome: str
    values: list[tuple[str, str]]
    changes: list[tuple[str, str, str]]
    conflict: RowConflict | None = None  # its schedule conflicts, marked in the table

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome)


def shown_rows(
    rows: Iterable[ImportJobRow],
    zone: ZoneInfo | None = None,
    *,
    conflicts: Mapping[int, RowConflict] | None = None,
) -> list[ShownRow]:
    """The rows of a page, with their values and changes as a person reads them, and each
    row's schedule conflicts (``conflicts.row_conflicts``) when given."""
    zone = zone or site_zone()
    marks = conflicts or {}
    return [replace(_shown(row, zone), conflict=marks.get(row.line)) for row in rows]


def shown_value(field: str, value: object, zone: ZoneInfo) -> str:
    """A stored value as the page shows it: a time in ``zone`` as the language writes it."""
    if value is None:
        return ""
    if field in TIME_FIELDS:
        moment = stored_moment(value)
        return str(value) if moment is None else moment_text(moment.astimezone(zone))
    if field in DURATION_FIELDS and str(value).isdigit():
        return hours_text(int(str(value)))
    return str(value)


def _shown(row: ImportJobRow, zone: ZoneInfo) -> ShownRow:
    stored = row.changes or []
    values: list[tuple[str, str]] = []
    changes: list[tuple[str, str, str]] = []
    if row.outcome == "new" and len(stored) == len(WRITTEN):
        values = [
            (column, shown_value(name, value, zone))
            for (name, column), value in zip(WRITTEN, stored, strict=True)
        ]
    elif row.outcome == "updated":
        changes = [
            (
                FILE_COLUMNS.get(name, name),
                shown_value(name, old, zone),
                shown_value(name, new, zone),
            )
            for name, old, new in stored
        ]
    return ShownRow(row.line, row.guid, row.outcome, values, changes)
