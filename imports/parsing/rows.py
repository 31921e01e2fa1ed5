"""One row's cells to a ``ParsedRow``: a fast path for clean text rows, the checking path for
the rest.

Most rows of a real file are clean: every cell present, short, visible, well formed. For a
CSV row (all cells text) the fast path checks exactly what the checking path
(``cells.checking_parser``) would check, but a whole row at a time, and gives up at the first
doubt: the row then goes through the checking path, which reports every problem. A row gets
the same ``ParsedRow`` and the same errors either way (``tests/imports/parsing/test_rows.py``).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any
from zoneinfo import ZoneInfo

from .cells import (
    INVISIBLE,
    LOOKUP_TEXT_FIELDS,
    ParsedRow,
    as_text,
    checking_parser,
    whole_number_text,
)
from .config import ImportConfig
from .derived_keys import derived_guid, derives_guid
from .durations import DAY_MINUTES, HOURS, MINUTES_PER_HOUR
from .fields import (
    FIELD_NAMES,
    FIELD_SPECS,
    FIELDS,
    MANDATORY_FIELDS,
    ONE_OF_PAIRS,
    REQUIRED_COLUMNS,
)
from .formulas import may_be_quoted
from .moments import (
    DATE,
    DURATION,
    END_DATE,
    END_TIME,
    FAST_TIME,
    ISO_DATE_ONLY,
    MOMENT_COLUMNS,
    START_TIME,
    TIME_ALONE,
    Moments,
    to_utc,
)
from .results import RowError
from .storable import NOT_STORABLE

RowParser = Callable[[int, list[Any]], tuple[ParsedRow, list[RowError]]]
CleanParser = Callable[[int, list[str]], ParsedRow | None]
Picker = Callable[[list[str]], tuple[str, ...]]
ABSENT = -1  # the index of a column the file does not have: an empty text appended to the row


@dataclass
class DefaultsUsed:
    """The lines on which each default of the configuration gave a column its value."""

    lines: dict[str, set[int]] = field(default_factory=dict)


def row_parser(
    column_map: dict[str, int],
    config: ImportConfig,
    zone: ZoneInfo,
    used: DefaultsUsed | None = None,
) -> RowParser:
    """A function that turns one row's cells into typed values and every independent problem.
    A file without a GUID column gets each row's GUID derived (``derived_keys``). With the
    configuration's ``<defaults>``, a row's empty cells (and the columns the file
    does not have) take them first, and ``used`` records where."""
    checking = checking_parser(column_map, config, zone)
    clean = clean_row_parser(column_map, config, zone)
    fill = defaults_filler(column_map, config, used or DefaultsUsed())

    def parse(line: int, cells: list[Any]) -> tuple[ParsedRow, list[RowError]]:
        if fill is not None:
            cells = fill(line, cells)
        try:
            texts = [cell.strip() for cell in cells]
        except AttributeError:  # a spreadsheet row: numbers, dates, empty cells
            return checking(line, cells, [as_text(cell) for cell in cells])
        texts.append("")  # texts[ABSENT]: the empty text of a column the file does not have
        row = clean(line, texts)
        return (row, []) if row is not None else checking(line, cells, texts)

    if not derives_guid(column_map):
        return parse

    def parse_deriving_guid(line: int, cells: list[Any]) -> tuple[ParsedRow, list[RowError]]:
        row, errors = parse(line, cells)
        row.guid = derived_guid(row)
        return row, errors

    return parse_deriving_guid


def defaults_filler(
    column_map: dict[str, int], config: ImportConfig, used: DefaultsUsed
) -> Callable[[int, list[Any]], list[Any]] | None:
    """A function that gives a row's empty cells their column's default, and appends the
    defaults of the columns the file does not have (``columns.column_map`` placed them after
    the file's columns); None without defaults. A long row's cells past the configured
    columns are left out (they are ignored; the scan warns of them)."""
    if not config.defaults:
        return None
    width = len(config.columns or ())
    present = [(name, column_map[name], text) for name, text in config.defaults]
    present = [(name, index, text) for name, index, text in present if index < width]
    absent = [text for name, text in config.defaults if column_map[name] >= width]
    for name, _, _ in present:
        used.lines.setdefault(name, set())

    def fill(line: int, cells: list[Any]) -> list[Any]:
        row = list(cells[:width])
        row += [""] * (width - len(row))
        for name, index, text in present:
            if as_text(row[index]).strip() == "":
                row[index] = text
                used.lines[name].add(line)
        row += absent
        return row

    return fill


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
# ``line``, ``tests/imports/parsing/test_fields.py``): the fast path builds a row in that order.
TYPED_INDEXES = tuple(
    FIELD_SPECS.index(TYPED[k])
    for k in ("date", "duration", "capacity", "status", "time", "end", "end date")
)
# A row's start, duration, start time, end and end date (``moments.Settled``'s order).
Moment = tuple[Any, ...]
MomentsReader = Callable[[list[str]], Moment | None]
ISO_DATE_LENGTH = len("2027-03-01")
WHOLE_HOURS = {  # the commonest duration cells, as read_duration_text reads them
    **{str(hours): hours * MINUTES_PER_HOUR for hours in range(1, 25)},
    **{f"{hours:02d}": hours * MINUTES_PER_HOUR for hours in range(1, 25)},
}
fromisoformat = dt.datetime.fromisoformat


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
    capacity_at: int
    status_at: int


def _layout(column_map: dict[str, int]) -> _Layout | None:
    """None when a required column is missing (every row then has an error)."""
    at = {name: column_map.get(name, ABSENT) for name in FIELD_NAMES}
    if any(at[name] == ABSENT for name in REQUIRED_COLUMNS):
        return None
    if any(at[first] == ABSENT and at[second] == ABSENT for first, second in ONE_OF_PAIRS):
        return None
    limited = [name for name in FIELD_NAMES if FIELDS[name].max_length and at[name] != ABSENT]
    visible = [n for n in limited if FIELDS[n].kind == "key" or n in LOOKUP_TEXT_FIELDS]
    limits = [FIELDS[name].max_length or 0 for name in limited]
    return _Layout(
        width=max(column_map.values()) + 1,
        pick_mandatory=_picker([at[n] for n in MANDATORY_FIELDS if at[n] != ABSENT]),
        pairs=[(at[first], at[second]) for first, second in ONE_OF_PAIRS],
        pick_limited=_picker([at[name] for name in limited]),
        limits=limits,
        shortest_limit=min(limits),
        pick_visible=_picker([at[name] for name in visible]),
        pick_all=_picker([at[name] for name in FIELD_NAMES]),
        label_at=at["roomLabel"],
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
    status_codes = config.status_codes
    read_moments = _moments_reader(column_map, config, zone)
    pick_all = layout.pick_all
    capacity_at, status_at = layout.capacity_at, layout.status_at
    date_index, duration_index, capacity_index, status_index, *part_indexes = TYPED_INDEXES
    time_index, end_index, end_date_index = part_indexes

    def parse(line: int, texts: list[str]) -> ParsedRow | None:
        if not clean_texts(texts):
            return None
        status = status_codes.get(texts[status_at])
        capacity = whole_number_text(texts[capacity_at], 0) if texts[capacity_at] else None
        if status is None or (capacity is None and texts[capacity_at]):
            return None
        moment = read_moments(texts)
        if moment is None:
            return None
        values: list[Any] = list(pick_all(texts))  # each column's text, in ParsedRow's order
        values[date_index], values[duration_index] = moment[0], moment[1]
        values[capacity_index], values[status_index] = capacity, status
        values[time_index], values[end_index], values[end_date_index] = moment[2:]
        return ParsedRow(line, *values)

    return parse


def _moments_reader(
    column_map: dict[str, int], config: ImportConfig, zone: ZoneInfo
) -> MomentsReader:
    """A row's start and duration from its texts, as ``Moments`` reads and settles them for the
    checking path; None at any problem (a warning included) or empty moment: the row then
    goes through the checking path, which says what it is. The commonest shapes of clean rows
    (``_classic``, ``_split``) are read without settling, by the same functions, and hand any
    other row to ``_general``."""
    moments = Moments(column_map, config, zone)
    general = _general(column_map, moments)
    names = {name for name in column_map if name in MOMENT_COLUMNS}
    iso = config.date_format is None
    if names == {DATE, DURATION}:  # the seed's shape
        return _classic(column_map, moments, iso)
    if iso and {DATE, START_TIME, END_TIME} <= names:  # a planning tool's
        return _split(column_map, moments, general)
    return general


def _general(column_map: dict[str, int], moments: Moments) -> MomentsReader:
    readers = [
        (name, index, moments.text_reader(name))
        for name, index in column_map.items()
        if name in MOMENT_COLUMNS
    ]
    settle = moments.settle

    def general(texts: list[str]) -> Moment | None:
        parts = {}
        for name, index, read in readers:
            text = texts[index]
            if text:
                value, problem = read(text)
                if problem is not None:
                    return None
                parts[name] = (value, text)
        settled, problems = settle(parts)
        if problems or settled.start is None or settled.duration is None:
            return None
        return settled

    return general


def _classic(column_map: dict[str, int], moments: Moments, iso: bool) -> MomentsReader:
    """A date-time and a duration: an ISO date-time with its time of day, whole hours (1 to
    24), else the readers' full way."""
    date_at, duration_at = column_map[DATE], column_map[DURATION]
    read_date, read_duration = moments.text_reader(DATE), moments.text_reader(DURATION)
    whole_hours = WHOLE_HOURS if moments.unit == HOURS else {}
    zone = moments.zone

    def classic(texts: list[str]) -> Moment | None:
        minutes = whole_hours.get(texts[duration_at])
        if minutes is None:
            (minutes, warning), problem = read_duration(texts[duration_at])
            if problem is not None or warning is not None:
                return None
        text = texts[date_at]
        if iso and len(text) > ISO_DATE_LENGTH and text.isascii():  # read_date_text's way
            try:
                moment = fromisoformat(text)
            except ValueError:
                return None
            start, problem = to_utc(moment, zone, text)
        else:
            date, problem = read_date(text)
            start = date[2] if problem is None else None
        if problem is not None:
            return None
        return start, minutes, None, None, None

    return classic


def _split(column_map: dict[str, int], moments: Moments, general: MomentsReader) -> MomentsReader:
    """A date, a start time and an end time (an end date-time on another day), without an end
    date or a duration filled in: as ``Moments.settle`` makes them, without settling; any other
    row the general way."""
    date_at, time_at = column_map[DATE], column_map[START_TIME]
    end_at = column_map[END_TIME]
    others = [column_map[name] for name in (END_DATE, DURATION) if name in column_map]
    zone = moments.zone

    def split(texts: list[str]) -> Moment | None:
        date_text, time_text, end_text = texts[date_at], texts[time_at], texts[end_at]
        starts = FAST_TIME.fullmatch(time_text)
        if (
            starts is None
            or len(date_text) != ISO_DATE_LENGTH
            or not date_text.isascii()
            or any(texts[index] for index in others)
        ):
            return general(texts)
        try:
            day = fromisoformat(date_text)
        except ValueError:
            return general(texts)
        hour, minute = int(starts[1]), int(starts[2])
        if hour > 23 or minute > 59 or ISO_DATE_ONLY.fullmatch(date_text) is None:
            return general(texts)
        time = dt.time(hour, minute)
        start, problem = to_utc(dt.datetime.combine(day.date(), time), zone, date_text)
        ends = FAST_TIME.fullmatch(end_text)
        if ends is not None:
            hour, minute = int(ends[1]), int(ends[2])
            if hour > 23 or minute > 59:
                return general(texts)
            end_local = dt.datetime.combine(day.date(), dt.time(hour, minute))
        elif len(end_text) > ISO_DATE_LENGTH and end_text.isascii() and ":" in end_text:
            try:
                end_local = fromisoformat(end_text)  # not a time of day: an end date-time
            except ValueError:
                return general(texts)
            if TIME_ALONE.fullmatch(end_text) is not None:
                return general(texts)
        else:
            return general(texts)
        end, end_problem = to_utc(end_local, zone, end_text)
        if problem is not None or end_problem is not None or start is None or end is None:
            return general(texts)
        minutes, rest = divmod(int((end - start).total_seconds()), 60)
        if rest or not 0 < minutes <= DAY_MINUTES:
            return general(texts)
        return start, minutes, time, end, None

    return split


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
