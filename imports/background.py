"""Background imports, the web side: send a job to a Celery worker, cancel it, report on it.

With a broker (``CELERY_BROKER_URL``) and a large file (``BACKGROUND_MIN_BYTES`` /
``BACKGROUND_MIN_ROWS``), the admin's preview and import are queued here and run by
``imports/tasks.py`` (which calls ``imports/runs.py``); otherwise the views run them in-process.
A job's status goes queued -> running -> previewed / imported / failed / cancelled.
"""

import logging
from datetime import UTC, datetime, timedelta

from celery.utils import uuid
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import KombuError

from . import jobs, live
from .conf import broker_configured, import_settings
from .messages import Message
from .models import ImportJob

logger = logging.getLogger(__name__)

QUEUE_FAILED = Message(
    "queue_failed", "The job could not be sent to a worker ({error}); nothing was done."
)
CANCELLED = Message("cancelled", "Cancelled by {user}; nothing was written.")
WORKER_LOST = Message(
    "worker_lost", "Worker lost: no sign of life for {seconds} seconds; nothing was written."
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


def enqueue_preview(job: ImportJob) -> bool:
    """Queue the preview of a new job when it should run on a worker; False: run it here."""
    if not wants_background(job, ImportJob.Activity.PREVIEW):
        return False
    _queue(job, Q(), ImportJob.Activity.PREVIEW, (job.pk,))
    return True


def enqueue_confirm(job: ImportJob, user, strict: bool | None) -> jobs.Confirmation | None:
    """Queue the import of a previewed job, or None when it should run in-process."""
    if not wants_background(job, ImportJob.Activity.IMPORT):
        return None
    if import_settings.FOUR_EYES and user is not None and job.user_id == user.pk:
        return jobs.Confirmation(jobs.Verdict.SAME_USER, job)
    args = (job.pk, user.pk if user is not None else None, strict)
    claimed = _queue(job, Q(status=Status.PREVIEWED), ImportJob.Activity.IMPORT, args)
    if not claimed:
        job.refresh_from_db()
        return jobs.Confirmation(jobs.Verdict.NOT_OPEN, job)
    return jobs.Confirmation(jobs.Verdict.QUEUED, job)


def _queue(job: ImportJob, condition: Q, activity: str, args: tuple) -> bool:
    """Mark the job queued (when ``condition`` holds) and send its task; False if not queued."""
    from .tasks import confirm_job_task, preview_job_task

    live.clear(job.pk)
    values = {
        "status": Status.QUEUED,
        "activity": activity,
        "task_id": uuid(),
        "rows_done": 0,
        "rows_total": 0,
        "cancel_requested": False,
        "failure_reason": "",
        "heartbeat_at": timezone.now(),
    }
    if not ImportJob.objects.filter(condition, pk=job.pk).update(**values):
        return False
    for name, value in values.items():
        setattr(job, name, value)
    # Nothing is written here once the task is sent: a worker may already be running it.
    task = preview_job_task if activity == ImportJob.Activity.PREVIEW else confirm_job_task
    try:
        task.apply_async(args=args, task_id=job.task_id)
    except (KombuError, OSError) as error:
        logger.exception("Could not queue import job %s", job.pk)
        _set(job, status=Status.FAILED, failure_reason=QUEUE_FAILED.format(error=error))
    return True


def _set(job: ImportJob, **values) -> None:
    ImportJob.objects.filter(pk=job.pk).update(**values)
    for name, value in values.items():
        setattr(job, name, value)


def cancel(job: ImportJob, user) -> bool:
    """Ask a queued or running job to stop; False when it is not in the background."""
    reason = CANCELLED.format(user=user)
    stopped = ImportJob.objects.filter(pk=job.pk, status=Status.QUEUED).update(
        status=Status.CANCELLED,
        cancel_requested=True,
        failure_reason=reason,
        finished_at=timezone.now(),
    )
    if stopped:
        return True
    if job.status != Status.RUNNING:
        return False
    # The worker holds the job row for the run: the request goes through the cache, and the
    # worker records it when it stops (imports/runs.py).
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


def last_sign_of_life(job: ImportJob):
    """The later of the job's recorded heartbeat and the live one."""
    beats = [job.heartbeat_at]
    progress = live.read(job.pk)
    if progress and progress.heartbeat:
        beats.append(datetime.fromtimestamp(progress.heartbeat, tz=UTC))
    beats = [beat for beat in beats if beat is not None]
    return max(beats) if beats else job.created_at


def fail_if_stale(job: ImportJob, now=None, after: float | None = None) -> bool:
    """Mark a running job failed ("worker lost") when its worker gave no sign of life."""
    if job.status != Status.RUNNING:
        return False
    seconds = import_settings.STALE_AFTER_SECONDS if after is None else after
    now = now or timezone.now()
    if last_sign_of_life(job) > now - timedelta(seconds=seconds):
        return False
    failed = ImportJob.objects.filter(pk=job.pk, status=Status.RUNNING).update(
        status=Status.FAILED,
        failure_reason=WORKER_LOST.format(seconds=int(seconds)),
        finished_at=now,
    )
    if failed:
        live.clear(job.pk)
        job.refresh_from_db()
    return bool(failed)


def fail_stale(now=None, after: float | None = None) -> list[ImportJob]:
    """Every running job whose worker is lost, marked failed."""
    running = ImportJob.objects.filter(status=Status.RUNNING)
    return [job for job in running if fail_if_stale(job, now=now, after=after)]
