"""Helpers of the background import tests: Celery modes, the Redis broker, files of many rows."""

import datetime as dt
import os
import time
import uuid

import pytest
import redis

from config.celery import app as celery_app
from imports.jobs import live
from imports.jobs.models import ImportJob
from tests.conftest import csv_bytes, make_row

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
QUEUE = f"test-imports-{uuid.uuid4().hex[:8]}"
FIRST_SLOT = dt.datetime(2027, 3, 1)


def require_redis() -> None:
    """Skip when Redis is unreachable, unless REQUIRE_SERVICES is set (then fail)."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
        reason = f"Redis at {REDIS_URL} is unreachable ({error})"
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail(f"{reason} and REQUIRE_SERVICES is set")
        pytest.skip(f"{reason}; start redis-server or set REQUIRE_SERVICES=1 to fail instead")


def many_rows(count: int, prefix: str = "IV-BG") -> bytes:
    """A valid file of ``count`` new interventions (demo data), one after the other: 3 hours
    every 4 hours, so no two book the teacher or the room at once (no schedule conflict)."""
    rows = [
        make_row(interventionGuid=f"{prefix}-{n}", interventionDate=slot(n)) for n in range(count)
    ]
    return csv_bytes(rows)


def slot(n: int) -> str:
    """The start of the ``n``-th slot: 00:00, 04:00, … from 2027-03-01 (never at 02:00, so
    never on a daylight saving time gap)."""
    return (FIRST_SLOT + dt.timedelta(hours=4 * n)).isoformat()


def run_live(job: ImportJob, activity: str, seconds: float, **figures: int) -> None:
    """Put ``job`` in the running state with live figures (``live.LiveProgress`` fields), as a
    worker would after ``seconds`` of work (imports/runs.py)."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, activity=activity, rows_total=figures["rows_total"]
    )
    now = time.time()
    live.publish(job.pk, live.LiveProgress(started=now - seconds, heartbeat=now, **figures))


@pytest.fixture
def background_settings(settings):
    """A broker is configured and every file goes to the background."""
    settings.CELERY_BROKER_URL = REDIS_URL
    settings.INTERVENTION_IMPORT = {"BACKGROUND_MIN_BYTES": 0, "BACKGROUND_MIN_ROWS": 0}
    return settings


@pytest.fixture
def eager(background_settings):
    """Tasks run in the caller when sent (no worker, no broker connection)."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield celery_app
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_eager_propagates = False


@pytest.fixture
def redis_queue():
    """The Celery app on the test Redis database, with a queue of this test session."""
    require_redis()
    # One queue per test session: Celery caches its queues and routes on first use.
    celery_app.conf.update(broker_url=REDIS_URL, task_default_queue=QUEUE)
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(QUEUE)
    yield QUEUE
    client.delete(QUEUE)
