"""The first, light pass over the file: count rows, find repeated intervention GUIDs and rooms
described differently on several lines. Only keys are kept, not rows."""

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from imports.parsing.cells import as_text
from imports.parsing.date_order import could_be_either, order_told_by
from imports.parsing.formulas import unquote
from imports.parsing.readers import Table

from .plan import FileFacts

MAX_LONG_ROWS_KEPT = 100
Row = tuple[int, list[Any]]


def scan(
    table: Table,
    columns: dict[str, int],
    width: int | None = None,
    skip: frozenset[int] = frozenset(),
    date_column: str | None = None,
    date_label: str | None = None,
) -> FileFacts:
    """``width``: the number of columns a row should have (longer rows get a warning);
    ``skip``: the lines whose keys take no part in the comparisons (rows wrong on their own);
    ``date_column``: the date column whose dates tell their order (no date format), named
    ``date_label`` in the file (its header cell)."""
    facts = FileFacts()
    date_at = columns.get(date_column) if date_column else None
    guid_at = columns.get("interventionGuid")  # None: derived (engine/facts.py compares them)
    room_at = columns["roomGuid"]
    label_at = columns.get("roomLabel")
    capacity_at = columns.get("roomCapacity")
    first_line: dict[str, int] = {}
    repeated: dict[str, list[int]] = defaultdict(list)
    room_values: dict[str, tuple[str, str, int]] = {}
    conflicts: dict[str, list[int]] = defaultdict(list)
    for line, cells in table.rows():
        facts.total_rows += 1
        if width is not None and len(cells) > width and any(map(as_text, cells[width:])):
            _note_long_row(facts, line, len(cells))
        if date_at is not None and date_at < len(cells):
            text = cells[date_at]
            if type(text) is str and text[4:5] != "-":  # cheap: ISO texts and cell dates skip
                facts.date_order = order_told_by(
                    text, line=line, column=str(date_column), shown=date_label
                )
                date_at = None if facts.date_order else date_at  # told: ask no more rows
                if facts.either_date is None and could_be_either(text.strip()):
                    facts.either_date = (line, text.strip())
        if line in skip:
            continue
        guid = _cell(cells, guid_at)
        if guid and first_line.setdefault(guid, line) != line:
            repeated[guid].append(line)
        room = _cell(cells, room_at)
        if room:
            label = _cell(cells, label_at)
            capacity = _cell(cells, capacity_at)
            seen = room_values.setdefault(room, (label, capacity, line))
            if seen[0] != label or (capacity and seen[1] and seen[1] != capacity):
                conflicts[room].append(line)
            elif capacity and not seen[1]:
                room_values[room] = (label, capacity, seen[2])
    facts.duplicate_guids = {g: [first_line[g], *lines] for g, lines in repeated.items()}
    facts.room_conflicts = {r: [room_values[r][2], *lines] for r, lines in conflicts.items()}
    return facts


def _note_long_row(facts: FileFacts, line: int, count: int) -> None:
    facts.long_row_count += 1
    if len(facts.long_rows) < MAX_LONG_ROWS_KEPT:
        facts.long_rows.append((line, count))


def _cell(cells: list[Any], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return unquote(as_text(cells[index]))


def suspect_rows(table: Table, columns: dict[str, int], facts: FileFacts) -> Iterator[Row]:
    """The rows that name a repeated GUID or a room described differently: the only rows
    whose own validity decides other rows' outcomes."""
    guid_at, room_at = columns.get("interventionGuid"), columns["roomGuid"]
    guids, rooms = facts.duplicate_guids, facts.room_conflicts
    for line, cells in table.rows():
        if _cell(cells, guid_at) in guids or _cell(cells, room_at) in rooms:
            yield line, cells
