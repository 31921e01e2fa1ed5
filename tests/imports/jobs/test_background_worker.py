"""Background imports end to end: a real Celery worker on the real Redis broker.

The worker runs in a thread of the test process (``start_worker``), so it shares the test
database (committed data: ``transactional_db``) and the in-memory progress cache. The test
waits for the worker's ``task_postrun`` signal, not by polling the database, so SQLite's
shared in-memory test database never sees two threads at once.
"""

import threading

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core.management import call_command
from django.db import connections

from config.celery import app as celery_app
from imports.jobs.models import ImportJob
from tests.imports.admin_support import (
    client_for,
    confirm_url,
    make_user,
    post,
    preview_url,
    upload,
)
from tests.imports.background_support import background_settings, many_rows, redis_queue  # noqa: F401
from training.models import Intervention

Status = ImportJob.Status
ROWS = 12_000


@pytest.fixture
def site(transactional_db, background_settings, redis_queue, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INTERVENTION_IMPORT = {**settings.INTERVENTION_IMPORT, "BATCH_SIZE": 2_000}
    call_command("loaddata", "demo", verbosity=0)
    return client_for(make_user("manager", superuser=True))


@pytest.fixture
def finished():
    """An event per finished task; the worker thread closes its database connections."""
    done: list[str] = []
    event = threading.Event()

    def on_postrun(sender=None, retval=None, **kwargs):
        connections.close_all()  # the worker thread's own connections
        done.append(retval)
        event.set()

    task_postrun.connect(on_postrun, weak=False)
    yield event, done
    task_postrun.disconnect(on_postrun)


@pytest.fixture
def worker(redis_queue):  # noqa: F811
    with start_worker(
        celery_app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30
    ) as running:
        yield running


def wait(event: threading.Event, seconds: float = 120) -> None:
    assert event.wait(seconds), "the worker did not finish the task"
    event.clear()


def test_preview_and_import_run_on_a_worker(site, worker, finished):
    event, results = finished
    response = upload(site, many_rows(ROWS))
    wait(event)
    job = ImportJob.objects.get()
    assert response["Location"] == preview_url(job.pk)
    assert results == [Status.PREVIEWED]
    assert (job.status, job.activity, job.new, job.rows_done, job.rows_total) == (
        Status.PREVIEWED,
        "preview",
        ROWS,
        ROWS,
        ROWS,
    )
    assert job.rows.count() == ROWS

    post(site, confirm_url(job.pk), {"strict": ""})
    wait(event)
    job.refresh_from_db()
    assert results[-1] == Status.IMPORTED
    assert (job.status, job.activity, job.failure_reason) == (Status.IMPORTED, "import", "")
    assert Intervention.objects.filter(guid__startswith="IV-BG-").count() == ROWS
