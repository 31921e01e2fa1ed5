"""The import engine: the one entry point that the admin, the command and workers call.

    bytes -> readers -> Table -> columns -> scan (keys only) -> per batch:
    cells -> lookups (one query per table) -> plan (in memory) -> writer (bulk upserts)

The whole run is one transaction: a file problem found late, a database error or ``strict``
with row errors leaves the database as it was. The engine knows nothing of HTTP or terminals.
"""

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import DatabaseError, transaction

from imports.conf import default_time_zone, import_settings, site_date_order
from imports.database import db_errors, journal
from imports.database.lookups import SuggestionCandidates, load_interventions, load_references
from imports.database.writer import Written, write_batch
from imports.parsing import messages
from imports.parsing.cells import as_text
from imports.parsing.columns import column_map, looks_like_header
from imports.parsing.config import HEADER_CONFIG, ImportConfig
from imports.parsing.config_values import date_pattern
from imports.parsing.date_order import DateOrder, by_convention
from imports.parsing.derived import Derived, dates_without_time
from imports.parsing.derived_keys import labels_from_guids
from imports.parsing.fields import FIELD_SPECS
from imports.parsing.fixes import Fix, fixed_table, skipped_warnings
from imports.parsing.readers import FileProblem, Table, read_table
from imports.parsing.results import ImportResult, Outcome, RowChange, RowError
from imports.parsing.rows import DefaultsUsed, RowParser, row_parser
from imports.planning.conflicts import Booking, Policy
from imports.planning.missing import MissingScope
from imports.planning.plan import BatchPlan, FileFacts, RoomPlan, plan_batch
from imports.planning.references import References
from imports.planning.scan import Row, scan
from imports.planning.suggestions import with_suggestions

from . import missing, schedule
from .facts import file_facts
from .heap import freeze_what_lives, older_objects_frozen

Progress = Callable[[int, int], None]
DATE_COLUMN = next(spec.name for spec in FIELD_SPECS if spec.kind == "date")
# PostgreSQL breaks a deadlock between concurrent imports of the same rows by failing one of
# them (SQLSTATE 40P01; 40001 at stricter isolation levels): that run is rolled back (its
# transaction or savepoint) and runs again, once the other one has committed.
RETRIED = frozenset({"40P01", "40001"})
ATTEMPTS = 5
RETRY_PAUSE = 0.2  # seconds, doubled at each attempt (``pause_before_retry``)


@runtime_checkable
class CountingProgress(Protocol):
    """A progress callback that also reads the counts so far (background jobs' status)."""

    def __call__(self, done: int, total: int) -> None: ...

    def counts(self, result: ImportResult) -> None: ...


class RowSink(Protocol):
    """Where a run hands each batch's row outcomes, once the batch is written (the confirm's
    outcome digest, ``jobs.details.DigestSink``), instead of keeping every row: ``restart``
    when the run begins again (conflicts as errors, a deadlock retried), ``rows`` per batch,
    in the file's order."""

    def restart(self) -> None: ...

    def rows(self, changes: list[RowChange]) -> None: ...


@dataclass(frozen=True)
class ImportOptions:
    dry_run: bool = False
    strict: bool | None = None  # None: the STRICT setting
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    date_format: str | None = None  # as the seed writes it (DD/MM/YYYY HH:II); wins over config
    sheet: str | None = None  # a workbook's sheet; None: the first with a header row
    time_zone: str | None = None  # None: Django's TIME_ZONE
    keep_rows: bool = False  # keep every row's outcome (the admin preview)
    conflicts: str | None = None  # the schedule conflict policy; None: the CONFLICTS setting
    fixes: tuple[Fix, ...] = ()  # made in the preview, applied on read (imports/parsing/fixes.py)
    # The file has no header row: line 1 is data (wins over the configuration's
    # skipFirstLine); its columns must then come from a configuration.
    first_row_is_data: bool = False
    # cancelMissing (issue 29): the file is the complete schedule of its sessions, for its
    # dates (None: the configuration's <cancelMissing>); ``confirm_cancel``: the count of
    # interventions to cancel as missing that the user confirmed (needed above
    # CANCEL_MISSING_MAX_SHARE of the scope).
    cancel_missing: bool | None = None
    confirm_cancel: int | None = None
    # Each batch's row outcomes handed over as the run goes (new rows described, as with
    # ``keep_rows``), none kept: what a confirm needs of them, without their memory.
    row_sink: RowSink | None = None


class _Rollback(Exception):
    """Raised inside the transaction to undo it (strict mode with row errors)."""


