"""The admin import flow in headless Chromium: log in, upload, preview, confirm, error list."""

import os
import shutil
from pathlib import Path

import pytest

from imports.jobs.models import ImportJob
from training.models import Intervention

from .conftest import log_in

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "interventions_with_errors.csv"
DOC_SCREENSHOT = ROOT / "docs" / "screenshots" / "preview.png"

pytestmark = pytest.mark.browser


def test_upload_preview_confirm_and_error_list(site, page, artifacts):
    log_in(page, site)
    page.click("a.import_link")
    page.set_input_files("#id_file", str(SAMPLE))
    page.screenshot(path=artifacts / "1-upload.png", full_page=True)
    page.click("input[name=preview]")

    page.wait_for_selector("#counts")
    counts = [
        page.inner_text(f"#count-{name}") for name in ("new", "updated", "unchanged", "errors")
    ]
    assert counts == ["1", "0", "0", "9"]
    assert "Nothing imported yet" in page.inner_text("ul.messagelist")
    errors = page.inner_text("#error-table")
    assert "Training with guid TR-9 is not found." in errors
    assert "Status has invalid value X, A or C expected." in errors
    assert "9 rows with errors will be skipped" in page.inner_text("#confirm-summary")
    page.screenshot(path=artifacts / "2-preview.png", full_page=True)
    if os.environ.get("UPDATE_SCREENSHOTS") or not DOC_SCREENSHOT.exists():
        # The committed copy changes on every run (times, hashes): refresh it on demand only.
        DOC_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(artifacts / "2-preview.png", DOC_SCREENSHOT)

    page.click("input[name=confirm]")
    page.wait_for_selector("#job-status")
    message = page.inner_text("ul.messagelist")
    assert "Imported interventions_with_errors.csv: 1 new" in message
    assert "9 rows with errors were skipped" in message
    assert page.inner_text("#job-status").startswith("Imported")
    assert Intervention.objects.filter(guid="IV-2001").exists()
    page.screenshot(path=artifacts / "3-history.png", full_page=True)

    page.fill("#q", "Teacher")
    page.click("#error-filter input[type=submit]")
    page.wait_for_url("**q=Teacher**")
    rows = page.locator("#error-table tbody tr")
    assert rows.count() == 1
    assert "Teacher with login nobody is not found." in rows.inner_text()
    page.screenshot(path=artifacts / "4-error-list.png", full_page=True)

    with page.expect_download() as download:
        page.click("#error-report")
    report = Path(download.value.path()).read_text(encoding="utf-8-sig")
    job = ImportJob.objects.get()
    assert download.value.suggested_filename == f"errors-{job.pk}-interventions_with_errors.csv"
    assert report.splitlines()[0].endswith(";line;error;code;suggestion")
    assert len(report.splitlines()) == 10
