"""Live state of background jobs: progress, heartbeat and cancel requests, kept in a cache.

Why a cache and not the job's row: the engine runs in one transaction. On PostgreSQL a write
to the job row inside it is invisible to other sessions until the end, and a write from a
second connection would wait for the row lock that ``confirm_job`` holds (``select_for_update``)
for the whole run; on SQLite a second writer is locked out for the whole run. The cache sits
outside every transaction, so the status endpoint and the cancel button work while a worker
imports. The cache (the ``PROGRESS_CACHE`` setting) must be shared by web servers and workers:
Redis in production. The job row keeps the durable part (status, reason, final figures).

``JobProgress`` is the engine's progress callback of a job run on a worker: it publishes here,
and raises ``Cancelled`` inside the engine's transaction when a cancel was asked for.
"""

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache

from imports.conf import import_settings
from imports.parsing.results import ImportResult

TTL_SECONDS = 24 * 60 * 60


@dataclass
class LiveProgress:
    rows_done: int = 0
    rows_total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error_rows: int = 0
    started: float = 0.0  # epoch seconds
    heartbeat: float = 0.0  # epoch seconds

    def seconds_left(self, now: float | None = None) -> float | None:
        """Time left at the rate so far; None before the first batch."""
        if not self.rows_done or not self.rows_total or not self.started:
            return None
        elapsed = max((now or time.time()) - self.started, 0.0)
        return round(elapsed / self.rows_done * (self.rows_total - self.rows_done), 1)


def _cache() -> BaseCache:
    alias = import_settings.PROGRESS_CACHE
    return caches[alias if alias in settings.CACHES else "default"]


def shared() -> bool:
    """Whether this process sees the workers' live state: a cache other processes write to
    (Redis, a database, files), not this process's memory."""
    return not isinstance(_cache(), LocMemCache | DummyCache)


def _key(job_id: int, what: str) -> str:
    return f"import-job:{job_id}:{what}"


def publish(job_id: int, progress: LiveProgress) -> None:
    _cache().set(_key(job_id, "progress"), asdict(progress), TTL_SECONDS)


def read(job_id: int) -> LiveProgress | None:
    data = _cache().get(_key(job_id, "progress"))
    return LiveProgress(**data) if data else None


def request_cancel(job_id: int, by: str) -> None:
    _cache().set(_key(job_id, "cancel"), by or "?", TTL_SECONDS)


def cancel_requested(job_id: int) -> bool:
    return bool(_cache().get(_key(job_id, "cancel")))


def cancelled_by(job_id: int) -> str:
    return str(_cache().get(_key(job_id, "cancel")) or "")


def clear(job_id: int) -> None:
    _cache().delete_many([_key(job_id, "progress"), _key(job_id, "cancel")])


class Cancelled(Exception):
    """Raised by JobProgress inside the engine's transaction: everything is rolled back."""


class JobProgress:
    """The engine's progress callback for a background job.

    Publishes rows done, counts so far and a heartbeat to the live cache at
    most every ``PROGRESS_INTERVAL`` seconds, and raises Cancelled when a cancel was requested.
    """

    def __init__(self, job_id: int, clock: Callable[[], float] = time.time) -> None:
        self.job_id = job_id
        self.clock = clock
        self.state = LiveProgress(started=clock())
        self.published_at = 0.0

    def counts(self, result: ImportResult) -> None:
        self.state.new, self.state.updated = result.new, result.updated
        self.state.unchanged, self.state.error_rows = result.unchanged, result.error_rows

    def __call__(self, done: int, total: int) -> None:
        if cancel_requested(self.job_id):
            raise Cancelled
        self.state.rows_done, self.state.rows_total = done, total
        now = self.clock()
        if done >= total or now - self.published_at >= import_settings.PROGRESS_INTERVAL:
            self.beat(now)

    def beat(self, now: float | None = None) -> None:
        """Publish now (also a sign of life before the first batch)."""
        self.published_at = self.state.heartbeat = self.clock() if now is None else now
        publish(self.job_id, self.state)