class _Rerun(Exception):
    """Raised inside the transaction to undo it and run again with these rows as errors;
    ``standing``: the conflicts already in the schedule (warnings, said by the run again)."""

    def __init__(
        self, errors: dict[int, list[RowError]], standing: dict[int, list[RowError]]
    ) -> None:
        self.errors = errors
        self.standing = standing


def run_import(
    data: bytes,
    name: str,
    config: ImportConfig | None = None,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import the file ``name`` whose content is ``data``; return what happened, as data."""
    options = options or ImportOptions()
    config = config or HEADER_CONFIG
    started = time.monotonic()
    try:
        if options.first_row_is_data and config.uses_header:
            raise FileProblem(messages.FIRST_ROW_DATA_NEEDS_COLUMNS, line=1)
        table = read_table(
            data,
            name,
            format=options.format,
            encoding=options.encoding or config.encoding,
            delimiter=options.delimiter or config.delimiter,
            has_header=config.skip_first_line and not options.first_row_is_data,
            sheet=options.sheet,
            is_header=looks_like_header if config.uses_header else None,
        )
    except FileProblem as problem:
        result = _failed(name, options, problem)
    else:
        result = import_table(table, config, options, progress)
    result.seconds = time.monotonic() - started
    return result


def import_table(
    table: Table,
    config: ImportConfig | None = None,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import an already read table (``run_import`` and the django-import-export Resource)."""
    options = options or ImportOptions()
    with older_objects_frozen():
        return _import_with_retries(table, config, options, progress)


def _import_with_retries(
    table: Table, config: ImportConfig | None, options: ImportOptions, progress: Progress | None
) -> ImportResult:
    attempt = 1
    while True:
        result = _new_result(table.name, options)
        try:
            _run(table, config or HEADER_CONFIG, options, result, progress)
        except FileProblem as problem:
            failed = _failed(table.name, options, problem)
            failed.read_with = result.read_with  # how it was read, up to the problem
            return failed
        except DatabaseError as exc:
            if attempt < ATTEMPTS and retryable(exc):
                pause_before_retry(attempt)
                attempt += 1
                continue
            return _failed(table.name, options, FileProblem(db_errors.describe(exc)))
        return result


def pause_before_retry(attempt: int) -> None:
    """Wait a little, longer each time and never the same for two runs, before running
    again: the run that won the deadlock then goes on to its end instead of meeting the
    same rows again (two files with the same new rows in another order meet them batch after
    batch)."""
    time.sleep(RETRY_PAUSE * 2 ** (attempt - 1) * (1 + random.random()))  # noqa: S311


def retryable(exc: DatabaseError) -> bool:
    """A deadlock or serialization failure: the run was rolled back and can simply run again."""
    cause = exc.__cause__
    return (getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)) in RETRIED


def _new_result(name: str, options: ImportOptions) -> ImportResult:
    strict = import_settings.STRICT if options.strict is None else options.strict
    return ImportResult(name, dry_run=options.dry_run, strict=strict)


def _failed(name: str, options: ImportOptions, problem: FileProblem) -> ImportResult:
    result = _new_result(name, options)
    result.file_errors.append(
        RowError(
            problem.line, problem.message, problem.column, code=problem.code, parts=problem.parts
        )
    )
    return result


def _zone(options: ImportOptions) -> ZoneInfo:
    name = options.time_zone or default_time_zone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise FileProblem(messages.UNKNOWN_TIME_ZONE.format(value=name)) from None


