"""Job states stay true across hosts: a worker that finishes a job another host already marked
failed (``fail_stale_imports`` on a cron host) leaves it failed, with its reason, and says so
in its log; nothing of its run is stored."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import jobs
from imports.jobs import preview, runs
from imports.jobs import states as job_states
from imports.jobs.models import ImportJob
from tests.conftest import csv_bytes, make_row

pytestmark = pytest.mark.usefixtures("demo", "media")
Status = ImportJob.Status


def queued(content: bytes, activity: str) -> ImportJob:
    job = jobs.create_job(SimpleUploadedFile("big.csv", content), None)
    if activity == "import":
        jobs.preview_job(job)
    ImportJob.objects.filter(pk=job.pk).update(status=Status.QUEUED, activity=activity)
    job.refresh_from_db()
    return job


def failed_by_another_host(job_id: int) -> None:
    """What fail_stale_imports on a host that cannot see the worker's heartbeat did."""
    job = ImportJob.objects.get(pk=job_id)
    assert job_states.fail_if_stale(job, after=-60)


def test_a_preview_finishing_after_its_job_was_failed_leaves_it_failed(monkeypatch, caplog):
    job = queued(csv_bytes([make_row(), make_row(interventionGuid="IV-2")]), "preview")
    real_preview = preview.preview_job

    def preview_while_failed(job, progress=None):
        failed_by_another_host(job.pk)
        return real_preview(job, progress=progress)

    monkeypatch.setattr(runs.preview, "preview_job", preview_while_failed)
    with caplog.at_level(logging.WARNING, logger="imports"):
        assert runs.run_preview(job.pk) == Status.FAILED
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.failure_reason.startswith("Worker lost")  # its reason kept, not blanked
    # nothing of the run stored: no rows, no counts, no digest
    assert (job.rows.count(), job.errors.count(), job.total_rows, job.outcome_digest) == (
        0,
        0,
        0,
        "",
    )
    [record] = [r for r in caplog.records if getattr(r, "job", None) == job.pk]
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith(f"Import job {job.pk} was marked failed")
    assert "Worker lost" in record.getMessage()
    assert "the job stays failed" in record.getMessage()


def test_a_confirm_claimed_after_its_job_was_failed_writes_nothing(monkeypatch, caplog):
    job = queued(csv_bytes([make_row()]), "import")
    real_confirm = runs.confirm.confirm_job

    def confirm_while_failed(job, user, **options):
        failed_by_another_host(job.pk)
        return real_confirm(job, user, **options)

    monkeypatch.setattr(runs.confirm, "confirm_job", confirm_while_failed)
    with caplog.at_level(logging.WARNING, logger="imports"):
        assert runs.run_confirm(job.pk, None, None) == Status.FAILED
    job.refresh_from_db()
    assert (job.status, job.failure_reason[:11], job.journal_id) == (
        Status.FAILED,
        "Worker lost",
        None,
    )
    assert any(getattr(r, "job", None) == job.pk for r in caplog.records)


def test_a_run_that_owns_its_job_records_its_figures():
    job = queued(csv_bytes([make_row()]), "preview")
    assert runs.run_preview(job.pk) == Status.PREVIEWED
    job.refresh_from_db()
    assert (job.rows_done, job.rows_total, job.failure_reason) == (1, 1, "")
