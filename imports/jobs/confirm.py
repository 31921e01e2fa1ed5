"""Confirm a job: the engine's real run on the job's file, written only when its outcome
equals the stored preview's (``details.same_outcome``); otherwise nothing is written and the
job shows the new outcome. The four-eyes rule (``rules.py``) is checked first; a busy or lost
database leaves the job as it was (``Verdict``).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import Error, OperationalError, transaction

from imports.database.db_errors import (
    DATABASE_BUSY,
    DATABASE_LOST,
    connection_lost,
    is_busy,
    reconnect,
)
from imports.engine import Progress
from imports.parsing import messages
from imports.parsing.messages import STORE_UNREACHABLE
from imports.parsing.results import ImportResult

from . import states as job_states
from .details import DIGEST_VERSION, DigestSink, room_fields, same_outcome, store_details
from .file_store import StoreUnreachable
from .models import ImportJob
from .preview import _run, _store, preview_job
from .rules import four_eyes_blocks

# cancelMissing's refusals (more to cancel than the preview's confirmed count): the outcome
# is not the preview's, whose count was confirmed.
CANCEL_REFUSALS = frozenset(
    {messages.CANCEL_MISSING_TOO_MANY.code, messages.CANCEL_MISSING_COUNT_DIFFERS.code}
)


class Verdict(StrEnum):
    IMPORTED = "imported"
    CHANGED = "changed"  # the outcome differs from the preview: nothing written
    STRICT_FAILED = "strict_failed"  # all or nothing, and some rows have errors
    FAILED = "failed"  # the file or the database could not be used
    NOT_OPEN = "not_open"  # already imported, failed or expired
    SAME_USER = "same_user"  # four-eyes: the uploader cannot confirm
    QUEUED = "queued"  # sent to a worker (imports/jobs/background.py)
    BUSY = "busy"  # the database was busy with another write: nothing written, still a preview
    NOT_ACKNOWLEDGED = "not_acknowledged"  # schedule conflict warnings not acknowledged
    CONNECTION_LOST = "connection_lost"  # the database connection died: nothing written
    # cancelMissing: more than CANCEL_MISSING_MAX_SHARE to cancel, the count not confirmed
    CANCEL_NOT_CONFIRMED = "cancel_not_confirmed"
    STORE_UNREACHABLE = "store_unreachable"  # the file store failed: nothing written


@dataclass
class Confirmation:
    verdict: Verdict
    job: ImportJob
    result: ImportResult | None = None


class _OutcomeChanged(Exception):
    def __init__(self, result: ImportResult, *, kept: bool) -> None:
        self.result = result
        self.kept = kept  # the run kept its rows: they are the new preview's


class _Busy(Exception):
    """The database stayed locked by another writer: the confirm is undone, nothing changes."""


class _Lost(Exception):
    """The database connection died during the run: its transaction with it."""


def confirm_job(
    job: ImportJob,
    user,
    strict: bool | None = None,
    progress: Progress | None = None,
    claimed: bool = False,
) -> Confirmation:
    """Import the job's file for real, unless its outcome differs from the stored preview.

    ``claimed``: a worker moved the job to *running* for this import (imports/jobs/background.py).
    """
    if job.undoes_id is not None:  # an undo waiting for its confirmation (undo.py)
        return Confirmation(Verdict.NOT_OPEN, job)
    if four_eyes_blocks(job, user):
        return Confirmation(Verdict.SAME_USER, job)
    try:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job.pk)
            if not (job.is_open or (claimed and job.status == ImportJob.Status.RUNNING)):
                return Confirmation(Verdict.NOT_OPEN, job)
            # The digest is made batch by batch, no row kept; a preview stored before the
            # v3 digest is compared with the rows kept, as then.
            sink = DigestSink() if job.outcome_digest.startswith(DIGEST_VERSION) else None
            result = _run(job, dry_run=False, strict=strict, progress=progress, row_sink=sink)
            _raise_for_database(result)
            if _cancels_otherwise(result) or (result.usable and not _same(job, result, sink)):
                raise _OutcomeChanged(result, kept=sink is None)
            _finish(job, result, user, claimed=claimed)
    except _OutcomeChanged as changed:
        again = changed.result.written_meanwhile or _cancels_otherwise(changed.result)
        if again or not changed.kept:
            # Another import wrote rows of this file while it ran, or the interventions to
            # cancel as missing are not those of the preview, or the run kept no row (its
            # digest was made on the way): a new preview reads what is there now (the
            # undone run never read those rows' values; a dry run lists what it would
            # cancel).
            return Confirmation(Verdict.CHANGED, job, preview_job(job))
        _store(job, changed.result)
        return Confirmation(Verdict.CHANGED, job, changed.result)
    except (_Busy, OperationalError) as error:
        if isinstance(error, OperationalError) and not is_busy(error):
            if not connection_lost():
                raise
            return _lost(job)
        job.refresh_from_db()
        return Confirmation(Verdict.BUSY, job)
    except _Lost:
        return _lost(job)
    except StoreUnreachable:
        return _store_unreachable(job)
    except Error:  # the connection died after the run, while the outcome was recorded
        if not connection_lost():
            raise
        return _lost(job)
    return Confirmation(_verdict(job, result), job, result)


def _same(job: ImportJob, result: ImportResult, sink: DigestSink | None) -> bool:
    """Whether the run decided what the stored preview decided (``details.same_outcome``)."""
    if sink is not None:
        return sink.text(result) == job.outcome_digest
    return same_outcome(job.outcome_digest, result)


def _cancels_otherwise(result: ImportResult) -> bool:
    """cancelMissing refused the run: more to cancel than the preview said (its count)."""
    return any(problem.code in CANCEL_REFUSALS for problem in result.file_errors)


def _raise_for_database(result: ImportResult) -> None:
    """A run stopped by the database itself, not by the file: undo the confirm, the job
    stays as it was (busy: another writer; lost: the connection died)."""
    codes = {problem.code for problem in result.file_errors}
    if DATABASE_BUSY.code in codes:
        raise _Busy
    if DATABASE_LOST.code in codes:
        raise _Lost


def _lost(job: ImportJob) -> Confirmation:
    """The connection died and its transaction with it: nothing was written and the job is
    unchanged. A new connection (Django opens it at the next query) reads the job again."""
    reconnect()
    job.refresh_from_db()
    return Confirmation(Verdict.CONNECTION_LOST, job)


def _store_unreachable(job: ImportJob) -> Confirmation:
    """The file could not be read from the store: nothing was written, the job is still a
    preview, its reason recorded (on a worker, the run records it: ``runs.py``)."""
    job.refresh_from_db()
    job_states.noted(job, reason=STORE_UNREACHABLE)
    return Confirmation(Verdict.STORE_UNREACHABLE, job)


def _verdict(job: ImportJob, result: ImportResult) -> Verdict:
    if job.status == ImportJob.Status.IMPORTED:
        return Verdict.IMPORTED
    return Verdict.FAILED if not result.usable else Verdict.STRICT_FAILED


def _finish(job: ImportJob, result: ImportResult, user, *, claimed: bool) -> None:
    if not result.usable:
        store_details(job, result)
    fields = {"confirmed_by": user, "strict": result.strict, "seconds": result.seconds}
    fields["journal_id"] = result.journal_id  # what it changed, for an undo
    fields.update(room_fields(result))  # what the import did to rooms, for its message
    job_states.confirmed(job, committed=result.committed, claimed=claimed, fields=fields)
