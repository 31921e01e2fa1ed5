"""A configuration's ``<defaults>`` read the other way: the interventions that an export in
the shape of that configuration cannot hold.

A default gives a column its value where a file has none (docs/configuration.md): a column the
file does not have, or an empty cell. An export written in the shape of such a configuration is
read back with the same defaults, so:

- a column with a default that the configuration does not write comes back as the default for
  every intervention: one whose value differs (a cancelled intervention under
  ``<interventionStatus>A</interventionStatus>``, one of another training under a
  ``trainingGuid`` default) would come back changed;
- a column with a default that it writes comes back as the default where the export writes an
  empty cell (a training without a path code, a room without a capacity).

A configuration that does not write ``interventionGuid`` is read back with each row's GUID
derived from its slot (``parsing/derived_keys.py``): an intervention whose GUID is another
(one imported with its own GUID) would come back as a new one, so that export is refused too
(``export_guid_not_derived``, ``derived_guid_as_read``).

Such an export is refused before its first line, naming the configuration, the column, the
default, how many interventions differ and the first of them (``export_default_differs``,
``export_default_fills_empty``). The export service finds them (one query per default, and
for the moment columns one pass reading each start and duration back, ``moments_reader``);
this module says which defaults matter, what each one reads as, and words the message. No
database here.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from imports.parsing import messages
from imports.parsing.cells import ParsedRow, as_text, cell_parser
from imports.parsing.config import ImportConfig
from imports.parsing.derived_keys import derived_guid
from imports.parsing.durations import duration_cell
from imports.parsing.fields import FIELDS
from imports.parsing.moments import (
    DATE,
    DURATION,
    MOMENT_COLUMNS,
    Moments,
    hours_and_minutes,
)

from .cells import SPLIT_COLUMNS, ExportProblem, date_writer, moment_writer, written_fields

# The kinds of column whose written cell is empty for some stored values ("" or NULL): a text
# or a key (a training without a path code), a capacity (a room without one). A status, a date
# or a duration is always written.
MAY_BE_EMPTY = frozenset({"key", "text", "capacity"})
# A column that the importer reads only when another is absent from the file's columns (and
# defaults): a path code when there is no training GUID, a title when there is no session GUID.
READ_WITHOUT = {"trainingPathCode": "trainingGuid", "sessionTitle": "sessionGuid"}


@dataclass(frozen=True)
class Default:
    """A default of a column that is not a moment: what an import of the export reads from it."""

    column: str
    text: str  # as the configuration writes it
    written: bool  # the configuration writes the column: the default fills its empty cells
    value: Any  # what the importer reads from ``text`` (a status "A"/"C", a key, a capacity)
    readable: bool  # False: the importer refuses ``text``; every row would be an error

    def shown(self, stored: Any, config: ImportConfig) -> str:
        """A stored value as a message shows it: as the configuration would write it."""
        if stored is None or stored == "":
            return "none"
        if FIELDS[self.column].kind == "status":
            return config.active_code if stored == "A" else config.cancelled_code
        return messages.shorten(str(stored))


def written_columns(config: ImportConfig) -> frozenset[str]:
    """The columns whose values an export with ``config`` writes."""
    return frozenset(name for name in written_fields(config) if name)


def plain_defaults(config: ImportConfig, zone: ZoneInfo) -> list[Default]:
    """The defaults that may give an intervention another value than its own, in the
    configuration's order, the moment columns apart (``moments_reader``)."""
    written = written_columns(config)
    found = []
    for name, text in config.defaults:
        if name in MOMENT_COLUMNS:
            continue
        if READ_WITHOUT.get(name) in config.fields:
            continue  # the importer reads the GUID, never this column
        if name in written and FIELDS[name].kind not in MAY_BE_EMPTY:
            continue  # never an empty cell
        value, problem = cell_parser(name)(text, as_text(text), config, zone)
        found.append(Default(name, text, name in written, value, problem is None))
    return found


def moment_defaults(config: ImportConfig) -> dict[str, str]:
    return {name: text for name, text in config.defaults if name in MOMENT_COLUMNS}


