"""The calendar in headless Chromium (issue 29 §3): a preview's week (created, moved with its
old place faded, cancelled, left as it is, in conflict), then one teacher's week, and the
interventions list's calendar; screenshots for docs/admin.md (docs/screenshots/calendar-*.png,
copied when missing or with UPDATE_SCREENSHOTS=1)."""

import os
import shutil
from pathlib import Path

import pytest

from imports.engine import ImportOptions, run_import
from tests.conftest import csv_bytes, make_row

from .conftest import log_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# The schedule before: a week of Spring 2027 (TR-1) and Autumn 2027 (TR-2) classes.
BEFORE = [
    make_row(interventionGuid="IV-1", interventionDate="2027-03-01T09:00:00"),
    make_row(
        interventionGuid="IV-2",
        interventionDate="2027-03-02T09:00:00",
        teacherLogin="asmith",
        roomGuid="R-102",
        roomLabel="Room 102",
    ),
    make_row(
        interventionGuid="IV-3", interventionDate="2027-03-03T14:00:00", interventionDuration="2"
    ),
    make_row(
        interventionGuid="IV-4",
        trainingGuid="TR-2",
        sessionGuid="SE-3",
        interventionDate="2027-03-04T10:00:00",
        teacherLogin="bmartin",
        roomGuid="R-102",
        roomLabel="Room 102",
    ),
]
# The file: IV-1 moved to the afternoon, IV-2 cancelled, IV-3 as it is, IV-4 changes room,
# IV-5 and IV-6 created; IV-6 books jdoe when IV-3 does (a conflict).
FILE = [
    make_row(interventionGuid="IV-1", interventionDate="2027-03-01T13:30:00"),
    make_row(
        interventionGuid="IV-2",
        interventionDate="2027-03-02T09:00:00",
        teacherLogin="asmith",
        roomGuid="R-102",
        roomLabel="Room 102",
        interventionStatus="C",
    ),
    make_row(
        interventionGuid="IV-3", interventionDate="2027-03-03T14:00:00", interventionDuration="2"
    ),
    make_row(
        interventionGuid="IV-4",
        trainingGuid="TR-2",
        sessionGuid="SE-3",
        interventionDate="2027-03-04T10:00:00",
        teacherLogin="bmartin",
    ),
    make_row(
        interventionGuid="IV-5",
        trainingGuid="TR-2",
        sessionGuid="SE-3",
        interventionDate="2027-03-05T09:00:00",
        interventionDuration="4",
        teacherLogin="bmartin",
    ),
    make_row(
        interventionGuid="IV-6",
        interventionDate="2027-03-03T15:00:00",
        interventionDuration="1.5",
        roomGuid="R-102",
        roomLabel="Room 102",
    ),
]


def keep(artifacts: Path, name: str) -> None:
    """Copy a screenshot to docs/screenshots when missing or asked (UPDATE_SCREENSHOTS)."""
    target = SCREENSHOTS / name
    if os.environ.get("UPDATE_SCREENSHOTS") or not target.exists():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(artifacts / name, target)


def states(page) -> dict[str, str]:
    blocks = page.locator(".calendar-block[data-guid]")
    return {
        blocks.nth(i).get_attribute("data-guid"): blocks.nth(i).get_attribute("data-state")
        for i in range(blocks.count())
    }


def test_a_previews_calendar_and_a_teachers_week(site, page, artifacts):
    run_import(csv_bytes(BEFORE), "before.csv", options=ImportOptions())
    log_in(page, site)
    page.click("a.import_link")
    page.set_input_files(
        "#id_file", {"name": "march.csv", "mimeType": "text/csv", "buffer": csv_bytes(FILE)}
    )
    page.click("input[name=preview]")
    page.click("#calendar-link")
    page.wait_for_selector("#calendar-grid")
    assert states(page) == {
        "IV-1": "updated",
        "IV-2": "cancelled",
        "IV-3": "unchanged",
        "IV-4": "updated",
        "IV-5": "new",
        "IV-6": "new",
    }
    assert page.locator("[data-was='IV-1']").is_visible()  # its old place, faded
    conflict = page.locator("[data-guid='IV-6']")
    assert conflict.get_attribute("data-conflict") == "teacher"
    assert "Conflict: teacher jdoe is also booked by IV-3" in conflict.inner_text()
    title = page.locator("[data-guid='IV-2'] .calendar-title")
    assert "line-through" in title.evaluate("e => getComputedStyle(e).textDecorationLine")
    # Each state reads differently (the admin's colours), and a conflict has a red border.
    new_bg = page.locator("[data-guid='IV-5']").evaluate("e => getComputedStyle(e).backgroundColor")
    same_bg = page.locator("[data-guid='IV-3']").evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert new_bg != same_bg
    page.screenshot(path=artifacts / "calendar-preview.png", full_page=True)
    keep(artifacts, "calendar-preview.png")

    page.click("[data-guid='IV-5'] .calendar-teacher")  # follow bmartin
    page.wait_for_selector("#calendar-following")
    assert states(page) == {"IV-4": "updated", "IV-5": "new"}
    assert page.input_value("#follow-teacher") == "bmartin"
    page.screenshot(path=artifacts / "calendar-teacher.png", full_page=True)
    keep(artifacts, "calendar-teacher.png")

    # Printed: the admin's header and the week's links are left out, the blocks kept.
    page.emulate_media(media="print")
    assert not page.locator("#header").is_visible()
    assert not page.locator("#calendar-follow").is_visible()
    assert page.locator("[data-guid='IV-5']").is_visible()
    page.emulate_media(media="screen")

    page.click("#week-next")
    page.wait_for_selector("#calendar-empty")
    assert "Nothing in this week." in page.inner_text("#calendar-empty")


def test_the_lists_calendar_in_dark_mode(site, page, artifacts):
    run_import(csv_bytes(BEFORE), "before.csv", options=ImportOptions())
    log_in(page, site)
    page.click("#calendar-link")
    page.wait_for_selector("#calendar-grid")
    assert set(states(page)) == {"IV-1", "IV-2", "IV-3", "IV-4"}
    light = page.locator("[data-guid='IV-1']").evaluate("e => getComputedStyle(e).color")
    page.emulate_media(color_scheme="dark")
    page.reload()
    page.wait_for_selector("#calendar-grid")
    dark = page.locator("[data-guid='IV-1']").evaluate("e => getComputedStyle(e).color")
    assert light != dark  # the admin's colour variables follow the scheme
    page.screenshot(path=artifacts / "calendar-list-dark.png", full_page=True)
