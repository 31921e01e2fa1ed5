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

from openpyxl.utils.datetime import from_excel

from . import messages
from .config import ISO_8601, ImportConfig
from .date_order import could_be_either
from .fields import ATTRIBUTES, FIELDS, ONE_OF_PAIRS
from .formulas import unquote
from .results import RowError
from .storable import NOT_STORABLE  # what no text field takes, even a label

WHOLE_NUMBER = re.compile(r"[0-9]{1,10}")
MAX_WHOLE_NUMBER = 2_147_483_647
# NUL and lone surrogates too: a stray one in a cell is that row's error (PostgreSQL cannot
# store a NUL, and neither database's driver can encode a lone surrogate).
INVISIBLE = re.compile("[\x00\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff\ud800-\udfff]")
LOOKUP_TEXT_FIELDS = {"trainingPathCode", "sessionTitle", "teacherLogin"}
UTC = dt.UTC
FIXED_ZONES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu"}  # no daylight saving


@dataclass(slots=True)
class ParsedRow:
    """One row's typed values: ``line`` and one attribute per column (``FieldSpec.attribute``;
    ``tests/imports/test_fields.py`` checks that the two agree)."""

    line: int
    guid: str = ""
    training_guid: str = ""
    path_code: str = ""
    session_guid: str = ""
    session_title: str = ""
    start: dt.datetime | None = None
    duration: int | None = None  # minutes
    room_guid: str = ""
    room_label: str = ""
    room_capacity: int | None = None
    teacher_login: str = ""
    status: str = ""


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


def parse_date(
    raw: Any, patterns: tuple[str, ...], zone: ZoneInfo
) -> tuple[dt.datetime | None, str | None]:
    text = as_text(raw)
    moment = _cell_datetime(raw, text, patterns)
    if moment is None:
        if patterns[0] == ISO_8601 and could_be_either(text):
            return None, messages.DATE_ORDER_AMBIGUOUS.format(value=messages.shorten(text))
        return None, messages.DATE_NOT_VALID.format(value=messages.shorten(text))
    return to_utc(moment, zone, text)


def to_utc(moment: dt.datetime, zone: ZoneInfo, text: str) -> tuple[dt.datetime | None, str | None]:
    """A time with an offset as it is; one without, in ``zone`` (``localize``)."""
    if moment.tzinfo is not None:
        return moment.astimezone(UTC), None
    return localize(moment, zone, text)


def _cell_datetime(raw: Any, text: str, patterns: tuple[str, ...]) -> dt.datetime | None:
    if isinstance(raw, dt.datetime):
        return raw
    if isinstance(raw, dt.date):
        return dt.datetime(raw.year, raw.month, raw.day)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if not raw >= 1:  # serials start at 1 (1900-01-01); below is a time alone, or NaN
            return None
        try:
            return from_excel(raw)  # an Excel serial date
        except (ValueError, OverflowError, TypeError):
            return None
    return datetime_text(text, patterns)


def datetime_text(text: str, patterns: tuple[str, ...]) -> dt.datetime | None:
    """A date-time written as text: by the first of ``patterns`` that reads it (strptime
    patterns, or ``ISO_8601``: ``ImportConfig.date_patterns``)."""
    if not text.isascii():
        return None
    for pattern in patterns:
        try:
            if pattern == ISO_8601:
                return dt.datetime.fromisoformat(text)
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def localize(
    naive: dt.datetime, zone: ZoneInfo, text: str
) -> tuple[dt.datetime | None, str | None]:
    """Attach ``zone`` to a naive time; refuse times a daylight saving change skips or repeats."""
    if zone.key in FIXED_ZONES:
        return naive.replace(tzinfo=UTC), None
    earlier = naive.replace(tzinfo=zone, fold=0)
    later = naive.replace(tzinfo=zone, fold=1)
    if earlier.utcoffset() != later.utcoffset():
        round_trip = earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        template = messages.DATE_DOES_NOT_EXIST if round_trip != naive else messages.DATE_AMBIGUOUS
        return None, template.format(value=text, zone=zone.key)
    return earlier.astimezone(UTC), None


CellParser = Callable[[Any, str, ImportConfig, ZoneInfo], tuple[Any, str | None]]


@cache
def _parser(name: str) -> CellParser:
    """The parser of field ``name``'s cells, chosen once: ``(raw, text, config, zone)``."""
    kind = FIELDS[name].kind
    if kind == "date":
        return lambda raw, text, config, zone: parse_date(raw, config.date_patterns, zone)
    if kind in ("duration", "capacity"):
        return _number_parser(kind)
    if kind == "status":
        return lambda raw, text, config, zone: _status(unquote(text), config)
    return _text_parser(name, FIELDS[name].max_length, kind == "key" or name in LOOKUP_TEXT_FIELDS)


def _number_parser(kind: str) -> CellParser:
    minimum, template, factor = {
        "duration": (1, messages.DURATION_NOT_VALID, 60),  # hours, stored in minutes
        "capacity": (0, messages.CAPACITY_NOT_VALID, 1),
    }[kind]

    def parse(raw: Any, text: str, config: ImportConfig, zone: ZoneInfo) -> tuple[Any, str | None]:
        number = parse_whole_number(raw, minimum=minimum)
        if number is None or number * factor > MAX_WHOLE_NUMBER:
            return None, template.format(value=messages.shorten(text))
        return number * factor, None

    return parse


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
    if text == config.active_code:
        return "A", None
    if text == config.cancelled_code:
        return "C", None
    return None, messages.STATUS_NOT_VALID.format(
        value=messages.shorten(text), active=config.active_code, cancelled=config.cancelled_code
    )


CheckingParser = Callable[[int, list[Any], list[str]], tuple[ParsedRow, list[RowError]]]


def checking_parser(
    column_map: dict[str, int], config: ImportConfig, zone: ZoneInfo
) -> CheckingParser:
    """A function that turns one row's cells (and their texts, ``as_text``) into typed values
    and every independent problem. What depends only on the column map is worked out once."""
    columns = tuple(
        (name, index, ATTRIBUTES[name], FIELDS[name].mandatory, _parser(name))
        for name, index in column_map.items()
    )
    pairs = []
    for pair in ONE_OF_PAIRS:
        present = [name for name in pair if name in column_map]
        pairs.append((" or ".join(present), present[0], [column_map[name] for name in present]))

    def parse(line: int, cells: list[Any], texts: list[str]) -> tuple[ParsedRow, list[RowError]]:
        row = ParsedRow(line)
        errors: list[RowError] = []
        count = len(cells)
        for name, index, attribute, mandatory, parse_value in columns:
            raw = cells[index] if index < count else None
            text = texts[index] if index < count else ""
            if text == "":
                if mandatory:
                    errors.append(RowError(line, messages.FIELD_EMPTY.format(field=name), name))
                continue
            value, message = parse_value(raw, text, config, zone)
            if message is not None:
                errors.append(RowError(line, message, name, text))
            else:
                setattr(row, attribute, value)
        for label, first, indexes in pairs:
            if not any(index < count and texts[index] for index in indexes):
                errors.append(RowError(line, messages.FIELD_EMPTY.format(field=label), first))
        return row, errors

    return parse
