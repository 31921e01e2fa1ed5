"""One row's cells to a ``ParsedRow``: a fast path for clean text rows, the checking path for
the rest.

Most rows of a real file are clean: every cell present, short, visible, well formed. For a
CSV row (all cells text) the fast path checks exactly what the checking path
(``cells.checking_parser``) would check, but a whole row at a time, and gives up at the first
doubt: the row then goes through the checking path, which reports every problem. A row gets
the same ``ParsedRow`` and the same errors either way (``tests/imports/test_rows.py``).
"""

from collections.abc import Callable
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from .cells import (
    ATTRIBUTES,
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
from .fields import FIELD_NAMES, FIELDS, ONE_OF_PAIRS
from .results import RowError

RowParser = Callable[[int, list[Any]], tuple[ParsedRow, list[RowError]]]
CleanParser = Callable[[int, list[str]], ParsedRow | None]
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


def _picker(indexes: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """The texts at ``indexes`` as a tuple, in one call (``itemgetter`` of one is not a tuple)."""
    if not indexes:
        return lambda texts: ()
    if len(indexes) == 1:
        index = indexes[0]
        return lambda texts: (texts[index],)
    return itemgetter(*indexes)


def clean_row_parser(
    column_map: dict[str, int], config: ImportConfig, zone: ZoneInfo
) -> CleanParser:
    """A function that returns the ``ParsedRow`` of a text row without any problem, else None.

    ``texts``: the row's stripped cells followed by one empty text (``texts[ABSENT]``)."""
    at = {name: column_map.get(name, ABSENT) for name in FIELD_NAMES}
    width = max(column_map.values()) + 1
    texts_of = [name for name in FIELD_NAMES if FIELDS[name].max_length and at[name] != ABSENT]
    pick_texts = _picker([at[name] for name in texts_of])
    limits = [FIELDS[name].max_length for name in texts_of]
    shortest_limit = min(limits)
    visible = [
        name for name in texts_of if FIELDS[name].kind == "key" or name in LOOKUP_TEXT_FIELDS
    ]
    pick_visible = _picker([at[name] for name in visible])
    mandatory = [at[name] for name in FIELD_NAMES if FIELDS[name].mandatory]
    pick_mandatory = _picker(mandatory)
    pairs = [(at[first], at[second]) for first, second in ONE_OF_PAIRS]
    if ABSENT in mandatory:
        return lambda line, texts: None  # a missing mandatory column: every row has an error
    fields = itemgetter(*(at[name] for name in ATTRIBUTES if FIELDS[name].kind in ("key", "text")))
    status_codes = {config.cancelled_code: "C", config.active_code: "A"}  # as _status: active first
    date_at, duration_at, capacity_at = (
        at["interventionDate"],
        at["interventionDuration"],
        at["roomCapacity"],
    )
    status_at = at["interventionStatus"]
    date_format = config.date_format

    def parse(line: int, texts: list[str]) -> ParsedRow | None:
        if len(texts) <= width or "" in pick_mandatory(texts):
            return None
        for first, second in pairs:
            if not (texts[first] or texts[second]):
                return None
        lengths = list(map(len, pick_texts(texts)))
        if max(lengths) > shortest_limit and any(map(int.__lt__, limits, lengths)):
            return None
        visible = "".join(pick_visible(texts))
        if not visible.isascii() and INVISIBLE.search(visible):  # invisible ones are not ASCII
            return None
        status = status_codes.get(texts[status_at])
        duration = whole_number_text(texts[duration_at], 1)
        capacity = None
        if texts[capacity_at]:
            capacity = whole_number_text(texts[capacity_at], 0)
            if capacity is None:
                return None
        if status is None or duration is None:
            return None
        date_text = texts[date_at]
        moment = datetime_text(date_text, date_format)
        if moment is None:
            return None
        start, problem = to_utc(moment, zone, date_text)
        if problem is not None:
            return None
        guid, training, path, session, title, room, label, teacher = fields(texts)
        return ParsedRow(
            line,
            guid,
            training,
            path,
            session,
            title,
            start,
            duration,
            room,
            label,
            capacity,
            teacher,
            status,
        )

    return parse