def _run(
    table: Table,
    config: ImportConfig,
    options: ImportOptions,
    result: ImportResult,
    progress: Progress | None,
) -> None:
    result.warnings.extend(
        RowError(None, str(note), level="WARNING", code=getattr(note, "code", ""))
        for note in getattr(table, "notes", ())
    )
    result.warnings.extend(_sheet_warnings(table))
    result.read_with = dict(table.read_with)  # said even when the header is refused
    columns, warnings = column_map(config, table.header, table.header_line)
    result.warnings.extend(warnings)
    table, skipped = fixed_table(table, options.fixes, columns)
    config = _with_date_format(config, options)
    result.header = [as_text(cell) for cell in table.header or []]
    zone = _zone(options)
    width = len(table.header or ()) if config.uses_header else len(config.columns or ())
    order_column = DATE_COLUMN if config.date_format is None else None
    label = _label_of(DATE_COLUMN, columns, result.header)
    first_pass = scan(table, columns, width, date_column=order_column, date_label=label)
    if first_pass.date_order is None and first_pass.either_date is not None:
        first_pass.date_order = _conventional_order(first_pass.either_date, label)
    result.read_with.update(_date_order_read(first_pass.date_order))
    if first_pass.date_order is not None:
        result.warnings.append(first_pass.date_order.note)
        config = replace(config, inferred_date_formats=first_pass.date_order.patterns)
    used = DefaultsUsed()
    parse = row_parser(columns, config, zone, used)
    refs = References()
    facts = file_facts(table, columns, first_pass, width=width, parse=parse, refs=refs)
    result.warnings.extend(_long_row_warnings(facts, width))
    result.warnings.extend(skipped_warnings(skipped))
    if facts.total_rows == 0 and not skipped.count:
        raise FileProblem(messages.FILE_EMPTY)
    result.warnings.extend(dates_without_time(config, columns))
    result.warnings.extend(labels_from_guids(columns))
    policy = schedule.policy_of(options.conflicts or import_settings.CONFLICTS)
    candidates = SuggestionCandidates()  # read once per run, when a key is not found
    file_warnings = len(result.warnings)  # a run done again keeps these, and only these
    cancels = config.cancel_missing if options.cancel_missing is None else options.cancel_missing
    standing: dict[int, list[RowError]] = {}  # a run done again: the first run's
    try:
        while True:
            check = policy is not Policy.IGNORE and not facts.conflict_errors
            batches = _Batches(
                table=table,
                parse=parse,
                refs=refs,
                facts=facts,
                rooms=RoomPlan(),
                config=config,
                candidates=candidates,
                check_schedule=check,
                derived=Derived.of(columns, config, zone),
                scope=MissingScope(file_guids=set(skipped.guids)) if cancels else None,
                standing=standing,
            )
            try:
                _import_once(batches, options, result, progress, policy=policy, zone=zone)
            except _Rerun as rerun:  # conflicts are errors: once more, those rows as errors
                facts.conflict_errors, standing = rerun.errors, rerun.standing
                result.restart()
                del result.warnings[file_warnings:]  # the rows' own: said again by the rerun
                continue
            break
        result.warnings.extend(_defaults_notes(config, used))
    except _Rollback:
        result.committed = False
        result.journal_id = None  # rolled back with the rest
    except missing.Refused as refused:  # too many to cancel as missing, not confirmed
        result.committed = False
        result.journal_id = None
        result.file_errors.append(refused.problem)


def _import_once(
    batches: "_Batches",
    options: ImportOptions,
    result: ImportResult,
    progress: Progress | None,
    *,
    policy: Policy,
    zone: ZoneInfo,
) -> None:
    # A dry run writes nothing: no transaction, so that on SQLite it never waits for (or
    # holds) the write lock that every transaction takes there (config/settings.py).
    writing = nullcontext() if options.dry_run else transaction.atomic()
    if options.row_sink is not None:
        options.row_sink.restart()  # every run's first batch: a rerun's, a retry's too
    with writing:
        _import_batches(batches, options, result, progress)
        if batches.derived is not None:
            result.warnings.extend(batches.derived.notes())
        _written_meanwhile(result)
        result.rooms = batches.rooms.changes()
        if not options.dry_run:
            result.journal_id = journal.record_rooms(result.journal_id, batches.rooms)
        cancelled: frozenset[str] = frozenset()
        if batches.scope is not None:
            cancelled = missing.cancel_missing(
                batches.scope,
                result,
                zone=zone,
                dry_run=options.dry_run,
                confirmed=options.confirm_cancel,
                written_at=batches.written_at,
            )
        _check_schedule(batches, result, policy=policy, zone=zone, excluded=cancelled)
        if result.strict and result.error_rows:
            raise _Rollback
        result.committed = not options.dry_run


def _check_schedule(
    batches: "_Batches",
    result: ImportResult,
    *,
    policy: Policy,
    zone: ZoneInfo,
    excluded: frozenset[str] = frozenset(),
) -> None:
    """Schedule conflicts as warnings; as errors, by running the import once more. Those
    already in the schedule (the file changes neither side) are warnings whatever the policy;
    interventions cancelled as missing (``excluded``) take no part."""
    if not batches.check_schedule:
        _standing_warnings(batches.standing, batches.table, result)
        return
    level = "ERROR" if policy is Policy.ERROR else "WARNING"
    room_ids = batches.rooms.known_ids(batches.refs)
    problems, standing = schedule.conflict_problems(
        batches.bookings,
        room_ids=room_ids,
        written_at=batches.written_at,
        zone=zone,
        level=level,
        excluded=excluded,
    )
    if problems and policy is Policy.ERROR:
        raise _Rerun(problems, standing)
    lines = {*problems, *standing}
    merged = {line: problems.get(line, []) + standing.get(line, []) for line in lines}
    _standing_warnings(merged, batches.table, result)


