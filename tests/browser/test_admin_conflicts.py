"""Schedule conflicts in headless Chromium: the preview's section, a confirm refused without
the acknowledgement, then accepted with it, and the history page that records it."""

import pytest

from imports.jobs.models import ImportJob
from tests.conftest import csv_bytes, make_row
from training.models import Intervention

from .conftest import log_in

pytestmark = pytest.mark.browser

# Lines 2 and 3 book the teacher jdoe and the room R-101 at the same time.
CONFLICTING = csv_bytes([make_row(), make_row(interventionGuid="IV-2")])
REFUSED = "This preview has schedule conflict warnings: acknowledge that you have checked them"


def test_conflicts_are_listed_and_acknowledged_before_the_import(site, page, artifacts):
    log_in(page, site)
    page.click("a.import_link")
    file = {"name": "timetable.csv", "mimeType": "text/csv", "buffer": CONFLICTING}
    page.set_input_files("#id_file", file)
    assert page.input_value("#id_conflicts") == "warn"  # the CONFLICTS setting's default
    page.click("input[name=preview]")

    section = page.locator("#schedule-conflicts")
    section.wait_for()
    assert "2 rows with a schedule conflict, 2 conflicts." in section.inner_text()
    teacher = page.inner_text("#conflicts-by-teacher")
    assert "jdoe" in teacher
    assert "Line 2 (IV-1) and line 3 (IV-2): Teacher with login jdoe is already booked" in teacher
    assert "Line 2 (IV-1) and line 3 (IV-2): Room with guid R-101" in page.inner_text(
        "#conflicts-by-room"
    )
    page.screenshot(path=artifacts / "conflicts-1-preview.png", full_page=True)

    page.click("input[name=confirm]")  # without the acknowledgement
    page.wait_for_selector("ul.messagelist li.error")
    assert REFUSED in page.inner_text("ul.messagelist")
    assert page.is_visible("#schedule-conflicts")
    assert ImportJob.objects.get().status == "previewed"
    assert not Intervention.objects.exists()
    page.screenshot(path=artifacts / "conflicts-2-refused.png", full_page=True)

    page.check("#id_acknowledge_conflicts")
    page.click("input[name=confirm]")
    page.wait_for_selector("#conflicts-acknowledged")
    assert page.inner_text("#job-status").startswith("Imported")
    assert page.inner_text("#conflicts-acknowledged").startswith(
        "Schedule conflicts acknowledged by manager at "
    )
    assert page.is_visible("#schedule-conflicts")  # the history keeps the list
    assert Intervention.objects.count() == 2
    job = ImportJob.objects.get()
    assert job.conflicts_acknowledged_by is not None
    assert job.conflicts_acknowledged_by.username == "manager"
    page.screenshot(path=artifacts / "conflicts-3-history.png", full_page=True)
