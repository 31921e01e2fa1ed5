"""A fix acts on exactly the rows its button names, in headless Chromium (issue 25, defect 2):
with schedule conflicts as errors, the conflict of line 2 is a group of one row among three
rows of the room R-201. "Move 1 row" moves that row only, and renames no room; "Skip this
row" skips that row only."""

import pytest
from django.urls import reverse

from imports.models import ImportJob
from tests.imports.jobs.test_fixes import CONFLICTS, csv_bytes
from training.models import Intervention, Room

from .conftest import log_in

pytestmark = pytest.mark.browser
LINE_2 = "Room with guid R-201 is already booked by intervention IV-2"


def preview_with_conflicts_as_errors(page, site: str):
    log_in(page, site)
    page.click("a.import_link")
    file = {"name": "timetable.csv", "mimeType": "text/csv", "buffer": csv_bytes(CONFLICTS)}
    page.set_input_files("#id_file", file)
    page.select_option("#id_conflicts", "error")
    page.click("input[name=preview]")
    page.wait_for_selector("#error-groups")
    assert page.inner_text("#count-errors") == "2"
    group = page.locator(".error-group", has_text=LINE_2)
    assert group.count() == 1
    return group


def rows_view(page, site: str) -> None:
    job = ImportJob.objects.get()
    url = reverse("admin:training_intervention_import_preview", args=[job.pk])
    page.goto(f"{site}{url}?view=rows")
    page.wait_for_selector("#row-table")


def test_move_changes_the_one_row_and_renames_no_room(site, page, artifacts):
    group = preview_with_conflicts_as_errors(page, site)
    assert group.locator(".fix-replace").inner_text() == "Move 1 row"
    assert group.locator(".fix-skip").inner_text() == "Skip this row"
    assert "Move to room" in group.inner_text()
    page.screenshot(path=artifacts / "fixes-conflict-1-group.png", full_page=True)
    group.locator(".fix-replacement").fill("R-102")
    group.locator(".fix-replace").click()

    page.wait_for_selector("#fix-list")
    said = page.inner_text("ul.messagelist").lower()  # the admin's style capitalises it
    assert "roomguid r-201 is read as r-102 on line 2 only." in said
    assert (page.inner_text("#count-new"), page.inner_text("#count-errors")) == ("3", "0")
    assert page.inner_text("#count-rooms-updated") == "0"
    assert page.locator("#rooms-updated").count() == 0  # no "Room 102 → Lecture hall"
    assert "1 (line 2)" in page.inner_text("#fix-list")
    page.screenshot(path=artifacts / "fixes-conflict-2-moved.png", full_page=True)
    rows_view(page, site)
    assert page.locator("#row-table tr.outcome-new").count() == 3

    page.click("input[name=confirm]")
    page.wait_for_selector(".messagelist .success")
    rooms = dict(Intervention.objects.values_list("guid", "room__guid"))
    assert rooms == {"IV-1": "R-102", "IV-2": "R-201", "IV-3": "R-201"}
    assert Room.objects.get(guid="R-102").label == "Room 102"


def test_skip_leaves_out_the_one_row(site, page, artifacts):
    group = preview_with_conflicts_as_errors(page, site)
    group.locator(".fix-skip").click()

    page.wait_for_selector("#fix-list")
    assert (page.inner_text("#count-new"), page.inner_text("#count-errors")) == ("2", "0")
    assert "Rows skipped by a fix of roomGuid R-201: 1, on line 2." in page.inner_text("#warnings")
    rows_view(page, site)
    assert "No rows." not in page.inner_text("#row-table")
    cells = page.locator("#row-table tr.outcome-new td:first-child")
    lines = cells.all_inner_texts()
    assert lines == ["3", "4"]
    page.screenshot(path=artifacts / "fixes-conflict-3-skipped.png", full_page=True)
