"""Rows to cells: an intervention's values as the cells our importer reads back unchanged.

The columns, their order and the header line come from the configuration (``ImportConfig``)
and from the one description of the columns (``fields.FIELD_SPECS``); an intervention is
given as a ``ParsedRow`` (the importer's own typed row), so each column's value is the
attribute its ``FieldSpec`` names. No database, no file format here (``writers.py``).

Dates: without ``dateFormat``, ISO 8601 in the export's time zone without offset
(``2027-03-01T09:00:00``), except a time that a daylight saving change repeats there, which
is written with its UTC offset (``2027-10-31T02:30:00+02:00``): the importer refuses such a
time without one. With ``dateFormat``, the start written in it must read back as the same
instant; when it cannot (a repeated time, seconds the format has no place for), the export
fails naming the intervention: it never writes a file that imports differently.
"""

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from imports.parsing import messages
from imports.parsing.cells import ParsedRow
from imports.parsing.config import ImportConfig
from imports.parsing.durations import duration_cell
from imports.parsing.fields import FIELDS, IGNORED_COLUMN, SEED_FIELD_NAMES
from imports.parsing.moments import (
    DATE,
    END_DATE,
    END_TIME,
    START_TIME,
    Moments,
    read_date_text,
    to_utc,
)

Cell = str | int | float  # a text, or a number (a number cell in a spreadsheet)
Quote = Callable[[str], str]


class ExportProblem(Exception):
    """A value that cannot be written so that it imports back as it is."""

    def __init__(self, template: messages.Message, column: str, value: str, **extra: str) -> None:
        super().__init__(template)
        self.template, self.column, self.value, self.extra = template, column, value, extra

    def message(self, line: int, guid: str) -> messages.Message:
        shown = messages.shorten(self.value)
        return self.template.format(
            line=line, guid=guid, column=self.column, value=shown, **self.extra
        )


def header_row(config: ImportConfig) -> list[str]:
    """Column names in the configuration's order (every field when it reads a header row)."""
    if config.columns is None:
        return [name for name in SEED_FIELD_NAMES if name in config.fields]
    return [name or IGNORED_COLUMN for name in config.columns]


def written_fields(config: ImportConfig) -> list[str | None]:
    """Per column, the field whose value is written there; None: left empty (an
    ``<ignoredColumn/>``, or a column of ``columnsMapping`` the action does not use)."""
    if config.columns is None:
        return list(header_row(config))
    return [name if name in config.fields else None for name in config.columns]


def row_cells(config: ImportConfig, zone: ZoneInfo, quote: Quote) -> Callable[[ParsedRow], list]:
    """The function that turns one intervention into its row of cells."""
    names = written_fields(config)
    if any(name in SPLIT_COLUMNS for name in names):
        return _split_row_cells(config, zone, quote, names)
    makers = [_maker(name, config, zone, quote) for name in names]

    def cells(row: ParsedRow) -> list[Cell]:
        return [make(row) for make in makers]

    return cells


SPLIT_COLUMNS = frozenset({START_TIME, END_TIME, END_DATE})  # a start or an end in parts


def _split_row_cells(
    config: ImportConfig, zone: ZoneInfo, quote: Quote, names: list[str | None]
) -> Callable[[ParsedRow], list]:
    """Cells for a configuration that writes the start or the end in parts (a date and a
    start time, an end time, an end date): the moment cells come from ``moment_writer``."""
    makers = [
        None if name in WRITTEN_MOMENTS else _maker(name, config, zone, quote) for name in names
    ]
    write_moments = moment_writer(config, zone, frozenset(name for name in names if name))

    def cells(row: ParsedRow) -> list[Cell]:
        texts = write_moments(row)
        return [
            make(row) if make is not None else texts[str(name)]
            for name, make in zip(names, makers, strict=True)
        ]

    return cells


WRITTEN_MOMENTS = frozenset({DATE, START_TIME, END_TIME, END_DATE})


