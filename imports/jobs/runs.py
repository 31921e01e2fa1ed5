"""Background imports, the worker side: what ``imports/tasks.py`` runs for a queued job.

Each run claims its job (queued -> running, one atomic UPDATE: a message delivered twice runs
once), calls the jobs service with a JobProgress hook (live progress, heartbeat, cancel), then
records the outcome and the reason on the job. A cancel raises inside the engine's transaction:
nothing is written. A worker that dies leaves a running job that ``fail_stale`` marks failed.
A run that ends after another process marked its job failed (``fail_stale_imports`` on a host
that could not see its heartbeat) records nothing: the job stays failed with its reason, and
the worker logs it (``FINISHED_AFTER_FAILED``, a warning naming the job).
"""

import logging

from django.contrib.auth import get_user_model

from imports.parsing.messages import FINISHED_AFTER_FAILED, Message
from imports.parsing.results import ImportResult

from . import confirm, live, preview
from . import states as job_states
from .models import ImportJob
from .verdicts import verdict_text

logger = logging.getLogger(__name__)

Status = ImportJob.Status
Verdict = confirm.Verdict
CRASHED = Message("worker_failed", "The worker failed ({error}); nothing was written.")
FILE_FAILED = Message("file_failed", "The file could not be imported; nothing was written.")
REASONED = (
    Verdict.CHANGED,
    Verdict.STRICT_FAILED,
    Verdict.SAME_USER,
    Verdict.BUSY,
    Verdict.CONNECTION_LOST,
    Verdict.STORE_UNREACHABLE,
)  # kept as the job's reason
# The status a confirm's run leaves its job in, by verdict (None: the run moved nothing).
CONFIRM_OUTCOMES: dict[Verdict, str | None] = {
    Verdict.IMPORTED: Status.IMPORTED,
    Verdict.FAILED: Status.FAILED,
    Verdict.STRICT_FAILED: Status.FAILED,
    Verdict.CHANGED: Status.PREVIEWED,
    Verdict.SAME_USER: Status.PREVIEWED,
    Verdict.BUSY: Status.PREVIEWED,
    Verdict.CONNECTION_LOST: Status.PREVIEWED,
    Verdict.STORE_UNREACHABLE: Status.PREVIEWED,
}


def claim(job_id: int, activity: str) -> ImportJob | None:
    """Move a queued job to running; None when it is not queued (cancelled, or a redelivery)."""
    job = job_states.claim(job_id, activity=activity)
    if job is not None:
        return job
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        # Delivered again after its worker was lost (late acknowledgement): fail it if stale.
        job_states.fail_if_stale(job)
    return None


def run_preview(job_id: int) -> str:
    """The dry run of a queued job; returns the job's final status."""
    job = claim(job_id, ImportJob.Activity.PREVIEW)
    if job is None:
        return "skipped"
    hook = live.JobProgress(job.pk)
    hook.beat()
    try:
        result = preview.preview_job(job, progress=hook)
    except live.Cancelled:
        return _cancelled(job)
    except Exception as error:
        _crashed(job, error)
        raise
    outcome = Status.PREVIEWED if result.usable else Status.FAILED
    _record(job, hook, "" if result.usable else _file_reason(result), outcome)
    return job.status


def run_confirm(job_id: int, user_id: int | None, strict: bool | None) -> str:
    """The real import of a queued job; returns the job's final status."""
    job = claim(job_id, ImportJob.Activity.IMPORT)
    if job is None:
        return "skipped"
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    hook = live.JobProgress(job.pk)
    hook.beat()
    try:
        done = confirm.confirm_job(job, user, strict=strict, progress=hook, claimed=True)
    except live.Cancelled:
        return _cancelled(job)
    except Exception as error:
        _crashed(job, error)
        raise
    job = done.job
    # refused (four-eyes) or undone (busy, connection lost, store unreachable): a preview again
    job_states.back_to_preview(job)
    _record(job, hook, _reason(done), CONFIRM_OUTCOMES.get(done.verdict))
    return job.status


def _reason(done: confirm.Confirmation) -> str:
    if done.verdict is Verdict.FAILED and done.result is not None:
        return _file_reason(done.result)
    if done.verdict in REASONED:
        return verdict_text(done)
    return ""


def _file_reason(result: ImportResult) -> str:
    messages = [problem.message for problem in result.file_errors]
    return " ".join(messages) or FILE_FAILED


def _record(job: ImportJob, hook: live.JobProgress, reason: str, outcome: str | None) -> None:
    """The run's last figures and why it failed (its status is already recorded), unless
    another process moved the job meanwhile: then it keeps its status and reason."""
    total = hook.state.rows_total or job.total_rows
    recorded = job_states.run_recorded(job, outcome=outcome, reason=reason, rows=total)
    live.clear(job.pk)
    job.refresh_from_db()
    if not recorded:
        logger.warning(
            FINISHED_AFTER_FAILED.format(
                job=job.pk, reason=job.failure_reason or job.status, outcome=outcome or "none"
            ),
            extra={"job": job.pk},
        )


def _cancelled(job: ImportJob) -> str:
    by = live.cancelled_by(job.pk) or "a user"
    progress = live.read(job.pk)
    job_states.cancelled(
        job,
        reason=job_states.CANCELLED.format(user=by),
        rows_done=progress.rows_done if progress else 0,
        rows_total=progress.rows_total if progress else 0,
    )
    live.clear(job.pk)
    return Status.CANCELLED


def _crashed(job: ImportJob, error: Exception) -> None:
    logger.exception("Import job %s failed on the worker", job.pk, extra={"job": job.pk})
    job_states.failed(job, reason=CRASHED.format(error=f"{type(error).__name__}: {error}"))
    live.clear(job.pk)
