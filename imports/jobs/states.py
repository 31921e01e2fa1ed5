"""The one owner of an import job's status: every change of it is a conditional UPDATE here.

    created (previewed) ─► previewed │ failed                      in-process preview
    created previewed (an undo waiting) ─► imported                undo.py, four-eyes
    failed (its header) ─► previewed, with a mapping, then previewed again   mapping.py
    previewed ─► imported │ failed │ previewed (a new preview)     in-process confirm
    previewed ─► queued ─► running ─► previewed │ imported │ failed │ cancelled   on a worker
    queued ─► cancelled;  queued │ running ─► failed (not sent, crashed, worker lost)
    previewed ─► expired                                          purge_expired_imports

Each function moves the job only from the states it names, in one
``UPDATE … WHERE pk = … AND status IN (…)``, so that two processes can never both win one
transition; it says whether it did, and updates the instance it was given. Nothing else in the
code writes ``ImportJob.status``.

Reading never writes: ``seen_as`` shows a running job whose worker is lost as failed ("worker
lost") without storing it; ``fail_if_stale`` (``fail_stale_imports``, a redelivered task) and
the job's next write store it.
"""

from collections.abc import Collection
from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone

from imports.conf import broker_configured, import_settings
from imports.parsing.messages import STALE_NOT_JUDGED, Message

from . import live
from .models import ImportJob

Status = ImportJob.Status
WORKER_LOST = Message(
    "worker_lost", "Worker lost: no sign of life for {seconds} seconds; nothing was written."
)
CANCELLED = Message("cancelled", "Cancelled by {user}; nothing was written.")
OPEN = (Status.PREVIEWED,)
ON_A_WORKER = (Status.QUEUED, Status.RUNNING)


def move(job: ImportJob, *, sources: Collection[str], target: str, **values: Any) -> bool:
    """Set ``status`` to ``target`` (and ``values``) when the job's status is in ``sources``."""
    values["status"] = target
    moved = ImportJob.objects.filter(pk=job.pk, status__in=list(sources)).update(**values)
    if moved:
        for name, value in values.items():
            setattr(job, name, value)
    return bool(moved)


def create_finished(*, committed: bool, **fields: Any) -> ImportJob:
    """A job born finished (a command-line run kept in the history): *imported* or *failed*."""
    status = Status.IMPORTED if committed else Status.FAILED
    return ImportJob.objects.create(status=status, finished_at=timezone.now(), **fields)


def create_waiting(**fields: Any) -> ImportJob:
    """A job born waiting for a second person (an undo asked for under four-eyes):
    *previewed*, until ``confirmed``."""
    return ImportJob.objects.create(status=Status.PREVIEWED, **fields)


def reopened(job: ImportJob, **values: Any) -> bool:
    """A preview that failed (it never wrote) to be read again, with ``values`` (its
    configuration: a mapping of its header): *previewed* until its new preview is stored."""
    return move(job, sources=(Status.FAILED,), target=Status.PREVIEWED, finished_at=None, **values)


def queue(job: ImportJob, *, activity: str, sources: Collection[str], task_id: str) -> bool:
    """To *queued* for ``activity`` on a worker, progress reset."""
    return move(
        job,
        sources=sources,
        target=Status.QUEUED,
        activity=activity,
        task_id=task_id,
        rows_done=0,
        rows_total=0,
        cancel_requested=False,
        failure_reason="",
        heartbeat_at=timezone.now(),
    )


def claim(job_id: int, *, activity: str) -> ImportJob | None:
    """Queued -> running, for the worker that runs it; None when it is not queued."""
    claimed = ImportJob.objects.filter(pk=job_id, status=Status.QUEUED, activity=activity).update(
        status=Status.RUNNING, heartbeat_at=timezone.now()
    )
    return ImportJob.objects.get(pk=job_id) if claimed else None


def previewed(job: ImportJob, *, usable: bool, fields: dict[str, Any]) -> bool:
    """A preview stored: *previewed*, or *failed* when the file could not be used."""
    target = Status.PREVIEWED if usable else Status.FAILED
    if not usable:
        fields = {**fields, "finished_at": timezone.now()}
    return move(job, sources=(Status.PREVIEWED, Status.RUNNING), target=target, **fields)


def confirmed(job: ImportJob, *, committed: bool, claimed: bool, fields: dict[str, Any]) -> bool:
    """A confirm's run done: *imported* when it committed, else *failed*."""
    sources = (Status.RUNNING,) if claimed else OPEN
    target = Status.IMPORTED if committed else Status.FAILED
    fields = {"failure_reason": "", **fields}  # a note of an earlier confirm is gone
    return move(job, sources=sources, target=target, finished_at=timezone.now(), **fields)


def noted(job: ImportJob, *, reason: str) -> bool:
    """Why a confirm of a preview did nothing (the file store failed): the job stays a
    preview, with the reason shown on its page."""
    noted = ImportJob.objects.filter(pk=job.pk, status__in=OPEN).update(failure_reason=reason)
    if noted:
        job.failure_reason = reason
    return bool(noted)


