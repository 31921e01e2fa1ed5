"""Stale background jobs: a running job whose worker gave no sign of life is marked failed
(by ``fail_stale_imports`` and a redelivered task; pages only show it so)."""

import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from imports import jobs
from imports.jobs import live
from imports.jobs import states as job_states
from imports.jobs.models import ImportJob
from tests.imports.admin_support import client_for, make_user, preview_url
from tests.imports.background_support import many_rows

pytestmark = pytest.mark.usefixtures("demo", "media", "shared_cache")
Status = ImportJob.Status


@pytest.fixture
def shared_cache(settings, tmp_path):
    """The live cache is one other processes write to (files here; Redis in production):
    fail_stale_imports judges only what it can see."""
    settings.CACHES = {
        **settings.CACHES,
        "imports": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "live-cache"),
        },
    }


def running_job(heartbeat_age: float | None, live_age: float | None = None) -> ImportJob:
    job = jobs.create_job(SimpleUploadedFile("big.csv", many_rows(3)), None)
    heartbeat = None if heartbeat_age is None else timezone.now() - timedelta(seconds=heartbeat_age)
    ImportJob.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, activity="import", heartbeat_at=heartbeat
    )
    if live_age is not None:
        live.publish(job.pk, live.LiveProgress(heartbeat=time.time() - live_age))
    job.refresh_from_db()
    return job


@pytest.mark.parametrize(
    "heartbeat_age, live_age, stale",
    [
        (1000, None, True),  # the recorded heartbeat is old, no live one
        (10, None, False),
        (1000, 10, False),  # the live heartbeat (cache) is recent: the worker is alive
        (1000, 1000, True),
    ],
)
def test_fail_if_stale_uses_the_latest_sign_of_life(settings, heartbeat_age, live_age, stale):
    settings.INTERVENTION_IMPORT = {"STALE_AFTER_SECONDS": 300}
    job = running_job(heartbeat_age, live_age)
    assert job_states.fail_if_stale(job) is stale
    job.refresh_from_db()
    assert job.status == (Status.FAILED if stale else Status.RUNNING)
    if stale:
        assert job.failure_reason.startswith("Worker lost: no sign of life for 300 seconds")
        assert job.finished_at is not None
    live.clear(job.pk)


@pytest.mark.parametrize("status", [Status.QUEUED, Status.PREVIEWED, Status.IMPORTED])
def test_only_running_jobs_go_stale(status):
    job = running_job(10_000)
    ImportJob.objects.filter(pk=job.pk).update(status=status)
    job.refresh_from_db()
    assert job_states.fail_if_stale(job, after=0) is False


def test_command_fails_stale_jobs_only():
    stale, alive = running_job(1000), running_job(1)
    out = StringIO()
    call_command("fail_stale_imports", "--seconds", "60", stdout=out)
    assert f"Import #{stale.pk} big.csv: Worker lost" in out.getvalue()
    assert "1 stale jobs marked failed." in out.getvalue()
    statuses = dict(ImportJob.objects.values_list("pk", "status"))
    assert statuses == {stale.pk: Status.FAILED, alive.pk: Status.RUNNING}


def test_command_refuses_negative_seconds():
    with pytest.raises(CommandError):
        call_command("fail_stale_imports", "--seconds", "-1")


def writes(queries: CaptureQueriesContext) -> list[str]:
    verbs = ("INSERT", "UPDATE", "DELETE")
    return [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(verbs)
    ]


def test_job_page_shows_a_stale_job_failed_and_writes_nothing():
    job = running_job(100_000)
    client = client_for(make_user("admin", superuser=True))
    with CaptureQueriesContext(connection) as queries:
        html = client.get(preview_url(job.pk)).content.decode()
    assert "Worker lost" in html
    assert "<progress" not in html
    assert [sql for sql in writes(queries) if "imports_importjob" in sql] == []
    job.refresh_from_db()
    assert job.status == Status.RUNNING  # the write is left to fail_stale_imports
    call_command("fail_stale_imports", stdout=StringIO())
    job.refresh_from_db()
    assert (job.status, job.failure_reason[:11]) == (Status.FAILED, "Worker lost")


def test_status_endpoint_reports_a_stale_job_failed_and_writes_nothing():
    job = running_job(100_000)
    client = client_for(make_user("admin", superuser=True))
    url = reverse("admin:training_intervention_import_status", args=[job.pk])
    with CaptureQueriesContext(connection) as queries:
        figures = client.get(url).json()
    assert (figures["status"], figures["failure_reason"][:11]) == ("failed", "Worker lost")
    assert writes(queries) == []
    job.refresh_from_db()
    assert job.status == Status.RUNNING


@pytest.mark.parametrize(
    "broker, missing",
    [
        ("", "not set: CELERY_BROKER_URL and REDIS_URL (a shared PROGRESS_CACHE)"),
        ("amqp://rabbit//", "not set: REDIS_URL (a shared PROGRESS_CACHE)"),
    ],
)
def test_command_refuses_to_judge_without_the_workers_heartbeats(settings, broker, missing):
    """A cron host without the broker's settings sees no live heartbeat: it would fail a
    healthy job. It says so, exits 2 and changes nothing."""
    settings.CACHES = {"default": settings.CACHES["default"]}  # no shared "imports" cache
    settings.CELERY_BROKER_URL = broker
    job = running_job(100_000, live_age=1)  # alive: its worker beats in the cache it cannot see
    with pytest.raises(CommandError) as refused:
        call_command("fail_stale_imports", stdout=StringIO())
    assert refused.value.returncode == 2
    assert missing in str(refused.value)
    assert "no job was marked failed" in str(refused.value)
    job.refresh_from_db()
    assert (job.status, job.failure_reason) == (Status.RUNNING, "")
