"""The ``dateFormat`` that reads a column's dates as a file writes them, day or month first:
what the admin's mapping step saves, so that the next file of the same tool is read the same
way whatever its dates (a week whose days are all 12 or less included).

The order is the one a date of the column tells (``date_order.order_told_by``), else, when
some date could be either, the site's (given by the caller: ``conf.site_date_order``). The
format is the first of the usual ways of writing such a date (a weekday before it or not;
slashes, dashes or dots; a time of day on a 24- or 12-hour clock, with or without seconds)
that reads every date of the sample. Without a start time column, only formats with a time of
day are tried: a saved format without one would start every date at 00:00, which the file
never said. None when the dates need no format (ISO 8601) or no usual one reads them all.
"""

from dataclasses import replace
from zoneinfo import ZoneInfo

from .cells import value_problem
from .config import ImportConfig
from .config_values import date_pattern
from .date_order import SLASH_DATE, could_be_either, order_told_by
from .moments import DATE, START_TIME

WEEKDAYS = ("", "WW ")
SEPARATORS = ("/", "-", ".")
TIMES = (" HH:II", " HH:II:SS", " hh:II AA", " hh:II:SS AA")


def date_format_read(
    dates: list[str], config: ImportConfig, zone: ZoneInfo, *, site_order: str | None
) -> str | None:
    """The ``dateFormat`` (as the seed writes one: ``DD/MM/YYYY HH:II``) that reads every one
    of ``dates`` with ``config``'s columns; None when none is needed or none fits."""
    dates = [text.strip() for text in dates if text.strip()]
    if not any(SLASH_DATE.match(text) for text in dates):
        return None  # ISO 8601, or nothing a format would read: as without one
    order = _order(dates, site_order)
    if order is None:
        return None
    times = ("", *TIMES) if START_TIME in config.fields else TIMES
    for source in _candidates(order, times):
        pattern = date_pattern(source)
        candidate = replace(config, date_format=pattern, date_format_source=source)
        if all(value_problem(DATE, text, candidate, zone) is None for text in dates):
            return source
    return None


def _order(dates: list[str], site_order: str | None) -> str | None:
    for line, text in enumerate(dates):
        told = order_told_by(text, line=line, column=DATE)
        if told is not None:
            return told.first
    return site_order if any(could_be_either(text) for text in dates) else None


def _candidates(order: str, times: tuple[str, ...]) -> list[str]:
    found = []
    for weekday in WEEKDAYS:
        for separator in SEPARATORS:
            first, second = ("DD", "MM") if order == "day" else ("MM", "DD")
            date = f"{first}{separator}{second}{separator}YYYY"
            found += [f"{weekday}{date}{time}" for time in times]
    return found
