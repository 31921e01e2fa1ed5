"""A worker killed mid-job: nothing is written and the job ends failed ("worker lost").

A real ``celery -A config worker`` subprocess imports a large file on the real Redis broker and
is killed with SIGKILL mid-run. The task's message was not acknowledged (``acks_late``), so a
second worker gets it again after the visibility timeout; its run finds the job still running
with no sign of life and marks it failed. The subprocesses must open the test database, so
this needs a database another process can open (PostgreSQL, or a file SQLite database).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from imports import jobs
from imports.jobs import live, service
from imports.jobs.models import ImportJob
from tests.imports.background_support import REDIS_URL, background_settings, many_rows, redis_queue  # noqa: F401
from training.models import Intervention

ROOT = Path(__file__).resolve().parents[3]
CELERY = Path(sys.executable).with_name("celery")
ROWS = 30_000
Status = ImportJob.Status


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            pytest.skip("the in-memory SQLite test database cannot be opened by a worker process")
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_env(transactional_db, background_settings, redis_queue, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CACHES = {
        **settings.CACHES,
        "imports": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "intervention-import",
        },
    }
    call_command("loaddata", "demo", verbosity=0)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.imports.worker_settings",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_BROKER_URL": REDIS_URL,
        "TEST_CELERY_QUEUE": redis_queue,
    }


def start_worker(env: dict, name: str) -> subprocess.Popen:
    command = [str(CELERY), "-A", "config", "worker", "--pool=solo", "-n", f"{name}@%h"]
    command += ["-l", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def wait_for(check, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_worker_killed_mid_job_writes_nothing_and_the_job_fails(worker_env):
    job = jobs.create_job(SimpleUploadedFile("year.csv", many_rows(ROWS)), None)
    jobs.preview_job(job)
    assert service.start_confirm(job, None, None).verdict is jobs.Verdict.QUEUED

    first = start_worker(worker_env, "doomed")
    try:

        def mid_run():
            progress = live.read(job.pk)
            return progress and 600 <= progress.rows_done < ROWS

        wait_for(mid_run, 90, "the worker to be mid-job")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        stop(first)

    job.refresh_from_db()
    assert job.status == Status.RUNNING
    assert Intervention.objects.filter(guid__startswith="IV-BG-").count() == 0
    unacked = redis.Redis.from_url(REDIS_URL).hvals("unacked")
    assert any(job.task_id.encode() in message for message in unacked)  # not acknowledged

    second = start_worker(worker_env, "rescuer")
    try:

        def failed():
            job.refresh_from_db()
            return job.status == Status.FAILED

        wait_for(failed, 90, "the redelivered task to mark the job failed")
    finally:
        stop(second)
    assert job.failure_reason.startswith("Worker lost")
    assert Intervention.objects.filter(guid__startswith="IV-BG-").count() == 0
