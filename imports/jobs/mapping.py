"""The mapping step as a service: a job whose header does not name the action's columns.

    needs_mapping(job)           its preview failed on the header, with no configuration
    file_columns(job)            the file's header cells and first values, with proposals
    save_mapping(job, header=…, columns=…, name=…, defaults=…)   a configuration (the seed
                                 XML, with the action's <defaults>), checked as the import
                                 would read it, used
    use_saved_mapping(job)       a saved mapping made for the same header, used by itself

The doors (the admin's mapping page) translate these; the XML is ``mapping.mapping_xml``.
"""

from dataclasses import dataclass, field, replace
from itertools import islice

from django.db import IntegrityError, transaction
from django.utils.translation import gettext, gettext_noop

from imports.conf import site_date_order, site_zone
from imports.parsing.cells import as_text
from imports.parsing.columns import data_like
from imports.parsing.config import HEADER_CONFIG, ConfigError, ImportConfig, parse_config
from imports.parsing.fields import IGNORED_COLUMN
from imports.parsing.mapping import (
    Proposal,
    default_problems,
    header_set_key,
    mapping_problems,
    mapping_xml,
    propose,
    same_header,
)
from imports.parsing.messages import Message
from imports.parsing.moments import DATE
from imports.parsing.readers import FileProblem, read_table
from imports.parsing.storable import storable_text
from imports.parsing.written_dates import date_format_read

from . import states as job_states
from .file_store import reaching
from .models import ImportConfiguration, ImportJob
from .words import said

HEADER_CODES = frozenset(
    {"header_missing_column", "header_missing_one_of", "first_row_data_needs_columns"}
)
SAMPLE_ROWS = 3
DATE_SAMPLE_ROWS = 1000  # the dates read to find the format the file writes them in
SAVED_MAPPING_USED = Message(
    "saved_mapping_used",
    gettext_noop(
        "The header row is the one of the saved configuration {name}: it was read with it."
    ),
)
MAPPING_SAVED = Message(
    "mapping_saved",
    gettext_noop("The mapping was saved as the configuration {name}; the file was read with it."),
)
NAME_TAKEN = gettext_noop("A configuration named {name} exists already: choose another name.")


@dataclass(frozen=True)
class FileColumns:
    header: list[str]  # the first row's cells (a header row, or data)
    proposals: list[Proposal]
    saved: ImportConfiguration | None = None  # one made for the same cells, in another order
    # Line 1 is shown as data: the upload said so, or its cells look like data (a date, a
    # time, a number: ``columns.data_like``), as no header's do.
    first_row_is_data: bool = False
    # The saved configuration's defaults (column -> value), offered again with its choices.
    defaults: dict[str, str] = field(default_factory=dict)


def needs_mapping(job: ImportJob) -> bool:
    """A preview that failed on its header (a mandatory column not named), read without a
    configuration: the mapping step can map it."""
    if job.configuration_id is not None or job.status != ImportJob.Status.FAILED:
        return False
    if not job.file:  # never stored (the store failed), or purged (KEEP_FILES_DAYS)
        return False
    return job.errors.filter(file_level=True, code__in=HEADER_CODES).exists()


def file_columns(job: ImportJob) -> FileColumns | None:
    """The file's first row and first values, each column with the one proposed (a saved
    mapping of the same cells proposes its own choices); None when it cannot be read. A
    first row that is data is among the values, and names no column."""
    first, rows = _read_rows(job)
    if not first:
        return None
    as_data = job.first_row_is_data or any(data_like(cell) for cell in first)
    if as_data:
        return FileColumns(first, propose([""] * len(first), [first, *rows]), None, True)
    saved = _saved_for(first, same_order=False)
    proposals = propose(first, rows)
    if saved is None:
        return FileColumns(first, proposals)
    config = saved.import_config()
    chosen = dict(zip(saved.header, _columns_of(config), strict=False))
    proposals = [
        Proposal(p.index, p.cell, p.samples, chosen.get(p.cell, p.field), 100.0) for p in proposals
    ]
    return FileColumns(first, proposals, saved, defaults=dict(config.defaults))


def _read_rows(job: ImportJob, rows: int = SAMPLE_ROWS) -> tuple[list[str], list[list[str]]]:
    """The file's first row and the next ones (``rows`` of them), as texts."""
    try:
        with reaching("reading the uploaded file", job.pk), job.file.open("rb") as handle:
            data = handle.read()
        table = read_table(
            data,
            job.file_name,
            format=job.format or None,
            encoding=job.encoding or None,
            delimiter=job.delimiter or None,
            sheet=job.sheet or None,
        )
    except (FileNotFoundError, ValueError, FileProblem):  # StoreUnreachable: to the door
        return [], []
    # The header is kept by a saved mapping: its storable copy, compared with the next file's.
    header = [storable_text(as_text(cell)) for cell in table.header or []]
    sample = [[as_text(cell) for cell in cells] for _, cells in islice(table.rows(), rows)]
    return header, sample


