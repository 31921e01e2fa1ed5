"""Cells to typed values: strict whole numbers, dates in a time zone, lengths, status codes.

Every function returns ``(value, message)``: the message is None when the cell is fine.
``checking_parser`` builds the function that collects every problem of a row before reporting
(nothing is raised); ``rows.row_parser`` puts a fast path for clean text rows in front of it.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from . import messages
from .config import ImportConfig
from .fields import ATTRIBUTES, FIELDS, IN_PLACE_PAIRS, ONE_OF_PAIRS
from .formulas import unquote
from .moments import MOMENT_COLUMNS, Moments, Problem, Settled
from .results import RowError
from .storable import NOT_STORABLE  # what no text field takes, even a label

WHOLE_NUMBER = re.compile(r"[0-9]{1,10}")
MAX_WHOLE_NUMBER = 2_147_483_647
# NUL and lone surrogates too: a stray one in a cell is that row's error (PostgreSQL cannot
# store a NUL, and neither database's driver can encode a lone surrogate).
INVISIBLE = re.compile("[\x00\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff\ud800-\udfff]")
LOOKUP_TEXT_FIELDS = {"trainingPathCode", "sessionTitle", "teacherLogin"}


@dataclass(slots=True)
class ParsedRow:
    """One row's typed values: ``line`` and one attribute per column (``FieldSpec.attribute``;
    ``tests/imports/parsing/test_fields.py`` checks that the two agree)."""

    line: int
    guid: str = ""
    training_guid: str = ""
    path_code: str = ""
    session_guid: str = ""
    session_title: str = ""
    start: dt.datetime | None = None  # UTC (the date and the start time joined, when given)
    duration: int | None = None  # minutes (read, or the end minus the start)
    room_guid: str = ""
    room_label: str = ""
    room_capacity: int | None = None
    teacher_login: str = ""
    status: str = ""
    start_time: dt.time | None = None  # interventionStartTime's time of day
    end: dt.datetime | None = None  # the end (UTC) that interventionEndTime gives
    end_date: dt.date | None = None  # interventionEndDate's date


def folded(text: str) -> str:
    """A text as compared by people: without accents and case (header cells, suggestions)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def as_text(raw: Any) -> str:
    """A cell as the text a person reads, without surrounding blanks."""
    if type(raw) is str:  # the common case first: every CSV cell
        return raw.strip()
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.isoformat(sep=" ")
    return str(raw).strip()


def parse_whole_number(raw: Any, minimum: int) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            return None
        number = int(raw)
    else:
        return whole_number_text(str(raw).strip(), minimum)
    return number if minimum <= number <= MAX_WHOLE_NUMBER else None


def whole_number_text(text: str, minimum: int) -> int | None:
    """A whole number written in ASCII digits, between ``minimum`` and the database's limit."""
    if not WHOLE_NUMBER.fullmatch(text):
        return None
    number = int(text)
    return number if minimum <= number <= MAX_WHOLE_NUMBER else None


CellParser = Callable[[Any, str, ImportConfig, ZoneInfo], tuple[Any, str | None]]


@cache
def _parser(name: str) -> CellParser:
    """The parser of field ``name``'s cells, chosen once: ``(raw, text, config, zone)``; the
    moment columns' are ``Moments.reader``'s."""
    kind = FIELDS[name].kind
    if kind == "capacity":
        return _capacity
    if kind == "status":
        return lambda raw, text, config, zone: _status(unquote(text), config)
    return _text_parser(name, FIELDS[name].max_length, kind == "key" or name in LOOKUP_TEXT_FIELDS)


def cell_parser(name: str) -> CellParser:
    """The parser of a cell of column ``name`` (not a moment column): ``(raw, text, config,
    zone)`` -> (value, error). The export reads a configuration's defaults with it."""
    return _parser(name)


def _capacity(raw: Any, text: str, config: ImportConfig, zone: ZoneInfo) -> tuple[Any, str | None]:
    number = parse_whole_number(raw, minimum=0)
    if number is None:
        return None, messages.CAPACITY_NOT_VALID.format(value=messages.shorten(text))
    return number, None


def _text_parser(name: str, limit: int | None, visible_only: bool) -> CellParser:
    def parse(raw: Any, text: str, config: ImportConfig, zone: ZoneInfo) -> tuple[Any, str | None]:
        text = unquote(text)  # a value an export kept from being a formula (formulas.py)
        if limit is not None and len(text) > limit:
            return None, messages.FIELD_TOO_LONG.format(field=name, length=len(text), limit=limit)
        if (INVISIBLE if visible_only else NOT_STORABLE).search(text):
            return None, messages.FIELD_INVISIBLE_CHARACTERS.format(field=name)
        return text, None

    return parse


