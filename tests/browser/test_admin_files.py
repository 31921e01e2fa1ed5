"""Files as planners send them, in headless Chromium: a Windows-1252, semicolon-separated
file with day-first dates and no option chosen previews with a new row's values and a room
rename, confirms, and lands in the database; the upload page links its templates."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.conftest import csv_bytes, make_row
from training.models import Intervention, Room

from .conftest import log_in, preview_file

pytestmark = pytest.mark.browser


def test_an_ordinary_french_excel_export_with_no_option(site, page, artifacts, tmp_path, settings):
    settings.TIME_ZONE = "Europe/Paris"
    rows = [
        make_row(interventionGuid="IV-FR-1", interventionDate="10/03/2027 09:00"),
        make_row(
            interventionGuid="IV-FR-2",
            interventionDate="25/03/2027 14:30",
            roomGuid="R-102",
            roomLabel="Salle 102 rénovée",
            roomCapacity="12",
        ),
    ]
    path = tmp_path / "Planning mars.csv"
    path.write_bytes(csv_bytes(rows, sep=";").decode().encode("cp1252"))
    log_in(page, site)
    page.click("a.import_link")
    assert page.locator("#templates a").count() >= 2
    assert "interventionDate" in page.inner_text("#expected-columns")
    page.screenshot(path=artifacts / "8-upload-templates.png", full_page=True)
    page.set_input_files("#id_file", str(path))
    page.click("input[name=preview]")  # no encoding, delimiter nor date format chosen

    page.wait_for_selector("#counts")
    warnings = page.inner_text("#warnings")
    assert "read as Windows-1252" in warnings
    assert "read as DD/MM/YYYY HH:MM" in warnings
    assert "Room 102 → Salle 102 rénovée" in page.inner_text("#rooms-updated")
    page.wait_for_selector("#row-table")  # no error: the rows are shown first
    new_row = page.inner_text("#row-2")
    assert "interventionDate: 03/10/2027 09:00" in new_row  # the 10 March, as English writes it
    assert "teacherLogin: jdoe" in new_row

    page.click("input[name=confirm]")
    page.wait_for_selector(".messagelist .success")
    starts = dict(Intervention.objects.values_list("guid", "start"))
    assert starts == {
        "IV-FR-1": dt.datetime(2027, 3, 10, 8, 0, tzinfo=dt.UTC),
        "IV-FR-2": dt.datetime(2027, 3, 25, 13, 30, tzinfo=dt.UTC),
    }
    assert Room.objects.get(guid="R-102").label == "Salle 102 rénovée"


def test_the_history_list_fits_1280_pixels(site, page, artifacts, tmp_path):
    path = tmp_path / "un planning au nom assez long pour la liste, version finale (2).csv"
    path.write_bytes(csv_bytes([make_row(teacherLogin="nobody")]))
    preview_file(page, site, path)
    page.wait_for_selector("#counts")
    page.goto(f"{site}{reverse('admin:imports_importjob_changelist')}")
    page.wait_for_selector("#result_list")
    headers = page.inner_text("#result_list thead")
    assert headers.split()[:2] == ["ID", "STATUS"]  # the status first
    listed = page.inner_text("#result_list")
    assert "preview: 0 new, 0 updated, 0 unchanged, 1 with errors" in listed
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=artifacts / "9-history-list.png", full_page=True)
    assert width <= 1280
