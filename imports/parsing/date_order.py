"""Text dates written day or month first and no date format: which, by the column.

``10/03/2027 09:00`` is the 10 March in a French export and the 3 October in an American one;
so are ``10-03-2027`` and ``10.03.2027``. With no date format (the configuration's
``dateFormat`` or the date format option), ISO 8601 is read as always, and the date column
decides how such dates are read: the first one whose first or second number is above 12 tells
the order, and every date of the file written day or month first is then read that way
(whatever its separator, with or without a time of day or a weekday before it: ``moments``).
Dates that could be either (``03/04/2027``, and no date of the column tells) are read as the
site's language writes dates (``conf.site_date_order``: French day first, American English
month first), and the result says so with the first such date (``date_order_by_language``);
when the site has no such convention (``DATE_ORDER`` "ask"), each is its row's error, which
says so (``date_order_ambiguous``): never a silent guess.
"""

import re
from dataclasses import dataclass

from . import messages
from .config_values import as_people_write
from .results import RowError

# A date day or month first, after a weekday name maybe; whatever follows it (its time of day)
# is the reader's (``moments``).
SLASH_DATE = re.compile(
    r"(?:[A-Za-z]+\.?,?\s+)?([0-9]{1,2})([/.-])([0-9]{1,2})\2[0-9]{4}(?![0-9/.-])"
)
# The order told, as patterns (``ImportConfig.inferred_date_formats``; ``day_first`` reads it).
DAY_FIRST = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y")
MONTH_FIRST = ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y")
# As the notes show them: the minutes as people write them (HH:MM, not the configuration's II).
SOURCES: dict[tuple[str, ...], str] = {
    DAY_FIRST: as_people_write("DD/MM/YYYY HH:II"),
    MONTH_FIRST: as_people_write("MM/DD/YYYY HH:II"),
}
MONTHS = 12


@dataclass(frozen=True)
class DateOrder:
    """The patterns the column's dates showed, and the warning that says so; ``first``:
    ``"day"`` or ``"month"``; ``told_by``: ``"file"`` (a date of it), ``"language"`` (the
    site's) or ``"setting"`` (``DATE_ORDER``)."""

    patterns: tuple[str, ...]
    note: RowError
    first: str = ""
    told_by: str = "file"


def order_told_by(
    text: str, *, line: int, column: str, shown: str | None = None
) -> DateOrder | None:
    """The order that one cell's text tells, if it is a slash date with a number above 12
    (``scan`` asks each row's date until one tells). ``shown``: the column as the file names
    it (its header cell), for the note's words; ``column`` is the action's."""
    match = SLASH_DATE.match(text.strip())
    if match is None:
        return None  # not a date day or month first: ISO, or that row's own error
    patterns = _told(int(match[1]), int(match[3]))
    if patterns is None:
        return None
    note = _note(patterns, line=line, text=text.strip(), column=column, shown=shown or column)
    return DateOrder(patterns, note, "day" if patterns is DAY_FIRST else "month")


def by_convention(
    order: str,
    *,
    language: str | None,
    line: int,
    text: str,
    column: str,
    shown: str | None = None,
) -> DateOrder:
    """The order ``order`` (``"day"`` or ``"month"``) that no date of the file told, taken from
    the site's language (``language``) or from the setting (None), with the note that says so
    and names the first date that could be either."""
    patterns = DAY_FIRST if order == "day" else MONTH_FIRST
    fields = {
        "column": shown or column,
        "order": order,
        "format": SOURCES[patterns],
        "value": messages.shorten(text),
        "line": line,
    }
    if language is None:
        message = messages.DATE_ORDER_BY_SETTING.format(**fields)
    else:
        message = messages.DATE_ORDER_BY_LANGUAGE.format(language=language, **fields)
    note = RowError(None, message, column, level="WARNING", code=message.code)
    return DateOrder(patterns, note, order, "setting" if language is None else "language")


def could_be_either(text: str) -> bool:
    """A date that reads day first and month first: ``03/04/2027``, ``03.04.2027 09:00``."""
    match = SLASH_DATE.match(text)
    return match is not None and 0 < int(match[1]) <= MONTHS and 0 < int(match[3]) <= MONTHS


def _told(first: int, second: int) -> tuple[str, ...] | None:
    if first > MONTHS >= second:
        return DAY_FIRST
    if second > MONTHS >= first:
        return MONTH_FIRST
    return None  # both at most 12 (either order), or both above (no order): nothing told


def _note(patterns: tuple[str, ...], *, line: int, text: str, column: str, shown: str) -> RowError:
    message = messages.DATE_ORDER_INFERRED.format(
        column=shown, format=SOURCES[patterns], value=messages.shorten(text), line=line
    )
    return RowError(None, message, column, level="WARNING", code=message.code)