def back_to_preview(job: ImportJob) -> bool:
    """A claimed confirm refused before its run (four-eyes): the job is a preview again."""
    return move(job, sources=(Status.RUNNING,), target=Status.PREVIEWED)


def cancel_queued(job: ImportJob, *, reason: str) -> bool:
    """A job still waiting for a worker is cancelled at once."""
    return _cancel(job, sources=(Status.QUEUED,), reason=reason)


def cancelled(job: ImportJob, *, reason: str, rows_done: int, rows_total: int) -> bool:
    """A running job stopped by its worker after a cancel request."""
    progress = {"rows_done": rows_done, "rows_total": rows_total}
    return _cancel(job, sources=(Status.RUNNING,), reason=reason, **progress)


def _cancel(job: ImportJob, *, sources: Collection[str], reason: str, **values: Any) -> bool:
    return move(
        job,
        sources=sources,
        target=Status.CANCELLED,
        cancel_requested=True,
        failure_reason=reason,
        finished_at=timezone.now(),
        **values,
    )


def failed(job: ImportJob, *, reason: str, sources: Collection[str] = ON_A_WORKER) -> bool:
    """Not sent to a worker, crashed on it, or its worker lost."""
    return move(
        job,
        sources=sources,
        target=Status.FAILED,
        failure_reason=reason,
        finished_at=timezone.now(),
    )


def expired(job: ImportJob) -> bool:
    """A preview never confirmed, its rows and file gone."""
    return move(
        job, sources=OPEN, target=Status.EXPIRED, outcome_digest="", finished_at=timezone.now()
    )


def run_recorded(job: ImportJob, *, outcome: str | None, reason: str, rows: int) -> bool:
    """A worker's run ended: its last figures and its reason, written only when the job is
    in the status the run itself moved it to (``outcome``; None: the run moved nothing). A
    job another process moved meanwhile (``fail_stale_imports`` marked it failed, worker
    lost) keeps its status and reason: False, and the run says so in its log."""
    if outcome is None or job.status != outcome:
        return False
    values = {"rows_done": rows, "rows_total": rows, "failure_reason": reason}
    recorded = ImportJob.objects.filter(pk=job.pk, status=outcome).update(
        heartbeat_at=timezone.now(), **values
    )
    if recorded:
        for name, value in values.items():
            setattr(job, name, value)
    return bool(recorded)


def last_sign_of_life(job: ImportJob) -> datetime:
    """The later of the job's recorded heartbeat and the live one."""
    beats = [job.heartbeat_at]
    progress = live.read(job.pk)
    if progress and progress.heartbeat:
        beats.append(datetime.fromtimestamp(progress.heartbeat, tz=UTC))
    known = [beat for beat in beats if beat is not None]
    return max(known) if known else job.created_at


def is_stale(job: ImportJob, *, now: datetime | None = None, after: float | None = None) -> bool:
    """A running job whose worker gave no sign of life for ``after`` seconds (read only)."""
    if job.status != Status.RUNNING:
        return False
    seconds = import_settings.STALE_AFTER_SECONDS if after is None else after
    return last_sign_of_life(job) <= (now or timezone.now()) - timedelta(seconds=seconds)


def seen_as(job: ImportJob, *, now: datetime | None = None) -> ImportJob:
    """The job as a reader should see it: a stale running job shows as failed (worker lost),
    in memory only (a GET request writes nothing)."""
    if is_stale(job, now=now):
        job.status = Status.FAILED
        job.failure_reason = _worker_lost()
    return job


def fail_if_stale(
    job: ImportJob, *, now: datetime | None = None, after: float | None = None
) -> bool:
    """Store "worker lost" on a running job whose worker gave no sign of life."""
    if not is_stale(job, now=now, after=after):
        return False
    moved = move(
        job,
        sources=(Status.RUNNING,),
        target=Status.FAILED,
        failure_reason=_worker_lost(after),
        finished_at=now or timezone.now(),
    )
    if moved:
        live.clear(job.pk)
    return moved


class HeartbeatsUnseen(Exception):
    """This process cannot see the workers' live heartbeats: it must not judge them lost."""


def fail_stale(*, now: datetime | None = None, after: float | None = None) -> list[ImportJob]:
    """Every running job whose worker is lost, marked failed. Raises ``HeartbeatsUnseen``
    (naming the settings it lacks) on a host whose live cache is its own memory: there a
    healthy job's heartbeat is invisible, and it would be failed while its worker runs."""
    if not live.shared():
        missing = ["CELERY_BROKER_URL"] if not broker_configured() else []
        missing.append("REDIS_URL (a shared PROGRESS_CACHE)")
        raise HeartbeatsUnseen(STALE_NOT_JUDGED.format(missing=" and ".join(missing)))
    running = ImportJob.objects.filter(status=Status.RUNNING)
    return [job for job in running if fail_if_stale(job, now=now, after=after)]


def _worker_lost(after: float | None = None) -> str:
    seconds = import_settings.STALE_AFTER_SECONDS if after is None else after
    return WORKER_LOST.format(seconds=int(seconds))