def moment_writer(
    config: ImportConfig, zone: ZoneInfo, written: frozenset[str]
) -> Callable[[ParsedRow], dict[str, str]]:
    """The texts of a row's date, start time, end time and end date, each read back by the
    importer's own readers (``moments.Moments``), which must give the same start and duration;
    else the export fails naming the intervention (a time that a daylight saving change
    repeats has no place for its offset here; a ``dateFormat`` without a time of day cannot
    hold an end on another day without ``interventionEndDate``)."""
    moments = Moments(written, config, zone)
    readers = {name: moments.reader(name) for name in written & WRITTEN_MOMENTS}
    date_format = config.date_format
    joined, has_end, end_date_written = (
        START_TIME in written,
        END_TIME in written,
        END_DATE in written,
    )

    def date_text(local: dt.datetime, with_time: bool) -> str:
        if date_format:
            return local.strftime(date_format)
        if with_time:
            return local.replace(tzinfo=None).isoformat(timespec=_timespec(local))
        return local.date().isoformat()

    def texts(row: ParsedRow) -> dict[str, str]:
        if row.start is None or row.duration is None:
            raise ValueError("an intervention without a start or a duration")
        start = row.start.astimezone(zone)
        end = (row.start + dt.timedelta(minutes=row.duration)).astimezone(zone)
        same_day = end.date() == start.date()
        found = {
            DATE: date_text(_midnight(start), False) if joined else date_text(start, True),
            START_TIME: _time_text(start),
            END_TIME: _time_text(end) if same_day or end_date_written else date_text(end, True),
            END_DATE: date_text(_midnight(end), False) if end_date_written else "",
        }
        _check(row, found, start, end)
        return found

    def _check(row: ParsedRow, found: dict[str, str], start: dt.datetime, end: dt.datetime) -> None:
        parts = {}
        for name, read in readers.items():
            text = found[name]
            if text:
                value, problem = read(text, text)
                if problem is not None:
                    raise _moment_problem(config, zone, start, end)
                parts[name] = (value, text)
        settled, problems = moments.settle(parts)
        if (
            any(not problem.warning for problem in problems)
            or settled.start != row.start
            or (has_end and settled.duration != row.duration)
        ):
            raise _moment_problem(config, zone, start, end)

    return texts


def _midnight(local: dt.datetime) -> dt.datetime:
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _moment_problem(
    config: ImportConfig, zone: ZoneInfo, start: dt.datetime, end: dt.datetime
) -> ExportProblem:
    """The start's problem, else the end's when it is the one a change repeats."""
    if not _repeated(start, zone) and _repeated(end, zone):
        return _date_problem(config, zone, end, END_TIME)
    return _date_problem(config, zone, start, DATE)


def _repeated(local: dt.datetime, zone: ZoneInfo) -> bool:
    naive = local.replace(tzinfo=None)
    return (
        naive.replace(fold=0, tzinfo=zone).utcoffset()
        != naive.replace(fold=1, tzinfo=zone).utcoffset()
    )


def _timespec(local: dt.datetime) -> str:
    return "microseconds" if local.microsecond else "seconds"


def _time_text(local: dt.datetime) -> str:
    """A time of day as the importer reads it back: ``09:00``, ``09:00:30``."""
    return local.strftime("%H:%M:%S" if local.second or local.microsecond else "%H:%M")


def _maker(
    name: str | None, config: ImportConfig, zone: ZoneInfo, quote: Quote
) -> Callable[[ParsedRow], Cell]:
    if name is None:
        return lambda row: ""
    spec = FIELDS[name]
    attribute = spec.attribute
    if spec.kind == "date":
        write_date = date_writer(config, zone, name)
        return lambda row: write_date(getattr(row, attribute))
    if spec.kind == "duration":
        unit = config.duration_unit
        return lambda row: "" if row.duration is None else duration_cell(row.duration, unit)
    if spec.kind == "capacity":
        return lambda row: "" if getattr(row, attribute) is None else getattr(row, attribute)
    if spec.kind == "status":
        codes = {"A": config.active_code, "C": config.cancelled_code}
        return lambda row: quote(codes[getattr(row, attribute)])
    return lambda row: quote(getattr(row, attribute) or "")


def date_writer(config: ImportConfig, zone: ZoneInfo, column: str) -> Callable[[dt.datetime], str]:
    """The text of a start: ISO 8601, or the configuration's ``dateFormat``, read back by the
    importer (``moments.read_date_text``, ``moments.to_utc``) as the same instant."""
    date_format = config.date_format

    def write(moment: dt.datetime) -> str:
        local = moment.astimezone(zone)
        if date_format is None:
            spec = "microseconds" if local.microsecond else "seconds"
            text = local.replace(tzinfo=None).isoformat(timespec=spec)
            return text if _reads_back(text, None, zone, moment) else local.isoformat(timespec=spec)
        text = local.strftime(date_format)
        if not _reads_back(text, date_format, zone, moment):
            raise _date_problem(config, zone, local, column)
        return text

    return write


def _reads_back(text: str, date_format: str | None, zone: ZoneInfo, moment: dt.datetime) -> bool:
    naive, _, problem = read_date_text(text, ImportConfig(date_format=date_format))
    return problem is None and naive is not None and to_utc(naive, zone, text)[0] == moment


def _date_problem(
    config: ImportConfig, zone: ZoneInfo, local: dt.datetime, column: str
) -> ExportProblem:
    shown = local.isoformat(sep=" ")
    source = config.date_format_source or str(config.date_format or "of separate date and time")
    naive = local.replace(tzinfo=None)
    if (
        naive.replace(fold=0, tzinfo=zone).utcoffset()
        != naive.replace(fold=1, tzinfo=zone).utcoffset()
    ):
        template = messages.EXPORT_DATE_AMBIGUOUS
        return ExportProblem(template, column, shown, zone=zone.key, format=source)
    return ExportProblem(messages.EXPORT_DATE_NOT_EXACT, column, shown, format=source)