def moments_reader(
    config: ImportConfig, zone: ZoneInfo
) -> Callable[[dt.datetime, int], bool] | None:
    """None when no moment column (a date, a start time, an end, an end date, a duration) has
    a default; else a function telling whether an intervention's start and duration come back
    the same: its moment cells as the export writes them, the defaults where a cell is empty
    or not written, read by the importer's own readers (``moments.Moments``)."""
    defaults = moment_defaults(config)
    if not defaults:
        return None
    written = written_columns(config)
    used = frozenset(name for name in config.fields if name in MOMENT_COLUMNS)
    moments = Moments(used, config, zone)
    readers = {name: moments.reader(name) for name in used}
    write = _moment_cells(config, zone, written)

    def same(start: dt.datetime, duration: int) -> bool:
        try:
            cells = write(ParsedRow(0, start=start, duration=duration))
        except ExportProblem:
            return True  # the export fails on this row itself, naming it
        parts = {}
        for name in used:
            raw: Any = cells.get(name, "")
            text = as_text(raw)
            if not text and name in defaults:
                raw = text = defaults[name]
            if not text:
                continue
            value, problem = readers[name](raw, text)
            if problem is not None:
                return False
            parts[name] = (value, text)
        settled, problems = moments.settle(parts)
        return (
            all(problem.warning for problem in problems)
            and settled.start == start
            and settled.duration == duration
        )

    return same


def _moment_cells(
    config: ImportConfig, zone: ZoneInfo, written: frozenset[str]
) -> Callable[[ParsedRow], dict[str, Any]]:
    """A row's moment cells as the export writes them (``cells.row_cells``)."""
    split = moment_writer(config, zone, written) if written & SPLIT_COLUMNS else None
    write_date = date_writer(config, zone, DATE) if DATE in written else None
    unit = config.duration_unit
    with_duration = DURATION in written

    def cells(row: ParsedRow) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if split is not None:
            found.update(split(row))
        elif write_date is not None and row.start is not None:
            found[DATE] = write_date(row.start)
        if with_duration and row.duration is not None:
            found[DURATION] = duration_cell(row.duration, unit)
        return found

    return cells


def derives_guids(config: ImportConfig) -> bool:
    """Whether a file written with ``config`` is read back with derived GUIDs."""
    return "interventionGuid" not in written_columns(config)


def derived_guid_as_read(row: ParsedRow, config: ImportConfig) -> str:
    """The GUID an import with ``config`` derives for an exported intervention (``row``: all
    its values): from the training and session columns the configuration has."""
    fields = config.fields
    read = replace(
        row,
        training_guid=row.training_guid if "trainingGuid" in fields else "",
        path_code=row.path_code if "trainingPathCode" in fields else "",
        session_guid=row.session_guid if "sessionGuid" in fields else "",
        session_title=row.session_title if "sessionTitle" in fields else "",
    )
    return derived_guid(read)


def guid_refusal(config: ImportConfig, count: int, total: int, guid: str) -> messages.Message:
    return messages.EXPORT_GUID_NOT_DERIVED.format(
        configuration=name_of(config), count=count, total=total, guid=guid
    )


def name_of(config: ImportConfig) -> str:
    return config.source or "(unnamed)"


def plain_refusal(
    config: ImportConfig,
    default: Default,
    count: int,
    total: int,
    guid: str,
    stored: Any,
) -> messages.Message:
    """The message of ``count`` interventions (``guid`` the first) that a default changes."""
    common = {
        "configuration": name_of(config),
        "column": default.column,
        "default": messages.shorten(default.text),
        "count": count,
        "total": total,
        "guid": guid,
    }
    if default.written:
        return messages.EXPORT_DEFAULT_FILLS_EMPTY.format(**common)
    return messages.EXPORT_DEFAULT_DIFFERS.format(value=default.shown(stored, config), **common)


def moments_refusal(
    config: ImportConfig,
    zone: ZoneInfo,
    count: int,
    total: int,
    guid: str,
    start: dt.datetime,
    duration: int,
) -> messages.Message:
    """The message of ``count`` interventions whose start or duration the moment columns'
    defaults change."""
    defaults = moment_defaults(config)
    written = written_columns(config)
    # the cells come back changed where a default stands for a column not written
    defaults = {name: text for name, text in defaults.items() if name not in written} or defaults
    local = start.astimezone(zone)
    return messages.EXPORT_DEFAULT_DIFFERS.format(
        configuration=name_of(config),
        column=" and ".join(defaults),
        default=" and ".join(messages.shorten(text) for text in defaults.values()),
        count=count,
        total=total,
        guid=guid,
        value=f"starting {local:%Y-%m-%d %H:%M} for {hours_and_minutes(duration)}",
    )
