"""The Export button in headless Chromium: filter the list, export it, import it back."""

import csv
import io

import pytest
from django.core.management import call_command

from imports.engine import ImportOptions, run_import
from training.models import Intervention

from .conftest import log_in

pytestmark = pytest.mark.browser


def test_export_what_the_filtered_list_shows_and_import_it_back(site, page, artifacts, tmp_path):
    call_command("import_interventions", "samples/interventions.csv", verbosity=0)
    cancelled = sorted(Intervention.objects.filter(status="C").values_list("guid", flat=True))
    log_in(page, site)
    page.click("#changelist-filter a[href*='status__exact=C']")
    page.wait_for_url("**status__exact=C**")
    page.click("a.export_link")
    page.wait_for_selector("#export-form")
    count = len(cancelled)
    assert page.inner_text("#export-count").startswith(f"{count} intervention")
    page.select_option("#id_file_format", "csv")
    page.screenshot(path=artifacts / "export-1-form.png", full_page=True)
    with page.expect_download() as download_info:
        page.click("input[name=export]")
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8"))))
    assert sorted(row[0] for row in rows[1:]) == cancelled
    result = run_import(target.read_bytes(), target.name, options=ImportOptions(dry_run=True))
    assert (result.new, result.updated, result.unchanged, result.error_rows) == (0, 0, count, 0)
