"""The export service: interventions as the file our importer reads, so that importing an
export again changes nothing (0 new, 0 updated, N unchanged).

    queryset -> ParsedRow per intervention -> cells.py (columns, dates, codes, quoting)
             -> writers.py (CSV, XLSX, ODS) -> a file written whole, or not at all

It knows nothing of HTTP or terminals: the command and the admin choose the interventions
(``select``, or the admin's list), the configuration and the format, and give a file.
A value the file cannot hold (``ExportProblem``) stops the export with ``ExportError``,
naming the line, the intervention and the column; no file, no partial file, is left. An
intervention that the configuration's ``<defaults>`` would give another value when the file is
imported again (``defaults.py``) stops it before its first line (``refuse_defaults``).
"""

import codecs
import datetime as dt
import io
import os
import tempfile
from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from imports.conf import default_time_zone
from imports.parsing.cells import ParsedRow
from imports.parsing.config import HEADER_CONFIG, ImportConfig
from imports.parsing.fields import FIELDS, SEED_FIELD_NAMES
from imports.parsing.messages import Message
from training.models import Intervention

from . import defaults
from .cells import SPLIT_COLUMNS, Cell, ExportProblem, header_row, row_cells
from .writers import FORMATS, RowWriter, open_writer, quote_for

__all__ = [
    "FORMATS",
    "ExportError",
    "ExportFilter",
    "export",
    "export_chunks",
    "export_to_path",
    "export_to_temporary",
    "never_fails",
    "refuse_defaults",
    "select",
]

# Where each column's value is stored, in the order of FIELD_SPECS (ParsedRow's order): the
# seed's columns; ours (a start time, an end) are written from the start and the duration.
SOURCES: dict[str, str] = {
    "interventionGuid": "guid",
    "trainingGuid": "session__training__guid",
    "trainingPathCode": "session__training__path_code",
    "sessionGuid": "session__guid",
    "sessionTitle": "session__title",
    "interventionDate": "start",
    "interventionDuration": "duration_minutes",
    "roomGuid": "room__guid",
    "roomLabel": "room__label",
    "roomCapacity": "room__capacity",
    "teacherLogin": "teacher__login",
    "interventionStatus": "status",
}
CHUNK_ROWS = 2000
SPOOL_BYTES = 8 * 1024 * 1024  # a temporary export stays in memory up to this size


class ExportError(Exception):
    """Nothing was exported: ``message`` (a ``Message``, with its code) says which value."""

    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message
        self.code = message.code


@dataclass(frozen=True)
class ExportFilter:
    """Which interventions: a training's, a session's, starting in a period (a date alone is
    a whole day in the export's time zone; ``until`` is included), of a status (``A`` active,
    ``C`` cancelled: the stored codes)."""

    training: str | None = None
    session: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    status: str | None = None


def select(filters: ExportFilter, time_zone: str | None = None) -> QuerySet[Intervention]:
    zone = ZoneInfo(time_zone or default_time_zone())
    queryset = Intervention.objects.all()
    if filters.training:
        queryset = queryset.filter(session__training__guid=filters.training)
    if filters.session:
        queryset = queryset.filter(session__guid=filters.session)
    if filters.since:
        queryset = queryset.filter(start__gte=_bound(filters.since, zone, 0))
    if filters.until:
        queryset = queryset.filter(start__lt=_bound(filters.until, zone, 1))
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return queryset


def _bound(value: dt.date, zone: ZoneInfo, days: int) -> dt.datetime:
    if isinstance(value, dt.datetime):  # a moment: as it is (naive: in the zone)
        moment = value if value.tzinfo else value.replace(tzinfo=zone)
        return moment + dt.timedelta(microseconds=1 if days else 0)
    return dt.datetime.combine(value + dt.timedelta(days=days), dt.time(), tzinfo=zone)


def interventions(queryset: QuerySet[Intervention]) -> Generator[ParsedRow, None, None]:
    """Each intervention as the importer's typed row, read in chunks (bounded memory)."""
    values = queryset.values_list(*(SOURCES[name] for name in SEED_FIELD_NAMES))
    for row in values.iterator(chunk_size=CHUNK_ROWS):
        yield ParsedRow(0, *row)


