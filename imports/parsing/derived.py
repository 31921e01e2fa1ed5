"""What the importer derives rather than reads, said in the result: never a silent value.

A start joined from a date and a start time, a duration that is the end minus the start, a GUID
derived from the columns of a slot (``derived_keys``): each
such value is stored as the preview shows it (``interventionDate``, ``interventionDuration``),
and the result says once, as a note (a WARNING-level problem without a line, as
``date_order_inferred``), which columns made it, on how many rows, and one row's cells with
the value they gave (the first valid row). The preview lists it among the warnings and the
command's ``--json`` among its ``warnings``. A ``dateFormat`` without a time of day is said
once too (``dates_without_time``): its dates start at 00:00.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from . import messages
from .cells import ParsedRow, as_text
from .config import ImportConfig
from .derived_keys import derives_guid, guid_sources, named
from .durations import MINUTES_PER_HOUR
from .moments import DATE, DURATION, END_DATE, END_TIME, START_TIME, has_time_part, shown_moment
from .results import RowError

WARNING = "WARNING"


def dates_without_time(config: ImportConfig, columns: dict[str, int]) -> list[RowError]:
    """The note of a ``dateFormat`` without a time of day, when no column gives the start's."""
    if not config.date_format or has_time_part(config.date_format) or START_TIME in columns:
        return []
    source = config.date_format_source or config.date_format
    message = messages.DATES_WITHOUT_TIME.format(format=source)
    return [RowError(None, message, DATE, level=WARNING, code=message.code)]


@dataclass
class _Example:
    line: int
    cells: str
    value: str
    # A joined start: its date and time cells, quoted; a derived duration: its start, as the
    # engine writes a moment, and its end, as the file wrote it.
    start: str = ""
    end: str = ""


@dataclass
class Derived:
    """The valid rows whose start was joined or whose duration was derived: how many, and the
    first one's cells and value."""

    at: dict[str, int]
    zone: ZoneInfo
    starts: int = 0
    durations: int = 0
    guids: int = 0
    first_start: _Example | None = None
    first_duration: _Example | None = None
    first_guid: _Example | None = None
    _with_end_date: bool = field(default=False)
    _guid_sources: tuple[str, ...] = ()

    @classmethod
    def of(cls, columns: dict[str, int], config: ImportConfig, zone: ZoneInfo) -> "Derived | None":
        """None when the column map derives nothing (the seed's shape)."""
        guids = derives_guid(columns)
        if START_TIME not in columns and END_TIME not in columns and not guids:
            return None
        sources = guid_sources(columns) if guids else ()
        return cls(dict(columns), zone, _with_end_date=END_DATE in columns, _guid_sources=sources)

    def add(self, row: ParsedRow, cells: list[Any]) -> None:
        """A valid row: count what was derived for it."""
        if row.start_time is not None and row.start is not None:
            self.starts += 1
            if self.first_start is None:
                date, time = f'"{self._text(cells, DATE)}"', f'"{self._text(cells, START_TIME)}"'
                start = shown_moment(row.start, self.zone)
                self.first_start = _Example(row.line, f"{date} and {time}", start, date, time)
        if row.end is not None and row.start is not None and not self._text(cells, DURATION):
            self.durations += 1
            if self.first_duration is None and row.duration is not None:
                end = f'"{self._text(cells, END_TIME)}"'
                if self._text(cells, END_DATE):
                    end = f'"{self._text(cells, END_DATE)}" {end}'
                start = shown_moment(row.start, self.zone)
                shown = f"start {start} and end {end}"
                self.first_duration = _Example(row.line, shown, str(row.duration), start, end)
        if self._guid_sources and row.guid:
            self.guids += 1
            if self.first_guid is None:
                shown = ", ".join(f'"{self._text(cells, name)}"' for name in self._guid_sources)
                self.first_guid = _Example(row.line, shown, row.guid)

    def _text(self, cells: list[Any], name: str) -> str:
        index = self.at.get(name)
        if index is None or index >= len(cells):
            return ""
        cell = cells[index]
        if isinstance(cell, dt.datetime | dt.date | dt.time):
            return as_text(cell.isoformat())
        return as_text(cell)

    def notes(self) -> list[RowError]:
        found = []
        if self.first_start is not None:
            first = self.first_start
            message = messages.STARTS_JOINED.format(
                count=self.starts,
                line=first.line,
                date=first.start,
                time=first.end,
                start=first.value,
            )
            found.append(RowError(None, message, START_TIME, first.cells, level=WARNING))
        if self.first_duration is not None:
            first = self.first_duration
            minutes = int(first.value)
            hours, rest = divmod(minutes, MINUTES_PER_HOUR)
            message = messages.DURATIONS_FROM_END.format(
                count=self.durations,
                and_date=", interventionEndDate" if self._with_end_date else "",
                line=first.line,
                start=first.start,
                end=first.end,
                hours=f"{hours}:{rest:02d}",
                minutes=minutes,
            )
            found.append(RowError(None, message, END_TIME, first.cells, level=WARNING))
        if self.first_guid is not None:
            first = self.first_guid
            message = messages.GUIDS_DERIVED.format(
                columns=named(self._guid_sources),
                count=self.guids,
                line=first.line,
                cells=first.cells,
                guid=first.value,
            )
            found.append(RowError(None, message, "interventionGuid", first.cells, level=WARNING))
        return found
