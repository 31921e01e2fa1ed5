"""Files with the header row a layout expects and one example row, for users to fill in; and
the description of the expected columns that the upload page shows.

The example row names the demo data's training, session, room and teacher
(``training/fixtures/demo.json``), so that a template imports cleanly on a fresh ``make run``;
its date, status and delimiter are written as the layout reads them.
"""

import datetime as dt
import io
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_lazy

from imports.conf import site_zone
from imports.export.cells import SPLIT_COLUMNS, ExportProblem, header_row, moment_writer
from imports.parsing.cells import ParsedRow
from imports.parsing.config import ImportConfig
from imports.parsing.config_values import as_people_write
from imports.parsing.durations import MINUTES
from imports.parsing.fields import FIELDS, IGNORED_COLUMN, ONE_OF_PAIRS

from .error_report import write_csv

__all__ = ["TEMPLATE_FORMATS", "header_row", "template_file"]
TEMPLATE_FORMATS = ("csv", "xlsx")
EXAMPLE_START = dt.datetime(2027, 4, 12, 9, 0)  # a Monday morning, in the site's time zone
EXAMPLE = {
    "interventionGuid": "IV-EXAMPLE-1",
    "trainingGuid": "TR-1",
    "trainingPathCode": "PATH-DATA",
    "sessionGuid": "SE-1",
    "sessionTitle": "Spring 2027",
    "interventionDuration": "3",
    "roomGuid": "R-101",
    "roomLabel": "Room 101",
    "roomCapacity": "20",
    "teacherLogin": "jdoe",
}
EXAMPLE_MINUTES = 180
# The words of the upload page's "Expected columns" (in the page's language).
ISO_DATES = gettext_lazy(
    "ISO 8601 (2027-04-12 09:00, an offset allowed), 2027/04/12 09:00, or day or month first"
    " (12/04/2027 09:00, 12-04-2027 9h, 12.04.2027 9:00 AM: as the file's dates tell), a"
    " weekday name before it allowed, in the site's time zone"
)
KIND_FORMATS = {
    "key": gettext_lazy("text, up to {length} characters"),
    "text": gettext_lazy("text, up to {length} characters"),
    "duration": gettext_lazy("hours (2, 1.5, 1h30, 1:30) or minutes (90 min), more than 0"),
    "capacity": gettext_lazy("whole number, 0 or more"),
    "time": gettext_lazy(
        "the start's time of day (09:00, 9h30, 9:00 AM); interventionDate holds the date"
    ),
    "end": gettext_lazy(
        "the end's time of day (12:00), or its date and time; the duration is the end minus"
        " the start"
    ),
}
MINUTES_FORMAT = gettext_lazy("minutes (90), or 1h30, 1:30, more than 0")


@dataclass(frozen=True)
class ColumnGuide:
    """One expected column: its name, whether a row needs it, what it holds."""

    name: str
    needed: str
    format: str


def example_row(config: ImportConfig) -> list[str]:
    """One row that imports cleanly against the demo data, as ``config`` reads it."""
    start = (
        EXAMPLE_START.strftime(config.date_format)
        if config.date_format
        else EXAMPLE_START.isoformat(sep=" ", timespec="minutes")
    )
    values = {**EXAMPLE, "interventionDate": start, "interventionStatus": config.active_code}
    if config.duration_unit == MINUTES:
        values["interventionDuration"] = str(EXAMPLE_MINUTES)
    names = header_row(config)
    if SPLIT_COLUMNS.intersection(names):  # a start or an end in parts, as the export writes it
        zone = site_zone()
        moment = EXAMPLE_START.replace(tzinfo=zone).astimezone(dt.UTC)
        written = frozenset(name for name in names if name != IGNORED_COLUMN)
        try:
            row = ParsedRow(0, start=moment, duration=EXAMPLE_MINUTES)
            values.update(moment_writer(config, zone, written)(row))
        except ExportProblem:
            pass  # a dateFormat that cannot hold it: the date as above
    return [values.get(name, "") if name != IGNORED_COLUMN else "" for name in names]


def template_file(config: ImportConfig, file_format: str) -> bytes:
    rows = [header_row(config), example_row(config)]
    if file_format == "csv":
        return write_csv(rows, delimiter=config.delimiter or ";")
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column_guide(config: ImportConfig) -> list[ColumnGuide]:
    """The columns ``config`` reads, in its order, with what each needs and holds."""
    names = [name for name in header_row(config) if name != IGNORED_COLUMN]
    return [ColumnGuide(name, _needed(name), _format(name, config)) for name in names]


def _needed(name: str) -> str:
    for pair in ONE_OF_PAIRS:
        if name in pair:
            other = pair[1] if name == pair[0] else pair[0]
            return gettext("this or {other}").format(other=other)
    spec = FIELDS[name]
    if spec.may_be_absent:  # derived when the file has no such column (derived_keys)
        return gettext("optional column; no empty cell")
    return gettext("required") if spec.mandatory else gettext("optional")


def _format(name: str, config: ImportConfig) -> str:
    spec = FIELDS[name]
    if spec.kind in ("date", "end date"):
        if config.date_format_source:
            return gettext("{format}, in the site's time zone").format(
                format=as_people_write(config.date_format_source)
            )
        if spec.kind == "date":
            return str(ISO_DATES)
        return gettext("the end's date, as interventionDate")
    if spec.kind == "duration" and config.duration_unit == MINUTES:
        return str(MINUTES_FORMAT)
    if spec.kind == "status":
        either = gettext(" or ")
        active, cancelled = either.join(config.codes_of("A")), either.join(config.codes_of("C"))
        return gettext("{active} (active) or {cancelled} (cancelled)").format(
            active=active, cancelled=cancelled
        )
    return str(KIND_FORMATS[spec.kind]).format(length=spec.max_length)
