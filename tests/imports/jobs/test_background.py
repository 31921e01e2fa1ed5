"""Background imports without a worker: dispatch, tasks run eagerly, progress, cancel, status."""

import json

import pytest
from celery import Celery
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.celery import app as celery_app
from imports import jobs
from imports.jobs import background, live, runs, service
from imports.jobs.models import ImportJob
from imports.jobs.tasks import confirm_job_task, preview_job_task
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import (
    IMPORTER_PERMS,
    client_for,
    confirm_url,
    make_user,
    page_messages,
    post,
    preview_url,
    upload,
)
from tests.imports.background_support import background_settings, eager, many_rows, run_live  # noqa: F401
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo", "media")
Status = ImportJob.Status


def status_url(job_id: int) -> str:
    return reverse("admin:training_intervention_import_status", args=[job_id])


def cancel_url(job_id: int) -> str:
    return reverse("admin:training_intervention_import_cancel", args=[job_id])


def new_job(content: bytes, name: str = "big.csv") -> ImportJob:
    return jobs.create_job(SimpleUploadedFile(name, content), None)


def queued(job: ImportJob, activity: str) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(status=Status.QUEUED, activity=activity)
    job.refresh_from_db()
    return job


@pytest.fixture
def admin_client():
    return client_for(make_user("admin", superuser=True))


@pytest.mark.parametrize(
    "broker, size, rows, activity, expected",
    [
        ("", 10**9, 10**9, "preview", False),  # no broker: always in-process
        ("redis://127.0.0.1:6379/0", 99, 0, "preview", False),
        ("redis://127.0.0.1:6379/0", 100, 0, "preview", True),
        ("redis://127.0.0.1:6379/0", 99, 50, "import", True),  # rows decide an import
        ("redis://127.0.0.1:6379/0", 99, 49, "import", False),
    ],
)
def test_wants_background_by_broker_and_size(settings, broker, size, rows, activity, expected):
    settings.CELERY_BROKER_URL = broker
    settings.INTERVENTION_IMPORT = {"BACKGROUND_MIN_BYTES": 100, "BACKGROUND_MIN_ROWS": 50}
    job = ImportJob(size=size, new=rows)
    assert background.wants_background(job, activity) is expected


def test_celery_acknowledges_late_and_requeues_on_worker_loss():
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["visibility_timeout"] >= 3600
    for task in (preview_job_task, confirm_job_task):
        assert task.acks_late is True
        assert task.reject_on_worker_lost is True


def test_without_broker_the_admin_previews_in_process(admin_client, settings):
    settings.CELERY_BROKER_URL = ""
    upload(admin_client, csv_bytes([make_row()]))
    job = ImportJob.objects.get()
    assert (job.status, job.activity, job.new) == (Status.PREVIEWED, "", 1)


@pytest.mark.usefixtures("eager")
def test_admin_upload_and_confirm_run_as_tasks(admin_client):
    response = upload(admin_client, many_rows(30))
    job = ImportJob.objects.get()
    assert response["Location"] == preview_url(job.pk)
    assert (
        "being previewed in the background"
        in page_messages(admin_client.get(preview_url(job.pk)))[0]
    )
    assert (job.status, job.activity, job.new, job.rows_done, job.rows_total) == (
        Status.PREVIEWED,
        "preview",
        30,
        30,
        30,
    )
    assert job.task_id
    response = post(admin_client, confirm_url(job.pk), {"strict": ""})
    assert response["Location"] == preview_url(job.pk)
    job.refresh_from_db()
    assert (job.status, job.activity, job.failure_reason) == (Status.IMPORTED, "import", "")
    assert Intervention.objects.filter(guid__startswith="IV-BG-").count() == 30


@pytest.mark.usefixtures("background_settings")
def test_a_second_confirm_of_a_queued_job_is_refused():
    job = new_job(many_rows(3))
    jobs.preview_job(job)
    queued(job, "import")
    done = service.start_confirm(job, None, None)
    assert done.verdict is jobs.Verdict.NOT_OPEN


