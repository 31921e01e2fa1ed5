"""The progress bar of a background job in headless Chromium: live figures, cancel, reload.

The job is put in the running state with live figures, as a worker would (imports/runs.py);
the page, its polling of the status endpoint and the cancel button are the real ones.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import jobs
from imports.jobs import live
from imports.jobs.models import ImportJob
from tests.imports.background_support import many_rows, run_live

from .conftest import log_in

ROOT = Path(__file__).resolve().parents[2]
DOC_SCREENSHOT = ROOT / "docs" / "screenshots" / "progress.png"

pytestmark = pytest.mark.browser


def running_job() -> ImportJob:
    manager = User.objects.get(username="manager")
    job = jobs.create_job(SimpleUploadedFile("timetable-2027.csv", many_rows(50)), manager)
    run_live(
        job,
        ImportJob.Activity.IMPORT,
        seconds=30,
        rows_done=45_000,
        rows_total=120_000,
        new=41_250,
        updated=3_100,
        unchanged=560,
        error_rows=90,
    )
    return job


def test_progress_bar_shows_live_figures_cancel_and_reloads_when_done(site, page, artifacts):
    log_in(page, site)
    job = running_job()
    page.goto(f"{site}/admin/training/intervention/import/{job.pk}/")
    page.wait_for_function(
        "document.getElementById('progress-text').textContent.includes('45,000 of 120,000')"
    )
    text = page.inner_text("#progress-text")
    assert "(37%)" in text and "s left" in text
    assert page.get_attribute("#progress-bar", "value") == "45000"
    assert page.inner_text("#live-new") == "41,250"
    assert page.inner_text("#live-errors") == "90"
    page.screenshot(path=artifacts / "5-progress.png", full_page=True)
    if os.environ.get("UPDATE_SCREENSHOTS") or not DOC_SCREENSHOT.exists():
        DOC_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(artifacts / "5-progress.png", DOC_SCREENSHOT)

    page.click("#cancel-form input[type=submit]")
    page.wait_for_selector("ul.messagelist")
    assert "Cancelling timetable-2027.csv" in page.inner_text("ul.messagelist")
    assert live.cancelled_by(job.pk) == "manager"
    page.wait_for_function(
        "document.getElementById('progress-text').textContent.includes('(cancelling)')"
    )

    # The worker stops: the page notices on its next poll and reloads.
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.CANCELLED,
        failure_reason="Cancelled by manager; nothing was written.",
    )
    live.clear(job.pk)
    page.wait_for_selector("#failure-reason")
    assert page.inner_text("#job-status").startswith("Cancelled")
    assert page.locator("#job-progress").count() == 0
