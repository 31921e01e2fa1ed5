"""Text dates written with slashes and no date format: day first or month first, by the column.

``10/03/2027 09:00`` is the 10 March in a French export and the 3 October in an American one.
With no date format (the configuration's ``dateFormat`` or the date format option), ISO 8601
is read as always, and the date column decides how slash dates are read: the first slash
date whose first or second number is above 12 tells the order, and every slash date of the
file is then read that way (with or without seconds, or a date alone). Slash dates that could
be either (``03/04/2027``, and no date of the column tells) are each their row's error, which
says so (``date_order_ambiguous``): never a guess.
"""

import re
from dataclasses import dataclass

from . import messages
from .results import RowError

SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/\d{4}(?: \d{1,2}:\d{2}(?::\d{2})?)?")
# Tried after ISO 8601, in turn (``cells.datetime_text``).
DAY_FIRST = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y")
MONTH_FIRST = ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y")
SOURCES: dict[tuple[str, ...], str] = {
    DAY_FIRST: "DD/MM/YYYY HH:II",
    MONTH_FIRST: "MM/DD/YYYY HH:II",
}
MONTHS = 12


@dataclass(frozen=True)
class DateOrder:
    """The patterns the column's dates showed, and the warning that says so."""

    patterns: tuple[str, ...]
    note: RowError


def order_told_by(text: str, *, line: int, column: str) -> DateOrder | None:
    """The order that one cell's text tells, if it is a slash date with a number above 12
    (``scan`` asks each row's date until one tells)."""
    match = SLASH_DATE.fullmatch(text.strip())
    if match is None:
        return None  # not a slash date: ISO, or that row's own error
    patterns = _told(int(match[1]), int(match[2]))
    if patterns is None:
        return None
    return DateOrder(patterns, _note(patterns, line=line, text=text.strip(), column=column))


def could_be_either(text: str) -> bool:
    """A slash date that reads as a date day first and month first: ``03/04/2027``."""
    match = SLASH_DATE.fullmatch(text)
    return match is not None and 0 < int(match[1]) <= MONTHS and 0 < int(match[2]) <= MONTHS


def _told(first: int, second: int) -> tuple[str, ...] | None:
    if first > MONTHS >= second:
        return DAY_FIRST
    if second > MONTHS >= first:
        return MONTH_FIRST
    return None  # both at most 12 (either order), or both above (no order): nothing told


def _note(patterns: tuple[str, ...], *, line: int, text: str, column: str) -> RowError:
    message = messages.DATE_ORDER_INFERRED.format(
        column=column, format=SOURCES[patterns], value=messages.shorten(text), line=line
    )
    return RowError(None, message, column, level="WARNING", code=message.code)