def save_mapping(
    job: ImportJob,
    *,
    header: list[str],
    columns: list[str],
    name: str,
    first_row_is_data: bool = False,
    defaults: dict[str, str] | None = None,
) -> tuple[list[str], str]:
    """Save ``columns`` (one action column or ``ignoredColumn`` per cell of ``header``, the
    file's first row as ``file_columns`` read it) as the configuration ``name`` and use it
    for the job; returns (problems, message). ``first_row_is_data``: the file has no header
    row (the XML says ``<skipFirstLine>no</skipFirstLine>``; no later upload is matched by
    its first row, which is data). ``defaults``: column -> the value of its empty cells, or
    of every row when no file column is mapped to it (the action's ``<defaults>``; blank
    values are no default); each is checked as the import reads a cell of its column."""
    defaults = {name: value.strip() for name, value in (defaults or {}).items() if value.strip()}
    problems = mapping_problems(columns, defaults)
    if len(columns) != len(header):
        problems.append(
            gettext("Choose a column of the action, or ignoredColumn, for each file column.")
        )
    if problems:
        return problems, ""
    extension = job.file_name.rsplit(".", 1)[-1].lower() if "." in job.file_name else "csv"
    xml = mapping_xml(
        columns,
        file_pattern=f"*.{extension}",
        delimiter=job.delimiter or (job.read_with or {}).get("delimiter"),
        encoding=job.encoding or _encoding_found(job),
        date_format=job.date_format
        or _date_format_read(job, columns, defaults, first_row_is_data=first_row_is_data),
        skip_first_line=not first_row_is_data,
        defaults=defaults,
    )
    problems = _xml_problems(xml)
    if problems:
        return problems, ""
    kept = [] if first_row_is_data else header
    try:
        with transaction.atomic():
            configuration = ImportConfiguration.objects.create(
                name=name, xml=xml, header=kept, header_key=header_set_key(kept)
            )
    except IntegrityError:
        return [gettext(NAME_TAKEN).format(name=name)], ""
    _use(job, configuration, first_row_is_data=first_row_is_data)
    return [], said(MAPPING_SAVED).format(name=name)


def _encoding_found(job: ImportJob) -> str | None:
    """The encoding the file was found in, when it is not UTF-8 (the default): saved, so that
    the next file of the tool is read so without the warning that says it was guessed."""
    found = (job.read_with or {}).get("encoding", "")
    return found if found and found.upper() not in ("UTF-8", "UTF-8-SIG") else None


def _date_format_read(
    job: ImportJob, columns: list[str], defaults: dict[str, str], *, first_row_is_data: bool
) -> str | None:
    """The date format the file's dates are written in (``written_dates``), saved so that the
    next file of the same shape is read the same way whatever its dates; None when none is
    needed or none reads them all."""
    if DATE not in columns:
        return None
    first, rows = _read_rows(job, rows=DATE_SAMPLE_ROWS)
    index = columns.index(DATE)
    dates = [
        row[index] for row in ([first] if first_row_is_data else []) + rows if index < len(row)
    ]
    fields = frozenset(name for name in [*columns, *defaults] if name != IGNORED_COLUMN)
    config = replace(HEADER_CONFIG, fields=fields)
    site = site_date_order()
    zone = site_zone()
    return date_format_read(dates, config, zone, site_order=site[0] if site else None)


def _xml_problems(xml: str) -> list[str]:
    """What the configuration parser, then a row, would refuse in the saved XML: the same
    words as the import's (a default's value read as its column's cells are)."""
    try:
        (config,) = parse_config(xml, source="mapping")
    except ConfigError as error:
        return [problem.message for problem in error.problems]
    return default_problems(config, site_zone())


def use_saved_mapping(job: ImportJob) -> str:
    """When the job needs a mapping and one was saved for the same header (the same cells,
    in the same order), use it; returns what to say ("" when none was used)."""
    if not needs_mapping(job):
        return ""
    header, _ = _read_rows(job)
    saved = _saved_for(header, same_order=True)
    if saved is None:
        return ""
    _use(job, saved)
    return said(SAVED_MAPPING_USED).format(name=saved.name)


def _saved_for(header: list[str], *, same_order: bool) -> ImportConfiguration | None:
    key = header_set_key(header)
    if not key:
        return None
    for configuration in ImportConfiguration.objects.filter(header_key=key).order_by("-pk"):
        if not same_order or same_header(configuration.header, header):
            return configuration
    return None


def _columns_of(config: ImportConfig) -> list[str]:
    return [name or IGNORED_COLUMN for name in config.columns or ()]


def _use(
    job: ImportJob, configuration: ImportConfiguration, *, first_row_is_data: bool = False
) -> None:
    """Read the job again with ``configuration`` (its preview is then run again); a file
    without a header row is said so (the configuration says it too)."""
    job_states.reopened(
        job,
        configuration=configuration,
        configuration_name=configuration.name,
        first_row_is_data=first_row_is_data or job.first_row_is_data,
    )


def default_name(job: ImportJob) -> str:
    """A configuration name for the mapping of ``job``'s file that is not taken yet."""
    stem = job.file_name.rsplit(".", 1)[0][:80] or "file"
    name, number = gettext("Mapping of {file}").format(file=stem), 2
    while ImportConfiguration.objects.filter(name=name).exists():
        numbered = gettext("Mapping of {file} ({number})")
        name, number = numbered.format(file=stem, number=number), number + 1
    return name
