"""Rows to cells: an intervention's values as the cells our importer reads back unchanged.

The columns, their order and the header line come from the configuration (``ImportConfig``)
and from the one description of the columns (``fields.FIELD_SPECS``); an intervention is
given as a ``ParsedRow`` (the importer's own typed row), so each column's value is the
attribute its ``FieldSpec`` names. No database, no file format here (``export_writers``).

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
from imports.parsing.cells import ParsedRow, datetime_text, to_utc
from imports.parsing.config import ISO_8601, ImportConfig
from imports.parsing.durations import duration_cell
from imports.parsing.fields import FIELD_NAMES, FIELDS, IGNORED_COLUMN

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
        return [name for name in FIELD_NAMES if name in config.fields]
    return [name or IGNORED_COLUMN for name in config.columns]


def written_fields(config: ImportConfig) -> list[str | None]:
    """Per column, the field whose value is written there; None: left empty (an
    ``<ignoredColumn/>``, or a column of ``columnsMapping`` the action does not use)."""
    if config.columns is None:
        return list(header_row(config))
    return [name if name in config.fields else None for name in config.columns]


def row_cells(config: ImportConfig, zone: ZoneInfo, quote: Quote) -> Callable[[ParsedRow], list]:
    """The function that turns one intervention into its row of cells."""
    makers = [_maker(name, config, zone, quote) for name in written_fields(config)]

    def cells(row: ParsedRow) -> list[Cell]:
        return [make(row) for make in makers]

    return cells


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
    importer (``cells.datetime_text``, ``cells.to_utc``) as the same instant."""
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
    naive = datetime_text(text, (date_format,) if date_format else (ISO_8601,))
    return naive is not None and to_utc(naive, zone, text)[0] == moment


def _date_problem(
    config: ImportConfig, zone: ZoneInfo, local: dt.datetime, column: str
) -> ExportProblem:
    shown = local.isoformat(sep=" ")
    source = config.date_format_source or str(config.date_format)
    naive = local.replace(tzinfo=None)
    if (
        naive.replace(fold=0, tzinfo=zone).utcoffset()
        != naive.replace(fold=1, tzinfo=zone).utcoffset()
    ):
        template = messages.EXPORT_DATE_AMBIGUOUS
        return ExportProblem(template, column, shown, zone=zone.key, format=source)
    return ExportProblem(messages.EXPORT_DATE_NOT_EXACT, column, shown, format=source)
