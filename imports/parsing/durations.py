"""Durations to the minute: read as planning tools write them, written back so they read the same.

Read (``read_duration``): whole or decimal hours (``2``, ``1.5``, ``1,5``, ``3,0``), hours and
minutes (``1h30``, ``01h30``, ``1h``, ``1:30``), minutes (``90 min``); a bare number is hours
unless the provider says ``<durationUnit>minutes</durationUnit>`` (``unit``). A spreadsheet
number is a bare number; a time cell (``01:30``) is hours and minutes. The value is a whole
number of minutes, more than 0: anything else is the row's error (``duration_not_valid``). A
duration over 24 hours is read, with a warning that says how (``duration_over_a_day``): ``90``
in hours is more likely minutes.

Written (``duration_cell``, the export): hours as a decimal number when two decimals hold it
exactly (``2``, ``1.5``, ``0.75``), else ``H:MM`` (``0:50``); in minutes (``90``) with the
configuration's ``durationUnit`` minutes. Each reads back as the same number of minutes.
"""

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from . import messages

HOURS, MINUTES = "hours", "minutes"
UNITS = {HOURS: 60, MINUTES: 1}  # minutes per unit
MINUTES_PER_HOUR = 60
DAY_MINUTES = 24 * MINUTES_PER_HOUR
MAX_MINUTES = 2_147_483_647  # the database's integer
BARE_NUMBER = re.compile(r"(-?)([0-9]{1,10})(?:[.,]([0-9]{1,10}))?")
HOURS_AND_MINUTES = re.compile(r"(-?)([0-9]{1,7}) ?(?:h ?([0-9]{2})?|:([0-9]{2}))", re.IGNORECASE)
IN_MINUTES = re.compile(r"(-?)([0-9]{1,10}) ?(?:min|mn|minutes?)", re.IGNORECASE)

Reading = tuple[int | None, messages.Message | None, messages.Message | None]


def read_duration(raw: Any, text: str, unit: str = HOURS) -> Reading:
    """A cell's duration: (minutes, error, warning); minutes None when the error is given."""
    if isinstance(raw, bool):
        return _not_valid(text, unit)
    if isinstance(raw, int | float):
        if raw != raw:  # NaN
            return _not_valid(text, unit)
        return _checked(Decimal(repr(raw)) * UNITS[unit], text, unit, bare=True)
    if isinstance(raw, dt.time):
        if raw.second or raw.microsecond:
            return None, messages.DURATION_NOT_WHOLE_MINUTES.format(value=text), None
        return _checked(Decimal(raw.hour * MINUTES_PER_HOUR + raw.minute), text, unit, bare=False)
    if isinstance(raw, dt.timedelta):
        seconds = Decimal(str(raw.total_seconds()))
        return _checked(seconds / 60, text, unit, bare=False)
    return read_duration_text(text, unit)


def read_duration_text(text: str, unit: str = HOURS) -> Reading:
    """A text's duration (blanks around it already removed)."""
    match = BARE_NUMBER.fullmatch(text)
    if match:
        sign, whole, decimals = match.groups()
        number = Decimal(f"{sign}{whole}.{decimals or 0}")
        return _checked(number * UNITS[unit], text, unit, bare=True)
    match = HOURS_AND_MINUTES.fullmatch(text)
    if match:
        sign, hours, after_h, after_colon = match.groups()
        minutes = int(after_h or after_colon or 0)
        if minutes >= MINUTES_PER_HOUR:
            return _not_valid(text, unit)
        total = int(hours) * MINUTES_PER_HOUR + minutes
        return _checked(Decimal(-total if sign else total), text, unit, bare=False)
    match = IN_MINUTES.fullmatch(text)
    if match:
        sign, minutes_text, *_ = match.groups()
        return _checked(Decimal(f"{sign}{minutes_text}"), text, unit, bare=False)
    return _not_valid(text, unit)


def _checked(minutes: Decimal, text: str, unit: str, *, bare: bool) -> Reading:
    shown = messages.shorten(text)
    if minutes <= 0:
        return None, messages.DURATION_NOT_POSITIVE.format(value=shown), None
    if minutes != minutes.to_integral_value():
        return None, messages.DURATION_NOT_WHOLE_MINUTES.format(value=shown), None
    if minutes > MAX_MINUTES:
        return _not_valid(text, unit)
    whole = int(minutes)
    if whole <= DAY_MINUTES:
        return whole, None, None
    if bare and unit == HOURS:
        return whole, None, messages.DURATION_READ_AS_HOURS.format(value=shown)
    return whole, None, messages.DURATION_OVER_A_DAY.format(value=shown, minutes=whole)


def _not_valid(text: str, unit: str) -> Reading:
    template = messages.DURATION_NOT_VALID if unit == HOURS else messages.DURATION_NOT_VALID_MINUTES
    return None, template.format(value=messages.shorten(text)), None


def hours_text(minutes: int) -> str:
    """Hours as a person writes them: a decimal number when two decimals hold it exactly
    (``2``, ``1.5``, ``0.75``), else ``H:MM`` (``0:50``)."""
    value = hours_number(minutes)
    if value is None:
        hours, rest = divmod(minutes, MINUTES_PER_HOUR)
        return f"{hours}:{rest:02d}"
    return str(value)


def hours_number(minutes: int) -> int | float | None:
    """The hours as a number when two decimals hold them exactly (``1.5``), else None."""
    hundredths, rest = divmod(minutes * 100, MINUTES_PER_HOUR)
    if rest:
        return None
    whole, cents = divmod(hundredths, 100)
    if not cents:
        return whole
    return float(Decimal(hundredths) / 100)


def duration_cell(minutes: int, unit: str | None) -> int | float | str:
    """The export's cell: minutes with ``durationUnit`` minutes, else hours as a number when
    two decimals hold them, else ``H:MM``; each reads back as ``minutes``."""
    if unit == MINUTES:
        return minutes
    number = hours_number(minutes)
    return number if number is not None else hours_text(minutes)
