"""The preview you can check, in headless Chromium: a new row's values, a room renamed, an
error group's link and the jump to a page."""

import pytest

from tests.conftest import csv_bytes, make_row
from training.models import Room

from .conftest import preview_file

pytestmark = pytest.mark.browser


def test_a_new_row_s_values_a_room_rename_and_an_error_group(site, page, artifacts, tmp_path):
    rows = [
        make_row(interventionGuid="IV-NEW", interventionDate="2027-03-10T09:00:00"),
        make_row(
            interventionGuid="IV-ROOM",
            interventionDate="2027-03-11T09:00:00",
            roomGuid="R-102",
            roomLabel="Room 102 (renovated)",
            roomCapacity="12",
        ),
    ]
    rows += [make_row(interventionGuid=f"IV-E{n}", teacherLogin="nobody") for n in range(3)]
    path = tmp_path / "planning été.csv"
    path.write_bytes(csv_bytes(rows))
    preview_file(page, site, path)

    page.wait_for_selector("#counts")
    assert "planning été.csv" in page.inner_text("#job-summary")
    assert page.inner_text("#count-rooms-updated") == "1"
    renamed = page.inner_text("#rooms-updated")
    assert "Room 102 → Room 102 (renovated)" in renamed
    assert page.inner_text("#room-r-102 td:last-child") == "3"  # the line that renames it
    groups = page.inner_text("#error-groups")
    assert "Teacher with login nobody is not found. (teacherLogin) — 3 rows" in groups
    page.screenshot(path=artifacts / "6-preview-rooms.png", full_page=True)

    page.click("#error-groups a")
    page.wait_for_url("**message=**")
    assert page.locator("#error-table tbody tr").count() == 3
    assert "Only: Teacher with login nobody is not found." in page.inner_text("#group-filter")

    page.click("#rows-tab")
    page.wait_for_selector("#row-table")
    new_row = page.inner_text("#row-2")
    for text in (
        "sessionGuid: SE-1",
        "interventionDate: 03/10/2027 09:00",  # the 10 March, as English writes it
        "interventionDuration: 3",
        "roomGuid: R-101",
        "teacherLogin: jdoe",
        "interventionStatus: A",
    ):
        assert text in new_row
    page.screenshot(path=artifacts / "7-preview-rows.png", full_page=True)
    assert Room.objects.get(guid="R-102").label == "Room 102"  # nothing written yet


def test_jump_to_a_page(site, page, settings, tmp_path):
    settings.INTERVENTION_IMPORT = {"PAGE_SIZE": 2}
    rows = [
        make_row(interventionGuid=f"IV-{n}", interventionDate=f"2027-04-{n + 1:02}T09:00:00")
        for n in range(7)
    ]
    path = tmp_path / "seven.csv"
    path.write_bytes(csv_bytes(rows))
    preview_file(page, site, path)
    page.wait_for_selector("#row-table")
    page.fill("#jump-page", "4")
    page.click("#pages input[type=submit]")
    page.wait_for_url("**page=4**")
    assert "Page 4 of 4" in page.inner_text("#pages")
    assert page.locator("#row-table tbody tr").count() == 1
    assert page.inner_text("#row-table tbody tr").startswith("8")
