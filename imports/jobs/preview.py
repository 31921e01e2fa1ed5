"""Preview a job: the engine's dry run on the job's file, its counts, rows, errors and
outcome digest stored (``details.py``). ``_run`` runs the engine on a job's file (the stored
file read and checked against its SHA-256, the job's reading options and fixes) for the
preview and the confirm (``confirm.py``). A store that fails while the file is read
(``file_store.StoreUnreachable``) fails the preview with ``STORE_UNREACHABLE`` as its reason;
the confirm keeps its preview (``confirm.py``).
"""

import hashlib

from django.db import transaction

from imports.database.db_errors import reconnect_if_lost
from imports.engine import ImportOptions, Progress, RowSink, run_import
from imports.parsing.fixes import Fix
from imports.parsing.messages import STORE_UNREACHABLE, Message
from imports.parsing.results import ImportResult, RowError
from imports.parsing.storable import storable_text, storable_texts

from . import states as job_states
from .details import counts, store_details
from .file_store import StoreUnreachable, reaching
from .models import ImportJob

# A new preview: its conflicts and its count of interventions cancelled as missing are
# still to be checked.
NO_ACKNOWLEDGEMENT = {
    "conflicts_acknowledged_by": None,
    "conflicts_acknowledged_at": None,
    "cancel_missing_confirmed": None,
}
FILE_GONE = Message("upload_gone", "The uploaded file is no longer available; upload it again.")
FILE_CHANGED = Message(
    "upload_changed", "The stored file differs from the one uploaded (SHA-256); upload it again."
)
CONFIGURATION_GONE = Message(
    "configuration_gone", "The configuration {name} no longer exists; upload the file again."
)


def preview_job(job: ImportJob, progress: Progress | None = None) -> ImportResult:
    """Dry-run the engine on the job's file and store counts, row outcomes and errors."""
    try:
        result = _run(job, dry_run=True, strict=False, progress=progress)
    except StoreUnreachable:
        return store_failed(job)
    # A connection lost in the run: a new one stores the preview (failed, with the message).
    reconnect_if_lost(problem.code for problem in result.file_errors)
    _store(job, result)
    return result


def store_failed(job: ImportJob) -> ImportResult:
    """The store failed reading or writing the job's file: the job fails, with
    ``STORE_UNREACHABLE`` as its file problem and its reason."""
    result = _failed(job, STORE_UNREACHABLE)
    _store(job, result, reason=STORE_UNREACHABLE)
    return result


def _run(
    job: ImportJob,
    dry_run: bool,
    strict: bool | None,
    progress: Progress | None,
    *,
    row_sink: RowSink | None = None,
) -> ImportResult:
    """The engine on the job's file: every row kept (a preview stores them), or each batch
    handed to ``row_sink`` and none kept (a confirm's digest)."""
    options = ImportOptions(
        dry_run=dry_run,
        strict=strict,
        format=job.format or None,
        encoding=job.encoding or None,
        delimiter=job.delimiter or None,
        date_format=job.date_format or None,
        sheet=job.sheet or None,
        keep_rows=row_sink is None,
        row_sink=row_sink,
        conflicts=job.conflicts or None,
        fixes=tuple(Fix.from_dict(fix) for fix in job.fixes),
        first_row_is_data=job.first_row_is_data,
        cancel_missing=True if job.cancel_missing else None,  # else the configuration's
        confirm_cancel=None if dry_run else job.cancel_missing_confirmed,
    )
    if job.configuration_name and job.configuration is None:
        return _failed(job, CONFIGURATION_GONE.format(name=job.configuration_name))
    config = job.configuration.import_config() if job.configuration else None
    try:
        with reaching("reading the uploaded file", job.pk), job.file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError):  # gone, or never stored (no name)
        return _failed(job, FILE_GONE)
    if job.sha256 and hashlib.sha256(data).hexdigest() != job.sha256:
        return _failed(job, FILE_CHANGED)
    return run_import(data, job.file_name, config, options, progress=progress)


def _failed(job: ImportJob, message: str) -> ImportResult:
    result = ImportResult(job.file_name)
    result.file_errors.append(RowError(None, message))
    return result


def _store(job: ImportJob, result: ImportResult, *, reason: str = "") -> bool:
    """Replace the job's counts, rows, errors and outcome digest with those of ``result``,
    and its reason (a new preview: none, unless given). Nothing is stored when the job is no
    longer a preview of this run (another process marked it failed meanwhile: it keeps its
    status and reason); returns whether it was stored."""
    with transaction.atomic():
        fields = {
            **counts(result),
            "header": storable_texts(result.header),
            "read_with": {key: storable_text(value) for key, value in result.read_with.items()},
            "outcome_digest": store_details(job, result),
            "failure_reason": reason,
            **NO_ACKNOWLEDGEMENT,  # a new preview: its conflicts are still to be checked
        }
        if job_states.previewed(job, usable=result.usable, fields=fields):
            return True
        transaction.set_rollback(True)  # its rows and errors are not this job's any more
        return False