def _standing_warnings(
    problems: dict[int, list[RowError]], table: Table, result: ImportResult
) -> None:
    """Conflicts as warnings on their lines (rows that are errors left out), with the rows'
    cells for the error log."""
    problems = {line: found for line, found in problems.items() if line not in result.error_cells}
    if not problems:
        return
    for line in sorted(problems):
        result.warnings.extend(problems[line])
    wanted = set(problems)
    for line, cells in table.rows():  # the rows' cells, for the error log
        if line in wanted:
            result.warning_cells[line] = [as_text(cell) for cell in cells]


def _sheet_warnings(table: Table) -> list[RowError]:
    others = [name for name in table.sheets if name != table.sheet]
    if not others:
        return []
    message = messages.SHEET_READ.format(sheet=table.sheet, others=", ".join(others))
    return [RowError(None, message, level="WARNING", code=message.code)]


def _date_order_read(order: DateOrder | None) -> dict[str, str]:
    """The order the dates were read in, and what told it (the "Read with" of a job)."""
    if order is None:
        return {}
    return {"date_order": order.first, "date_order_by": order.told_by}


def _label_of(name: str, columns: dict[str, int], header: list[str]) -> str:
    """A column as the file names it (its header cell), else as the action does."""
    index = columns.get(name)
    if index is None or index >= len(header) or not header[index]:
        return name
    return header[index]


def _conventional_order(either: tuple[int, str], label: str) -> DateOrder | None:
    """Dates no date of the file told apart: the site's order, when it has one (``conf``)."""
    site = site_date_order()
    if site is None:
        return None
    (order, language), (line, text) = site, either
    return by_convention(
        order, language=language, line=line, text=text, column=DATE_COLUMN, shown=label
    )


def _with_date_format(config: ImportConfig, options: ImportOptions) -> ImportConfig:
    """The date format option over the configuration's (with neither: ISO 8601, and the
    slash dates in the order the first pass finds, ``date_order``)."""
    if not options.date_format:
        return config
    pattern = date_pattern(options.date_format)
    if pattern is None:
        raise FileProblem(messages.DATE_FORMAT_NOT_VALID.format(value=options.date_format))
    return replace(config, date_format=pattern, date_format_source=options.date_format)


def _defaults_notes(config: ImportConfig, used: DefaultsUsed) -> list[RowError]:
    """What the configuration's defaults gave: a column the file does not have, every row;
    a column it has, the rows whose cell was empty (none: nothing said)."""
    notes = []
    for name, text in config.defaults:
        lines = used.lines.get(name)
        if lines is None:
            message = messages.DEFAULT_FOR_MISSING_COLUMN.format(column=name, value=text)
        elif lines:
            message = messages.DEFAULT_FOR_EMPTY_CELLS.format(
                column=name, value=text, count=len(lines)
            )
        else:
            continue
        notes.append(RowError(None, message, name, text, level="WARNING"))
    return notes


def _long_row_warnings(facts: FileFacts, width: int) -> list[RowError]:
    warnings = [
        RowError(line, messages.ROW_TOO_LONG.format(count=count, expected=width), level="WARNING")
        for line, count in facts.long_rows
    ]
    hidden = facts.long_row_count - len(facts.long_rows)
    if hidden:
        warnings.append(
            RowError(None, messages.MORE_LONG_ROWS.format(count=hidden), level="WARNING")
        )
    return warnings


def _count_what_was_done(plan: BatchPlan, written: Written, result: ImportResult) -> None:
    """Count what the writes did where it is not what was planned: a row planned as new that
    another import inserted meanwhile was updated (or already held these values). Its old
    values were never read: the row's changes are left empty."""
    for change, _ in plan.changes:
        done = written.outcomes.get(change.guid)
        if done is None or done is change.outcome or change.outcome is Outcome.ERROR:
            continue
        result.recount(change.outcome, done)
        change.outcome, change.changes = done, ()
    result.rooms_created += written.rooms_created - len(plan.rooms_to_create)
    result.rooms_updated += written.rooms_updated - len(plan.rooms_to_update)


