"""The changes of updated rows on any page of a large preview (issue 31): the engine keeps an
update's old session, room and teacher as ids, the preview names them once when it stores its
rows, and every page, whichever is asked for, shows what it showed before."""

import datetime as dt

import pytest

from imports.engine import ImportOptions, run_import
from imports.jobs.models import ImportJob
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import confirm_url, job_url, post, preview_url, upload
from tests.imports.web.test_admin_preview import row_cell

pytestmark = pytest.mark.usefixtures("demo", "media")

ROWS = 160
PAGE = 50


def day(n: int, hour: int = 9) -> str:
    return (dt.datetime(2027, 3, 1, hour) + dt.timedelta(days=n)).isoformat()


def schedule(moved: bool) -> bytes:
    """``ROWS`` interventions a day apart; ``moved``: each to another session, room, teacher,
    hour and duration (a re-sent timetable)."""
    rows = [
        make_row(
            interventionGuid=f"IV-{n:03d}",
            interventionDate=day(n, 10 if moved else 9),
            **(
                {
                    "sessionGuid": "SE-2",
                    "interventionDuration": "4",
                    "roomGuid": "R-102",
                    "roomLabel": "Room 102",
                    "roomCapacity": "12",
                    "teacherLogin": "asmith",
                }
                if moved
                else {}
            ),
        )
        for n in range(ROWS)
    ]
    return csv_bytes(rows)


@pytest.fixture
def moved(client, settings) -> ImportJob:
    settings.TIME_ZONE = "Europe/Paris"
    settings.INTERVENTION_IMPORT = {"PAGE_SIZE": PAGE}
    run_import(schedule(moved=False), "first.csv", options=ImportOptions())
    assert upload(client, schedule(moved=True)).status_code == 302
    job = ImportJob.objects.latest("pk")
    assert (job.new, job.updated, job.unchanged, job.error_rows) == (0, ROWS, 0, 0)
    return job


def expected_cell(n: int) -> list[str]:
    shown = (dt.datetime(2027, 3, 1) + dt.timedelta(days=n)).strftime("%m/%d/%Y")  # English
    # the file's times are the site's (Europe/Paris), shown as written whatever the offset
    return [
        "<strong>sessionGuid</strong>: SE-1 → SE-2",
        f"<strong>interventionDate</strong>: {shown} 09:00 → {shown} 10:00",
        "<strong>interventionDuration</strong>: 3 → 4",
        "<strong>roomGuid</strong>: R-101 → R-102",
        "<strong>teacherLogin</strong>: jdoe → asmith",
    ]


@pytest.mark.parametrize("page", [1, 3, 4])
def test_an_update_on_any_page_shows_its_old_keys_named(client, moved, page):
    html = client.get(preview_url(moved.pk), {"view": "rows", "page": page}).content.decode()
    first = (page - 1) * PAGE
    for n in (first, min(first + PAGE, ROWS) - 1):
        cell = row_cell(html, n + 2)
        for change in expected_cell(n):
            assert change in cell
        assert "interventionStatus" not in cell


def test_the_stored_changes_are_the_named_texts_of_before(moved):
    """What a preview stored before issue 31 (the engine named the old keys of every batch),
    read from the database as the page, the error report and the history read it."""
    stored = dict(moved.rows.values_list("line", "changes"))
    assert len(stored) == ROWS
    n = 2 * PAGE + 7  # a row of page 3
    assert [change[0] for change in stored[n + 2]] == [
        "session",
        "start",
        "duration_minutes",
        "room",
        "teacher",
    ]
    assert stored[n + 2][0] == ["session", "SE-1", "SE-2"]
    _, old, new = stored[n + 2][1]  # times in UTC, ISO 8601, the new one an hour later
    assert dt.datetime.fromisoformat(new) - dt.datetime.fromisoformat(old) == dt.timedelta(hours=1)
    assert old.endswith("+00:00") and new.endswith("+00:00")
    assert stored[n + 2][2] == ["duration_minutes", "180", "240"]
    assert stored[n + 2][3:] == [["room", "R-101", "R-102"], ["teacher", "jdoe", "asmith"]]


def test_the_history_of_the_import_shows_the_same_changes(client, moved):
    before = client.get(preview_url(moved.pk), {"view": "rows", "page": 3}).content.decode()
    post(client, confirm_url(moved.pk))
    moved.refresh_from_db()
    assert moved.status == "imported"
    after = client.get(job_url(moved.pk), {"view": "rows", "page": 3}).content.decode()
    for n in (2 * PAGE, 3 * PAGE - 1):
        assert row_cell(after, n + 2) == row_cell(before, n + 2)