def refuse_defaults(
    queryset: QuerySet[Intervention], config: ImportConfig | None, time_zone: str | None = None
) -> None:
    """Raise ``ExportError`` when the configuration's ``<defaults>`` would give some of the
    interventions another value than their own on import (``defaults.py``): the first such
    default, how many interventions, the first of them; or when it does not write the GUID
    and some interventions' GUIDs are not the ones an import derives. Made before the
    export's first line."""
    if config is not None and defaults.derives_guids(config):
        _refuse_other_guids(queryset, config)
    if config is None or not config.defaults:
        return
    zone = ZoneInfo(time_zone or default_time_zone())
    for default in defaults.plain_defaults(config, zone):
        source = SOURCES[default.column]
        differing = _differing(queryset, default, source)
        first = list(differing.values_list("guid", source)[:1])
        if first:
            guid, stored = first[0]
            count, total = differing.count(), queryset.count()
            raise ExportError(defaults.plain_refusal(config, default, count, total, guid, stored))
    same = defaults.moments_reader(config, zone)
    if same is None:
        return
    count, total, example = 0, 0, None
    with closing(_moments(queryset)) as rows:
        for guid, start, duration in rows:
            total += 1
            if not same(start, duration):
                count += 1
                example = example or (guid, start, duration)
    if example is not None:
        raise ExportError(defaults.moments_refusal(config, zone, count, total, *example))


def _refuse_other_guids(queryset: QuerySet[Intervention], config: ImportConfig) -> None:
    """The interventions whose GUID is not the one an import with ``config`` derives."""
    count, total, first = 0, 0, ""
    for row in interventions(queryset):
        total += 1
        if defaults.derived_guid_as_read(row, config) != row.guid:
            count += 1
            first = first or row.guid
    if count:
        raise ExportError(defaults.guid_refusal(config, count, total, first))


def _moments(queryset: QuerySet[Intervention]) -> Generator[tuple[str, dt.datetime, int]]:
    """Each intervention's GUID, start and duration, read in chunks."""
    values = queryset.values_list("guid", "start", "duration_minutes")
    yield from values.iterator(chunk_size=CHUNK_ROWS)


def _differing(
    queryset: QuerySet[Intervention], default: defaults.Default, source: str
) -> QuerySet[Intervention]:
    """The interventions an import of the export would give the default instead of their own
    value: with the column written, those whose cell is empty; else those whose value is not
    the default's (every one, when the importer refuses the default)."""
    if default.written:
        empty = Q(**{f"{source}__isnull": True})
        if FIELDS[default.column].kind != "capacity":
            empty |= Q(**{source: ""})
        return queryset.filter(empty)
    if not default.readable:
        return queryset
    return queryset.exclude(**{source: default.value})


def export_rows(
    queryset: QuerySet[Intervention],
    config: ImportConfig | None = None,
    file_format: str = "csv",
    time_zone: str | None = None,
) -> Generator[tuple[int, str, list[Cell]], None, None]:
    """``(line, guid, cells)`` per line of the file: the header first (guid ""), when the
    configuration has one. Raises ``ExportError`` first when the configuration's defaults
    would change some of the interventions (``refuse_defaults``), and ``ExportProblem`` for a
    value that cannot be written."""
    refuse_defaults(queryset, config, time_zone)
    return _rows(queryset, config, file_format, time_zone)


def _rows(
    queryset: QuerySet[Intervention],
    config: ImportConfig | None = None,
    file_format: str = "csv",
    time_zone: str | None = None,
) -> Generator[tuple[int, str, list[Cell]], None, None]:
    config = config or HEADER_CONFIG
    zone = ZoneInfo(time_zone or default_time_zone())
    line = 0
    if config.skip_first_line:
        line += 1
        yield line, "", list(header_row(config))
    cells = row_cells(config, zone, quote_for(file_format))
    # closed at once when the export stops early: on PostgreSQL the rows come from a named
    # cursor, which must not be closed later, by the garbage collector, in another transaction
    with closing(interventions(queryset)) as rows:
        for row in rows:
            line += 1
            try:
                yield line, row.guid, cells(row)
            except ExportProblem as problem:
                raise ExportError(problem.message(line, row.guid)) from None