@pytest.mark.parametrize(
    "content, strict, status, reason",
    [
        (
            csv_bytes([make_row(), make_row(interventionGuid="IV-2", teacherLogin="nobody")]),
            True,
            Status.FAILED,
            "All or nothing: 1 rows have errors, nothing was imported.",
        ),
        (csv_bytes([make_row()]), False, Status.IMPORTED, ""),
    ],
)
def test_confirm_task_records_the_verdict(content, strict, status, reason):
    job = new_job(content)
    jobs.preview_job(job)
    queued(job, "import")
    assert runs.run_confirm(job.pk, None, strict) == status
    job.refresh_from_db()
    assert (job.status, job.failure_reason) == (status, reason)
    # a committed import on a worker keeps its undo journal, a failed one none
    assert (job.journal_id is not None) is (status == Status.IMPORTED)


def test_confirm_task_reports_a_changed_outcome_as_a_new_preview():
    job = new_job(csv_bytes([make_row()]))
    jobs.preview_job(job)
    other = new_job(csv_bytes([make_row()]))
    jobs.preview_job(other)
    jobs.confirm_job(other, None)  # the same row imported meanwhile: new becomes unchanged
    queued(job, "import")
    assert runs.run_confirm(job.pk, None, None) == Status.PREVIEWED
    job.refresh_from_db()
    assert job.failure_reason.startswith("The data changed since the preview")
    assert (job.new, job.unchanged) == (0, 1)


def test_preview_task_records_a_file_problem():
    job = queued(new_job(b"", name="empty.csv"), "preview")
    assert runs.run_preview(job.pk) == Status.FAILED
    job.refresh_from_db()
    assert job.failure_reason


@pytest.mark.parametrize("status", [Status.PREVIEWED, Status.CANCELLED, Status.RUNNING])
def test_a_task_runs_only_a_queued_job(status):
    job = new_job(csv_bytes([make_row()]))
    ImportJob.objects.filter(pk=job.pk).update(status=status, activity="preview")
    assert runs.run_preview(job.pk) == "skipped"
    job.refresh_from_db()
    assert job.status == status


def test_progress_hook_publishes_counts_throttled_and_beats():
    clock = iter([100.0, 100.0, 100.4, 101.5, 101.6]).__next__
    hook = jobs.JobProgress(job_id=424242, clock=clock)
    hook.beat()
    hook(10, 40)  # 0.4 s later: not published
    assert live.read(424242).rows_done == 0
    hook(20, 40)  # 1.5 s after the last: published
    assert live.read(424242).rows_done == 20
    assert live.read(424242).heartbeat == 101.5
    hook(40, 40)  # the last batch: always published
    assert live.read(424242).rows_done == 40
    live.clear(424242)


def test_cancel_mid_run_rolls_back_everything(settings):
    settings.INTERVENTION_IMPORT = {"BATCH_SIZE": 5}
    job = new_job(many_rows(20))
    jobs.preview_job(job)
    queued(job, "import")
    seen = []

    class CancelAfterFirstBatch(jobs.JobProgress):
        def __call__(self, done: int, total: int) -> None:
            seen.append(Intervention.objects.filter(guid__startswith="IV-BG-").count())
            if done == 5:
                live.request_cancel(self.job_id, "alice")
            super().__call__(done, total)

    original = jobs.JobProgress
    live.JobProgress = CancelAfterFirstBatch
    try:
        assert runs.run_confirm(job.pk, None, None) == Status.CANCELLED
    finally:
        live.JobProgress = original
    job.refresh_from_db()
    assert seen == [5]  # the first batch was written inside the transaction, then cancelled
    assert Intervention.objects.filter(guid__startswith="IV-BG-").count() == 0
    assert (job.status, job.cancel_requested) == (Status.CANCELLED, True)
    assert job.failure_reason == "Cancelled by alice; nothing was written."
    assert not live.cancel_requested(job.pk)


def test_cancel_view_stops_a_queued_job_at_once(admin_client):
    job = queued(new_job(many_rows(3)), "preview")
    response = post(admin_client, cancel_url(job.pk))
    assert response["Location"] == preview_url(job.pk)
    job.refresh_from_db()
    assert (job.status, job.cancel_requested) == (Status.CANCELLED, True)
    assert runs.run_preview(job.pk) == "skipped"  # its message, delivered later, does nothing


