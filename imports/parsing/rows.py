"""One row's cells to a ``ParsedRow``: a fast path for clean text rows, the checking path for
the rest.

Most rows of a real file are clean: every cell present, short, visible, well formed. For a
CSV row (all cells text) the fast path checks exactly what the checking path
(``cells.checking_parser``) would check, but a whole row at a time, and gives up at the first
doubt: the row then goes through the checking path, which reports every problem. A row gets
the same ``ParsedRow`` and the same errors either way (``tests/imports/test_rows.py``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from .cells import (
    INVISIBLE,
    LOOKUP_TEXT_FIELDS,
    ParsedRow,
    as_text,
    checking_parser,
    datetime_text,
    to_utc,
    whole_number_text,
)
from .config import ImportConfig
from .fields import FIELD_NAMES, FIELD_SPECS, FIELDS, MANDATORY_FIELDS, ONE_OF_PAIRS
from .formulas import may_be_quoted
from .results import RowError
from .storable import NOT_STORABLE

RowParser = Callable[[int, list[Any]], tuple[ParsedRow, list[RowError]]]
CleanParser = Callable[[int, list[str]], ParsedRow | None]
Picker = Callable[[list[str]], tuple[str, ...]]
MAX_HOURS = 35_791_394  # hours whose minutes a database integer holds
ABSENT = -1  # the index of a column the file does not have: an empty text appended to the row


def row_parser(column_map: dict[str, int], config: ImportConfig, zone: ZoneInfo) -> RowParser:
    """A function that turns one row's cells into typed values and every independent problem."""
    checking = checking_parser(column_map, config, zone)
    clean = clean_row_parser(column_map, config, zone)

    def parse(line: int, cells: list[Any]) -> tuple[ParsedRow, list[RowError]]:
        try:
            texts = [cell.strip() for cell in cells]
        except AttributeError:  # a spreadsheet row: numbers, dates, empty cells
            return checking(line, cells, [as_text(cell) for cell in cells])
        texts.append("")  # texts[ABSENT]: the empty text of a column the file does not have
        row = clean(line, texts)
        return (row, []) if row is not None else checking(line, cells, texts)

    return parse


def _picker(indexes: list[int]) -> Picker:
    """The texts at ``indexes`` as a tuple, in one call (``itemgetter`` of one is not a tuple)."""
    if not indexes:
        return lambda texts: ()
    if len(indexes) == 1:
        index = indexes[0]
        return lambda texts: (texts[index],)
    return itemgetter(*indexes)


TEXT_KINDS = ("key", "text")
# The attributes of the typed (not text) columns, by kind: one column of each kind.
TYPED = {spec.kind: spec for spec in FIELD_SPECS if spec.kind not in TEXT_KINDS}
# Where the typed values go among a row's values in the spec's order (ParsedRow's fields after
# ``line``, ``tests/imports/test_fields.py``): the fast path builds a row in that order.
TYPED_INDEXES = tuple(
    FIELD_SPECS.index(TYPED[k]) for k in ("date", "duration", "capacity", "status")
)


@dataclass(frozen=True)
class _Layout:
    """Where a clean row's texts are, worked out once per column map."""

    width: int  # the cells a row needs (then one more: texts[ABSENT])
    pick_mandatory: Picker
    pairs: list[tuple[int, int]]  # "one of" pairs: at least one text of each
    pick_limited: Picker  # the key and text columns, whose lengths are limited
    limits: list[int]
    shortest_limit: int
    pick_visible: Picker  # the columns that may not hold invisible characters
    pick_all: Picker  # every column's text, in the spec's order (absent ones: "")
    label_at: int
    date_at: int
    duration_at: int
    capacity_at: int
    status_at: int