def export(
    queryset: QuerySet[Intervention],
    sink: BinaryIO | IO[bytes],
    config: ImportConfig | None = None,
    file_format: str = "csv",
    time_zone: str | None = None,
) -> int:
    """Write the export into ``sink``; return the number of interventions written. On
    ``ExportError`` the sink holds part of a file: ``export_to_path`` and
    ``export_to_temporary`` never hand such a file out."""
    refuse_defaults(queryset, config, time_zone)
    config = config or HEADER_CONFIG
    writer = open_writer(file_format, sink, config, header_row(config))  # type: ignore[arg-type]
    try:
        with closing(_rows(queryset, config, file_format, time_zone)) as rows:
            count = _write_rows(writer, rows)
    except BaseException:
        writer.abort()
        raise
    writer.close()
    return count


def _write_rows(writer: RowWriter, rows: Iterator[tuple[int, str, list[Cell]]]) -> int:
    count = 0
    for line, guid, cells in rows:
        try:
            writer.row(cells)
        except ExportProblem as problem:
            raise ExportError(problem.message(line, guid)) from None
        count += 1 if guid else 0
    return count


def never_fails(config: ImportConfig | None, file_format: str) -> bool:
    """Whether an export, once it has begun, can hold every stored value: a CSV in a Unicode
    encoding with ISO dates (text from the database always encodes; ISO dates always read
    back). Such an export may be streamed as it is made, without a temporary file. What the
    configuration's defaults refuse (``refuse_defaults``) is known before the first line:
    ``export_chunks`` raises it when called, before any piece is made."""
    config = config or HEADER_CONFIG
    encoding = codecs.lookup(config.encoding or "utf-8").name
    split = bool(SPLIT_COLUMNS.intersection(config.columns or ()))
    return (
        file_format == "csv"
        and config.date_format is None
        and encoding.startswith("utf")
        and not split  # a start time a daylight saving change repeats has no place for its offset
    )


def export_chunks(
    queryset: QuerySet[Intervention],
    config: ImportConfig | None = None,
    file_format: str = "csv",
    time_zone: str | None = None,
) -> Iterator[bytes]:
    """The export as pieces of bytes, made as they are read (``StreamingHttpResponse``); for
    exports that ``never_fails`` (else a failure would leave half a file). Raises
    ``ExportError`` here, before the first piece, for what the defaults refuse."""
    refuse_defaults(queryset, config, time_zone)
    return _chunks(queryset, config or HEADER_CONFIG, file_format, time_zone)


def _chunks(
    queryset: QuerySet[Intervention], config: ImportConfig, file_format: str, time_zone: str | None
) -> Iterator[bytes]:
    sink = io.BytesIO()
    writer = open_writer(file_format, sink, config, header_row(config))
    with closing(_rows(queryset, config, file_format, time_zone)) as rows:
        for line, guid, cells in rows:
            try:
                writer.row(cells)
            except ExportProblem as problem:
                raise ExportError(problem.message(line, guid)) from None
            if sink.tell():
                yield _taken(sink)
    writer.close()
    yield _taken(sink)


def _taken(sink: io.BytesIO) -> bytes:
    data = sink.getvalue()
    sink.seek(0)
    sink.truncate()
    return data


def export_to_path(
    queryset: QuerySet[Intervention],
    path: Path,
    config: ImportConfig | None = None,
    file_format: str = "csv",
    time_zone: str | None = None,
) -> int:
    """Export into the file ``path``: written beside it, renamed when whole, removed if not."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(handle, "wb") as sink:
            count = export(queryset, sink, config, file_format, time_zone)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def export_to_temporary(
    queryset: QuerySet[Intervention],
    config: ImportConfig | None = None,
    file_format: str = "csv",
    time_zone: str | None = None,
) -> tuple[IO[bytes], int]:
    """Export into a temporary file (in memory while small), rewound; closed on error."""
    sink = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (handed out)
    try:
        count = export(queryset, sink, config, file_format, time_zone)
    except BaseException:
        sink.close()
        raise
    sink.seek(0)
    return sink, count
