"""Fixes made in the preview, applied on read: replace a value in a column, or skip its rows.

The uploaded file stays as it was; a job keeps its fixes as a list (``ImportJob.fixes``) and
every run of it (the preview, the confirm) reads the file through them, with every check:
a replacement that is wrong in turn is an error like any other. A fix names the action's
column, the cell's text as a person reads it (``cells.as_text``) and the rows it acts on:
``lines``, the lines of its error group (only those of them whose cell is that text), or
None for every row whose cell is that text (a key not found, where every such row is in the
group; and every fix stored before fixes named their lines). A replacement may set other
cells of its rows with it (``cells``: a room GUID replaced takes that room's label).
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from . import messages
from .cells import as_text
from .readers import Table
from .results import RowError
from .storable import storable_text

LINES_SHOWN = 10  # the lines a message names, then how many in all


@dataclass(frozen=True)
class Fix:
    column: str  # the action's column (a field name)
    value: str  # the cell's text in the file
    replacement: str | None  # None: skip the rows
    lines: frozenset[int] | None = None  # the rows it names; None: every row with the value
    cells: tuple[tuple[str, str], ...] = ()  # (column, text): other cells its rows take

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Fix":
        lines = data.get("lines")
        return cls(
            column=data["column"],
            value=data["value"],
            replacement=data.get("replacement"),
            lines=None if lines is None else frozenset(lines),
            cells=tuple(sorted((data.get("cells") or {}).items())),
        )


@dataclass
class Skipped:
    """The rows left out by skip fixes, counted on each pass over the file."""

    count: int = 0
    by_fix: dict[Fix, int] = field(default_factory=dict)
    # The interventionGuid cells of the rows left out: rows of the file all the same, whose
    # interventions cancelMissing never cancels (issue 29)
    guids: set[str] = field(default_factory=set)


# Per cell index: the fixes by (line, text), a line of None naming every row with the text,
# each with its place in the job's list (a later fix applies to what an earlier one put).
_ByIndex = dict[int, dict[tuple[int | None, str], tuple[int, Fix]]]
# Per fix: the other cells it sets, by cell index.
_Companions = dict[Fix, list[tuple[int, str]]]


def fixed_table(
    table: Table, fixes: Sequence[Fix], columns: dict[str, int]
) -> tuple[Table, Skipped]:
    """``table`` read through ``fixes`` (``columns``: the action's column -> cell index); the
    fixes on a column the file does not have do nothing. A fix naming a row's line comes
    before a fix of every row with the same text; of two alike, the later one. Fixes apply in
    the order they were made, each to the text as the fixes before it left it (a login
    mistyped in a first fix can be fixed in turn). A cell is matched by its storable text
    (``storable``), the one its error's value was stored as."""
    by_index = _by_index(fixes, columns)
    companions = _companions(fixes, columns)
    skipped = Skipped()
    if not by_index:
        return table, skipped
    read = table.rows
    guid_index = columns.get("interventionGuid")

    def rows() -> Iterator[tuple[int, list]]:
        skipped.count, skipped.by_fix = 0, {}
        for line, cells in read():
            fixed, skip = _apply(line, cells, by_index, companions)
            if skip is not None:
                skipped.count += 1
                skipped.by_fix[skip] = skipped.by_fix.get(skip, 0) + 1
                if guid_index is not None and guid_index < len(cells):
                    skipped.guids.add(as_text(cells[guid_index]).strip())
                continue
            yield line, fixed

    return replace(table, _rows=rows), skipped


def _by_index(fixes: Sequence[Fix], columns: dict[str, int]) -> _ByIndex:
    by_index: _ByIndex = {}
    for order, fix in enumerate(fixes):
        if fix.column not in columns:
            continue
        found = by_index.setdefault(columns[fix.column], {})
        for line in fix.lines if fix.lines is not None else (None,):
            found[(line, fix.value)] = (order, fix)
    return by_index


def _companions(fixes: Sequence[Fix], columns: dict[str, int]) -> _Companions:
    return {
        fix: [(columns[name], text) for name, text in fix.cells if name in columns]
        for fix in fixes
        if fix.cells and fix.replacement is not None
    }


def _apply(
    line: int, cells: list, by_index: _ByIndex, companions: _Companions
) -> tuple[list, Fix | None]:
    fixed = cells
    for index, fixes in by_index.items():
        if index >= len(cells):
            continue
        text, after = storable_text(as_text(cells[index])), -1
        while (found := _next_fix(fixes, line=line, text=text, after=after)) is not None:
            after, fix = found
            if fix.replacement is None:
                return cells, fix
            if fixed is cells:
                fixed = list(cells)
            fixed[index] = text = fix.replacement
            for at, companion in companions.get(fix, ()):
                fixed.extend([""] * (at + 1 - len(fixed)))
                fixed[at] = companion
    return fixed, None


def _next_fix(
    fixes: dict[tuple[int | None, str], tuple[int, Fix]], *, line: int, text: str, after: int
) -> tuple[int, Fix] | None:
    """The fix of ``text`` on ``line`` made after the fix number ``after``: the one naming the
    line, else the one of every row."""
    for key in ((line, text), (None, text)):
        found = fixes.get(key)
        if found is not None and found[0] > after:
            return found
    return None


def lines_text(lines: Sequence[int]) -> str:
    """Lines as a message names them ("line 2", "lines 2, 5"): the first ``LINES_SHOWN``, then
    how many in all."""
    shown = ", ".join(str(line) for line in lines[:LINES_SHOWN])
    if len(lines) > LINES_SHOWN:
        shown = f"{shown}, … ({len(lines)} in all)"
    return f"line {shown}" if len(lines) == 1 else f"lines {shown}"


def skipped_warnings(skipped: Skipped) -> list[RowError]:
    """One warning per skip fix that left rows out."""
    return [_skipped_warning(fix, count) for fix, count in skipped.by_fix.items()]


def _skipped_warning(fix: Fix, count: int) -> RowError:
    value = messages.shorten(fix.value)
    if fix.lines is None:
        message = messages.ROWS_SKIPPED_BY_FIX.format(count=count, column=fix.column, value=value)
    else:
        lines = lines_text(sorted(fix.lines))
        message = messages.ROWS_SKIPPED_ON_LINES.format(
            count=count, column=fix.column, value=value, lines=lines
        )
    return RowError(None, message, fix.column, fix.value, level="WARNING")