def _layout(column_map: dict[str, int]) -> _Layout | None:
    """None when a mandatory column is missing (every row then has an error)."""
    at = {name: column_map.get(name, ABSENT) for name in FIELD_NAMES}
    if any(at[name] == ABSENT for name in MANDATORY_FIELDS):
        return None
    limited = [name for name in FIELD_NAMES if FIELDS[name].max_length and at[name] != ABSENT]
    visible = [n for n in limited if FIELDS[n].kind == "key" or n in LOOKUP_TEXT_FIELDS]
    limits = [FIELDS[name].max_length or 0 for name in limited]
    return _Layout(
        width=max(column_map.values()) + 1,
        pick_mandatory=_picker([at[name] for name in MANDATORY_FIELDS]),
        pairs=[(at[first], at[second]) for first, second in ONE_OF_PAIRS],
        pick_limited=_picker([at[name] for name in limited]),
        limits=limits,
        shortest_limit=min(limits),
        pick_visible=_picker([at[name] for name in visible]),
        pick_all=_picker([at[name] for name in FIELD_NAMES]),
        label_at=at["roomLabel"],
        date_at=at[TYPED["date"].name],
        duration_at=at[TYPED["duration"].name],
        capacity_at=at[TYPED["capacity"].name],
        status_at=at[TYPED["status"].name],
    )


def clean_row_parser(
    column_map: dict[str, int], config: ImportConfig, zone: ZoneInfo
) -> CleanParser:
    """A function that returns the ``ParsedRow`` of a text row without any problem, else None.

    ``texts``: the row's stripped cells followed by one empty text (``texts[ABSENT]``)."""
    layout = _layout(column_map)
    if layout is None:
        return lambda line, texts: None
    clean_texts = _texts_checker(layout)
    status_codes = {config.cancelled_code: "C", config.active_code: "A"}  # as _status: active first
    date_patterns = config.date_patterns
    pick_all = layout.pick_all
    date_at, duration_at, capacity_at = layout.date_at, layout.duration_at, layout.capacity_at
    status_at = layout.status_at
    date_index, duration_index, capacity_index, status_index = TYPED_INDEXES

    def parse(line: int, texts: list[str]) -> ParsedRow | None:
        if not clean_texts(texts):
            return None
        status = status_codes.get(texts[status_at])
        duration = whole_number_text(texts[duration_at], 1)
        duration = duration * 60 if duration is not None and duration <= MAX_HOURS else None
        capacity = whole_number_text(texts[capacity_at], 0) if texts[capacity_at] else None
        if status is None or duration is None or (capacity is None and texts[capacity_at]):
            return None
        moment = datetime_text(texts[date_at], date_patterns)
        if moment is None:
            return None
        start, problem = to_utc(moment, zone, texts[date_at])
        if problem is not None:
            return None
        values: list[Any] = list(pick_all(texts))  # each column's text, in ParsedRow's order
        values[date_index], values[duration_index] = start, duration
        values[capacity_index], values[status_index] = capacity, status
        return ParsedRow(line, *values)

    return parse


def _texts_checker(layout: _Layout) -> Callable[[list[str]], bool]:
    """Whether a row's texts are all there, within their lengths and visible."""
    width, pick_mandatory, pairs = layout.width, layout.pick_mandatory, layout.pairs
    pick_limited, limits, shortest = layout.pick_limited, layout.limits, layout.shortest_limit
    pick_visible, label_at, status_at = layout.pick_visible, layout.label_at, layout.status_at

    def clean(texts: list[str]) -> bool:
        if len(texts) <= width or "" in pick_mandatory(texts):
            return False
        for first, second in pairs:
            if not (texts[first] or texts[second]):
                return False
        lengths = list(map(len, pick_limited(texts)))
        if max(lengths) > shortest and any(map(int.__lt__, limits, lengths)):
            return False
        visible = "".join(pick_visible(texts))
        if may_be_quoted(visible + "\x00" + texts[label_at] + "\x00" + texts[status_at]):
            return False  # a text an export quoted: the checking path unquotes it
        label = texts[label_at]
        if "\x00" in visible or "\x00" in label:  # NUL: the one invisible in ASCII
            return False
        if not label.isascii() and NOT_STORABLE.search(label):
            return False
        return visible.isascii() or not INVISIBLE.search(visible)  # the others aren't ASCII

    return clean
