"""Background imports, the web side: send a job to a Celery worker, cancel it, report on it.

With a broker (``CELERY_BROKER_URL``) and a large file (``BACKGROUND_MIN_BYTES`` /
``BACKGROUND_MIN_ROWS``), a preview or an import is queued here (``imports/jobs/service.py``
decides) and run by ``imports/tasks.py`` (which calls ``imports/jobs/runs.py``). A job's status
goes queued -> running -> previewed / imported / failed / cancelled (``imports/jobs/states.py``).
"""

import logging

from celery.utils import uuid
from kombu.exceptions import KombuError

from imports.conf import broker_configured, import_settings
from imports.parsing.messages import Message

from . import live
from . import states as job_states
from .models import ImportJob
from .tasks import confirm_job_task, preview_job_task

logger = logging.getLogger(__name__)

QUEUE_FAILED = Message(
    "queue_failed", "The job could not be sent to a worker ({error}); nothing was done."
)
Status = ImportJob.Status


def wants_background(job: ImportJob, activity: str) -> bool:
    """Should this preview or import run on a worker?"""
    if not broker_configured():
        return False
    large_file = job.size >= import_settings.BACKGROUND_MIN_BYTES
    if activity == ImportJob.Activity.PREVIEW:
        return large_file
    return large_file or job.total_rows >= import_settings.BACKGROUND_MIN_ROWS


def queue_preview(job: ImportJob) -> bool:
    """Queue the preview of a new job; False when it could not be marked queued."""
    return _queue(
        job, sources=(Status.PREVIEWED,), activity=ImportJob.Activity.PREVIEW, args=(job.pk,)
    )


def queue_confirm(job: ImportJob, user, strict: bool | None) -> bool:
    """Queue the import of a previewed job; False when it is no longer a preview."""
    args = (job.pk, user.pk if user is not None else None, strict)
    return _queue(job, sources=job_states.OPEN, activity=ImportJob.Activity.IMPORT, args=args)


def _queue(job: ImportJob, *, sources: tuple[str, ...], activity: str, args: tuple) -> bool:
    """Mark the job queued (when its status is in ``sources``) and send its task."""
    live.clear(job.pk)
    if not job_states.queue(job, activity=activity, sources=sources, task_id=uuid()):
        return False
    # Nothing but a failure to send is written here once the task is sent: a worker may
    # already be running it.
    task = preview_job_task if activity == ImportJob.Activity.PREVIEW else confirm_job_task
    try:
        task.apply_async(args=args, task_id=job.task_id)
    except (KombuError, OSError) as error:
        logger.exception("Could not queue import job %s", job.pk)
        job_states.failed(job, reason=QUEUE_FAILED.format(error=error), sources=(Status.QUEUED,))
    return True


def cancel(job: ImportJob, user) -> bool:
    """Ask a queued or running job to stop; False when it is not in the background.

    A running job is asked through the cache only: its worker holds the job row (and on
    SQLite the write lock) for the run, so an UPDATE here would wait for the whole import."""
    job.refresh_from_db(fields=["status"])
    if job.status == Status.QUEUED and job_states.cancel_queued(
        job, reason=job_states.CANCELLED.format(user=user)
    ):
        return True
    job.refresh_from_db(fields=["status"])
    if job.status != Status.RUNNING:
        return False
    # The worker holds the job row for the run: the request goes through the cache, and the
    # worker records it when it stops (imports/jobs/runs.py).
    live.request_cancel(job.pk, str(user))
    return True


def status(job: ImportJob) -> dict:
    """The job page's live figures: the cache's while running, the job's otherwise."""
    progress = live.read(job.pk) if job.status == Status.RUNNING else None
    if progress is None:
        progress = live.LiveProgress(
            rows_done=job.rows_done,
            rows_total=job.rows_total,
            new=job.new,
            updated=job.updated,
            unchanged=job.unchanged,
            error_rows=job.error_rows,
        )
    return {
        "status": job.status,
        "activity": job.activity,
        "rows_done": progress.rows_done,
        "rows_total": progress.rows_total,
        "new": progress.new,
        "updated": progress.updated,
        "unchanged": progress.unchanged,
        "error_rows": progress.error_rows,
        "seconds_left": progress.seconds_left() if job.status == Status.RUNNING else None,
        "cancel_requested": job.cancel_requested or live.cancel_requested(job.pk),
        "failure_reason": job.failure_reason,
    }
