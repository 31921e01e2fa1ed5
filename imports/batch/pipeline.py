"""The seed's batch pipeline around the engine: find the files of an ``<import>``, skip content
already imported, import each file, record it as a job, then run the consolidators.

Used by ``manage.py import_interventions``; it knows files and jobs, not the terminal. Its
messages are door-neutral (they name no command-line flag); the door adds its hint by code.
"""

import datetime as dt
import hashlib
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.utils import timezone

from imports.database.db_errors import reconnect_if_lost
from imports.engine import ImportOptions, Progress, run_import
from imports.jobs import states as job_states
from imports.jobs.details import counts, store_details
from imports.jobs.models import ImportJob
from imports.jobs.service import ALREADY_IMPORTED
from imports.parsing.config import ImportConfig
from imports.parsing.config_values import FILE_NAME_HAS_FOLDER, is_plain_file_name
from imports.parsing.messages import Message
from imports.parsing.results import ImportResult, RowError

from . import consolidators
from .consolidators import Consolidation, ConsolidationError

NO_FILE_NAME = Message(
    "no_file_name", "The <import> has no <fileName> (in <fileSystemSourceProvider>)."
)
FILE_NAME_NOT_PLAIN = Message("file_name_has_folder", FILE_NAME_HAS_FOLDER)
NO_FILE_MATCHES = Message("no_file_matches", "No file matches {pattern} in data folder {folder}.")
FILE_UNREADABLE = Message("file_unreadable", "The file cannot be read: {reason}.")
CONSOLIDATOR_FAILED = Message(
    "consolidator_failed", "{consolidator} failed ({reason}); the import itself is done."
)


@dataclass
class FileRun:
    """What happened to one file: its result, or why it was skipped, and what was written."""

    path: Path
    result: ImportResult | None = None
    skipped: str = ""
    outputs: list[str] = field(default_factory=list)
    consolidator_problems: list[str] = field(default_factory=list)  # after the import, done
    job: ImportJob | None = None  # a real run: its job in the history (what an undo takes)


def source_folder(config: ImportConfig, data_dir: Path) -> Path:
    """The folder of the provider's files, inside the data folder, or ``ConsolidationError``."""
    if not config.file_name:
        raise ConsolidationError(NO_FILE_NAME)
    if not is_plain_file_name(config.file_name):
        raise ConsolidationError(FILE_NAME_NOT_PLAIN.format(value=config.file_name))
    return consolidators.inside(data_dir, config.path or ".")


def discover(config: ImportConfig, data_dir: Path) -> list[Path]:
    """The provider's ``path``/``fileName`` (wildcards allowed) inside the data folder, by name."""
    directory = source_folder(config, data_dir)
    return sorted(p for p in directory.glob(config.file_name or "") if p.is_file())


def check_import(config: ImportConfig, data_dir: Path) -> list[ConsolidationError]:
    """What stops an ``<import>`` from running here: checked for every one before any runs."""
    errors = []
    for check in (source_folder, consolidators.from_config):
        try:
            check(config, data_dir)
        except ConsolidationError as error:
            errors.append(error)
    return errors


def no_match(config: ImportConfig, data_dir: Path) -> Message:
    """What to say when an ``<import>`` finds no file: its pattern and the data folder."""
    pattern = PurePosixPath(config.path or ".") / (config.file_name or "")
    return NO_FILE_MATCHES.format(pattern=pattern, folder=data_dir.absolute())


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def previous_import(sha256: str) -> ImportJob | None:
    imported = ImportJob.objects.filter(sha256=sha256, status=ImportJob.Status.IMPORTED)
    return imported.order_by("-created_at").first()


def process_file(
    path: Path,
    config: ImportConfig | None,
    options: ImportOptions,
    consolidation: Consolidation,
    *,
    guard: bool = False,
    progress: Progress | None = None,
) -> FileRun:
    """Import one file, unless ``guard`` and its content was imported before."""
    run = FileRun(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        run.result = ImportResult(str(path), dry_run=options.dry_run)
        message = FILE_UNREADABLE.format(reason=exc.strerror or exc)
        run.result.file_errors.append(RowError(None, message))
        return run
    sha256 = digest(data)
    earlier = previous_import(sha256) if guard else None
    if earlier is not None:
        date = timezone.localtime(earlier.created_at).strftime("%Y-%m-%d %H:%M")
        run.skipped = ALREADY_IMPORTED.format(date=date, job=earlier.pk)
        return run
    run.result = run_import(data, str(path), config, options, progress=progress)
    # A connection lost in the run: a new one records it (nothing was written).
    reconnect_if_lost(problem.code for problem in run.result.file_errors)
    if not options.dry_run:
        run.job = record_job(path, data, sha256, run.result)
    run.outputs = consolidate(run, consolidation, timezone.localtime())
    return run


def record_job(path: Path, data: bytes, sha256: str, result: ImportResult) -> ImportJob:
    """Keep a command-line run in the import history, with its counts and errors."""
    job = job_states.create_finished(
        committed=result.committed,
        file_name=path.name,
        size=len(data),
        sha256=sha256,
        format=path.suffix.lstrip(".").lower(),
        strict=result.strict,
        header=result.header,
        journal_id=result.journal_id,
        cancel_missing=result.cancel_missing,
        **counts(result),
    )
    store_details(job, result)
    return job


def consolidate(run: FileRun, consolidation: Consolidation, now: dt.datetime) -> list[str]:
    """The consolidators, in the seed's order; returns a line per thing done. One that fails
    (a folder that cannot be written, a mail server that refuses) is recorded in
    ``run.consolidator_problems`` and the others still run: the import itself is done."""
    result = run.result
    if result is None:
        return []
    done: list[str] = []
    error_log = None

    def attempt(name: str, step: Callable[[], str | None]) -> None:
        try:
            line = step()
        except (OSError, smtplib.SMTPException) as error:
            reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
            run.consolidator_problems.append(
                CONSOLIDATOR_FAILED.format(consolidator=name, reason=reason)
            )
        else:
            if line:
                done.append(line)

    if consolidation.error_log_dir is not None:
        log_dir = consolidation.error_log_dir

        def write_log() -> str | None:
            nonlocal error_log
            error_log = consolidators.write_error_log(result, log_dir, now)
            return f"error log written to {error_log}" if error_log is not None else None

        attempt("timeStampedErrorLogConsolidator", write_log)
    if consolidation.backup_dir is not None and not result.dry_run:
        backup_dir, stamp = consolidation.backup_dir, consolidation.backup_time_stamp

        def move() -> str:
            target = consolidators.move_to_backup(run.path, backup_dir, stamp, now)
            return f"moved to {target}"

        attempt("moveToBackupConsolidator", move)
    if consolidation.emails:
        emails = consolidation.emails

        def send() -> str:
            attachment = error_log if consolidation.attach_error_log else None
            consolidators.send_report(result, emails, attachment)
            return f"report sent to {', '.join(emails)}"

        attempt("emailReportConsolidator", send)
    if consolidation.time_logger:
        done.append(consolidators.time_line(result))
    return done