def _status(text: str, config: ImportConfig) -> tuple[str | None, str | None]:
    state = config.status_codes.get(text)
    if state is not None:
        return state, None
    return None, messages.STATUS_NOT_VALID.format(
        value=messages.shorten(text), expected=config.expected_statuses
    )


def value_problem(name: str, text: str, config: ImportConfig, zone: ZoneInfo) -> str | None:
    """What the checking path says of a text cell of column ``name`` (a default of the
    configuration, read as a row's cell is), None when it reads; the moment columns are read
    as the configuration's columns make them (a date beside a start time column needs no time
    of day)."""
    if name in MOMENT_COLUMNS:
        _, problem = Moments(config.fields, config, zone).reader(name)(text, text)
        return problem
    _, message = _parser(name)(text, text, config, zone)
    return message


CheckingParser = Callable[[int, list[Any], list[str]], tuple[ParsedRow, list[RowError]]]


def settled_row(row: ParsedRow, settled: Settled) -> None:
    """Put a row's moments (``Moments.settle``) on it."""
    row.start, row.duration = settled.start, settled.duration
    row.start_time, row.end, row.end_date = settled.start_time, settled.end, settled.end_date


def problem_error(line: int, problem: Problem) -> RowError:
    level = "WARNING" if problem.warning else "ERROR"
    return RowError(line, problem.message, problem.column, problem.value, level=level)


def checking_parser(
    column_map: dict[str, int], config: ImportConfig, zone: ZoneInfo
) -> CheckingParser:
    """A function that turns one row's cells (and their texts, ``as_text``) into typed values
    and every independent problem (a WARNING among them does not make the row an error). What
    depends only on the column map is worked out once."""
    moments = Moments(column_map, config, zone)
    alone = {  # a column of such a pair whose other column is absent: mandatory, as the seed had it
        name
        for pair in IN_PLACE_PAIRS
        for name in pair
        if sum(member in column_map for member in pair) == 1
    }
    columns = []
    for name, index in column_map.items():
        mandatory = FIELDS[name].mandatory or name in alone
        if name in MOMENT_COLUMNS:
            read = moments.reader(name)
            columns.append((name, index, "", mandatory, _moment_parser(read)))
        else:
            columns.append((name, index, ATTRIBUTES[name], mandatory, _parser(name)))
    pairs, placed = [], []
    for pair in ONE_OF_PAIRS:
        present = [name for name in pair if name in column_map]
        entry = (" or ".join(present), present[0], [column_map[name] for name in present])
        if pair not in IN_PLACE_PAIRS:
            pairs.append(entry)
        elif len(present) == len(pair):
            placed.append((pair[0], entry))
    place_after = dict(placed)  # told in the first column's turn

    def parse(line: int, cells: list[Any], texts: list[str]) -> tuple[ParsedRow, list[RowError]]:
        row = ParsedRow(line)
        errors: list[RowError] = []
        parts: dict[str, tuple[Any, str]] = {}
        count = len(cells)
        moments_fine = True
        for name, index, attribute, mandatory, parse_value in columns:
            raw = cells[index] if index < count else None
            text = texts[index] if index < count else ""
            if name in place_after:
                _empty_pair(line, place_after[name], texts, count, errors)
            if text == "":
                if mandatory:
                    errors.append(RowError(line, messages.FIELD_EMPTY.format(field=name), name))
                continue
            value, message = parse_value(raw, text, config, zone)
            if message is not None:
                errors.append(RowError(line, message, name, text))
                if not attribute:
                    moments_fine = False
            elif attribute:
                setattr(row, attribute, value)
            else:
                parts[name] = (value, text)
        for pair in pairs:
            _empty_pair(line, pair, texts, count, errors)
        if moments_fine:
            settled, problems = moments.settle(parts)
            settled_row(row, settled)
            errors.extend(problem_error(line, problem) for problem in problems)
        return row, errors

    return parse


def _empty_pair(
    line: int, pair: tuple[str, str, list[int]], texts: list[str], count: int, errors: list
) -> None:
    label, first, indexes = pair
    if not any(index < count and texts[index] for index in indexes):
        errors.append(RowError(line, messages.FIELD_EMPTY.format(field=label), first))


def _moment_parser(read: Callable[[Any, str], tuple[Any, Any]]) -> CellParser:
    return lambda raw, text, config, zone: read(raw, text)