def _problems(
    change: RowChange, problems: list[RowError], cells: list, result: ImportResult
) -> None:
    """A row's errors (the row is skipped) and warnings (a duration over 24 hours), and its
    cells for the error report and the error log."""
    texts = [as_text(cell) for cell in cells]
    warnings = [problem for problem in problems if problem.level != "ERROR"]
    if change.outcome is Outcome.ERROR:
        result.errors.extend(problem for problem in problems if problem.level == "ERROR")
        result.error_cells[change.line] = texts
    elif warnings:
        result.warning_cells[change.line] = texts
    result.warnings.extend(warnings)


def _written_meanwhile(result: ImportResult) -> None:
    if result.written_meanwhile:
        message = messages.WRITTEN_MEANWHILE.format(count=result.written_meanwhile)
        result.warnings.append(RowError(None, message, level="WARNING", code=message.code))


def _batches(rows: Iterator[Row], size: int) -> Iterator[list[Row]]:
    while batch := list(islice(rows, size)):
        yield batch


@dataclass(frozen=True)
class _Batches:
    """What every batch of one run uses: the rows, their parser, the references, the facts."""

    table: Table
    parse: RowParser
    refs: References
    facts: FileFacts
    rooms: RoomPlan  # the rooms the run creates or changes, across batches
    config: ImportConfig = HEADER_CONFIG
    candidates: SuggestionCandidates = field(default_factory=SuggestionCandidates)
    check_schedule: bool = True  # keep the valid active rows' slots for the schedule check
    bookings: list[Booking] = field(default_factory=list)
    written_at: list[dt.datetime] = field(default_factory=list)  # the batches' time stamps
    derived: Derived | None = None  # the values the run derives (a start joined, …): a note
    scope: MissingScope | None = None  # cancelMissing: what the rows tell of its scope
    # A run done again with conflicts as errors: the conflicts already in the schedule that
    # the first run found (warnings whatever the policy; this run checks nothing)
    standing: dict[int, list[RowError]] = field(default_factory=dict)


def _import_batches(
    run: _Batches, options: ImportOptions, result: ImportResult, progress: Progress | None
) -> None:
    parse, refs, facts = run.parse, run.refs, run.facts
    done = 0
    for batch in _batches(run.table.rows(), import_settings.BATCH_SIZE):
        parsed = [parse(line, cells) for line, cells in batch]
        load_references(refs, [row for row, _ in parsed])
        guids = [row.guid for row, _ in parsed if row.guid]
        # A real run locks the rows it reads (PostgreSQL): what it plans from them holds
        # until it commits; a concurrent import of the same rows waits for it, or it for that.
        existing = load_interventions(guids, lock=not options.dry_run)
        scope = run.scope
        if scope is not None:
            scope.file_guids.update(guids)
            for guid, old in existing.items():
                scope.add_named(guid, old.session_id, old.start, old.status)
        describe_new = options.keep_rows or options.row_sink is not None
        plan = plan_batch(
            parsed, refs, existing, facts, run.rooms, describe_new=describe_new, scope=scope
        )
        if any(errors for _, errors in plan.changes):
            by_line = {row.line: row for row, _ in parsed}
            plan.changes = with_suggestions(
                plan.changes, by_line, refs=refs, config=run.config, candidates=run.candidates
            )
        if run.check_schedule:
            run.bookings.extend(plan.bookings)
            freeze_what_lives()  # the slots live to the end: full collections skip them
        cells_by_line = {line: cells for line, cells in batch}
        derived = run.derived
        for (row, _), (change, errors) in zip(parsed, plan.changes, strict=True):
            result.count(change.outcome)
            if errors:
                _problems(change, errors, cells_by_line[change.line], result)
            if derived is not None and change.outcome is not Outcome.ERROR:
                derived.add(row, cells_by_line[change.line])
            if options.keep_rows:
                result.rows.append(change)
        result.rooms_created += len(plan.rooms_to_create)
        result.rooms_updated += len(plan.rooms_to_update)
        if not options.dry_run and not (result.strict and result.error_rows):
            written = write_batch(plan, rooms=run.rooms, refs=refs)
            if written.at is not None:
                run.written_at.append(written.at)
            if written.reported:
                _count_what_was_done(plan, written, result)
            result.journal_id = journal.record_batch(
                result.journal_id, plan, existing=existing, written=written
            )
        if options.row_sink is not None:  # as written: an outcome the write changed too
            options.row_sink.rows([change for change, _ in plan.changes])
        done += len(batch)
        if progress:
            if isinstance(progress, CountingProgress):
                progress.counts(result)
            progress(done, facts.total_rows)
