"""Fixes made in the preview, applied on read: replace a value in a column, or skip its rows.

The uploaded file stays as it was; a job keeps its fixes as a list (``ImportJob.fixes``) and
every run of it (the preview, the confirm) reads the file through them, with every check:
a replacement that is wrong in turn is an error like any other. A fix names the action's
column and the cell's text as a person reads it (``cells.as_text``); it applies to every row
whose cell in that column is that text.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from . import messages
from .cells import as_text
from .readers import Table
from .results import RowError


@dataclass(frozen=True)
class Fix:
    column: str  # the action's column (a field name)
    value: str  # the cell's text in the file
    replacement: str | None  # None: skip the rows

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Fix":
        return cls(data["column"], data["value"], data.get("replacement"))


@dataclass
class Skipped:
    """The rows left out by skip fixes, counted on each pass over the file."""

    count: int = 0
    by_fix: dict[Fix, int] = field(default_factory=dict)


def fixed_table(
    table: Table, fixes: Sequence[Fix], columns: dict[str, int]
) -> tuple[Table, Skipped]:
    """``table`` read through ``fixes`` (``columns``: the action's column -> cell index); the
    fixes on a column the file does not have do nothing."""
    by_index: dict[int, dict[str, Fix]] = {}
    for fix in fixes:
        if fix.column in columns:
            by_index.setdefault(columns[fix.column], {})[fix.value] = fix
    skipped = Skipped()
    if not by_index:
        return table, skipped
    read = table.rows

    def rows() -> Iterator[tuple[int, list]]:
        skipped.count, skipped.by_fix = 0, {}
        for line, cells in read():
            fixed, skip = _apply(cells, by_index)
            if skip is not None:
                skipped.count += 1
                skipped.by_fix[skip] = skipped.by_fix.get(skip, 0) + 1
                continue
            yield line, fixed

    return replace(table, _rows=rows), skipped


def _apply(cells: list, by_index: dict[int, dict[str, Fix]]) -> tuple[list, Fix | None]:
    fixed = cells
    for index, fixes in by_index.items():
        if index >= len(cells):
            continue
        fix = fixes.get(as_text(cells[index]))
        if fix is None:
            continue
        if fix.replacement is None:
            return cells, fix
        if fixed is cells:
            fixed = list(cells)
        fixed[index] = fix.replacement
    return fixed, None


def skipped_warnings(skipped: Skipped) -> list[RowError]:
    """One warning per skip fix that left rows out."""
    found = []
    for fix, count in skipped.by_fix.items():
        message = messages.ROWS_SKIPPED_BY_FIX.format(
            count=count, column=fix.column, value=messages.shorten(fix.value)
        )
        found.append(RowError(None, message, fix.column, fix.value, level="WARNING"))
    return found