def test_cancel_view_asks_a_running_job_through_the_cache(admin_client):
    job = new_job(many_rows(3))
    ImportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, activity="import")
    post(admin_client, cancel_url(job.pk))
    assert live.cancelled_by(job.pk) == "admin"
    assert json.loads(admin_client.get(status_url(job.pk)).content)["cancel_requested"] is True
    live.clear(job.pk)


@pytest.mark.parametrize("method", ["get", "post"])
def test_cancel_and_status_need_permissions(method):
    job = new_job(many_rows(3))
    client = client_for(make_user("nobody"))
    url = status_url(job.pk) if method == "get" else cancel_url(job.pk)
    response = client.get(url) if method == "get" else post(client, url)
    assert response.status_code == 403


def test_cancel_needs_post():
    job = new_job(many_rows(3))
    client = client_for(make_user("importer", IMPORTER_PERMS))
    assert client.get(cancel_url(job.pk)).status_code == 405


def test_status_endpoint_gives_live_figures_of_a_running_job(admin_client):
    job = new_job(many_rows(3))
    run_live(
        job,
        ImportJob.Activity.PREVIEW,
        seconds=10,
        rows_done=250,
        rows_total=1000,
        new=200,
        updated=30,
        unchanged=10,
        error_rows=10,
    )
    response = admin_client.get(status_url(job.pk))
    data = json.loads(response.content)
    live.clear(job.pk)
    assert "no-store" in response["Cache-Control"]
    assert {k: data[k] for k in ("status", "rows_done", "rows_total", "new", "error_rows")} == {
        "status": "running",
        "rows_done": 250,
        "rows_total": 1000,
        "new": 200,
        "error_rows": 10,
    }
    assert 29 <= data["seconds_left"] <= 31


def test_job_page_of_a_running_job_shows_a_progress_bar_and_cancel(admin_client):
    job = new_job(many_rows(3))
    ImportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, activity="import")
    for url in (preview_url(job.pk), reverse("admin:imports_importjob_change", args=[job.pk])):
        html = admin_client.get(url).content.decode()
        assert "<progress" in html and "Importing in the background" in html
        assert f'action="{cancel_url(job.pk)}"' in html
        assert 'id="confirm-form"' not in html


@pytest.fixture
def broker_down(request):
    """The current Celery app's broker refuses connections (nothing listens on port 1)."""
    request.getfixturevalue("background_settings")
    down = Celery("down", broker="redis://127.0.0.1:1/0", set_as_current=False)
    down.conf.update(task_publish_retry=False, broker_connection_timeout=1)
    down.set_current()
    yield down
    celery_app.set_current()
    down.close()


@pytest.mark.usefixtures("broker_down")
def test_a_job_that_cannot_be_queued_fails_with_the_reason(admin_client):
    response = upload(admin_client, many_rows(3))
    job = ImportJob.objects.get()
    assert job.status == Status.FAILED
    shown = page_messages(admin_client.get(response["Location"]))
    assert shown == [job.failure_reason]
    assert job.failure_reason.startswith("The job could not be sent to a worker (")
    assert "nothing was done" in job.failure_reason


@pytest.mark.usefixtures("eager")
def test_a_background_import_that_ends_says_what_an_in_process_one_says(admin_client):
    rows = [
        make_row(interventionGuid=f"IV-BG-{n}", interventionDate=f"2027-03-{n + 1:02}T09:00:00")
        for n in range(30)
    ]
    rows[0]["roomGuid"], rows[0]["roomLabel"] = "R-BG", "Annex"
    upload(admin_client, csv_bytes(rows))
    job = ImportJob.objects.get()
    post(admin_client, confirm_url(job.pk), {"strict": ""})
    job.refresh_from_db()
    assert (job.status, job.activity, job.rooms_created) == (Status.IMPORTED, "import", 1)
    # The progress page reloads with finished=1 when the job ends (_progress.html).
    html = admin_client.get(preview_url(job.pk), {"finished": "1"}).content.decode()
    expected = f"Imported {job.file_name}: 30 new, 0 updated, 0 unchanged, 1 room created."
    assert str(service.imported_text(job)) == expected
    assert f'<li class="success">{service.imported_text(job)} <a href=' in html
    assert 'id="finished"' not in admin_client.get(preview_url(job.pk)).content.decode()
