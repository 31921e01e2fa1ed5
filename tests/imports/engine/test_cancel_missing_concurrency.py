"""cancelMissing under concurrency (PostgreSQL, real threads and transactions, issue 29): an
intervention created by another import after this one's preview is never cancelled by its
confirm. Committed before the confirm reads the scope, it changes the confirm's outcome (the
GUIDs it cancels are part of the outcome digest): nothing is written, a new preview lists it.
Still uncommitted while the confirm runs, the confirm never sees it: it cancels what its
preview announced, and the other import's intervention stays active.
"""

import threading

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from imports import jobs
from imports.engine import ImportOptions, run_import
from tests.conftest import csv_bytes, make_row
from tests.imports.engine.test_cancel_missing import FILE_ROWS, stored
from tests.imports.engine.test_concurrency import INSERT_INTERVENTION, WAIT, run_in_threads
from training.models import Intervention

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent writers need PostgreSQL (SQLite serialises writers)",
    ),
    pytest.mark.django_db(transaction=True),
]
LATE = [make_row(interventionGuid="IV-LATE", interventionDate="2027-03-03T17:00:00")]


@pytest.fixture
def previewed(demo, settings, tmp_path):
    """A job previewed with cancelMissing: IV-X to cancel (1 of 3 in the scope)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    stored("IV-X", "2027-03-03T15:00:00")
    stored("IV-A", "2027-03-02T10:00:00")
    stored("IV-B", "2027-03-04T10:00:00")
    user = User.objects.create_user("planner", is_staff=True)
    upload = SimpleUploadedFile("week.csv", csv_bytes(FILE_ROWS[:2]))
    job = jobs.create_job(upload, user, cancel_missing=True)
    jobs.preview_job(job)
    assert job.cancelled_missing == 1
    return job, user


def test_committed_before_the_confirm_it_changes_the_outcome(previewed):
    job, user = previewed
    outcomes = run_in_threads({"other": lambda: run_import(csv_bytes(LATE), "other.csv")})
    assert outcomes["other"].new == 1
    done = jobs.confirm_job(job, user)
    assert done.verdict is jobs.Verdict.CHANGED
    assert set(Intervention.objects.filter(status="C").values_list("guid", flat=True)) == set()
    job.refresh_from_db()
    assert (job.status, job.cancelled_missing) == ("previewed", 2)


def test_uncommitted_while_the_confirm_runs_it_is_never_cancelled(previewed):
    job, user = previewed
    written, release = threading.Event(), threading.Event()

    def other_import():
        def wrapper(execute, sql, params, many, context):
            result = execute(sql, params, many, context)
            if INSERT_INTERVENTION.search(sql) and not written.is_set():
                written.set()
                release.wait(timeout=WAIT * 10)  # holds its transaction open
            return result

        with connection.execute_wrapper(wrapper):
            return run_import(csv_bytes(LATE), "other.csv", options=ImportOptions())

    def confirm():
        assert written.wait(timeout=WAIT * 10)
        try:
            return jobs.confirm_job(job, user)
        finally:
            release.set()

    outcomes = run_in_threads({"other": other_import, "confirm": confirm})
    assert outcomes["other"].committed and outcomes["other"].new == 1, outcomes
    assert outcomes["confirm"].verdict is jobs.Verdict.IMPORTED, outcomes
    statuses = dict(Intervention.objects.values_list("guid", "status"))
    assert statuses["IV-X"] == "C" and statuses["IV-LATE"] == "A"


def test_a_row_cancelled_meanwhile_by_another_import_is_not_counted_twice(previewed):
    """The cancel locks the rows and reads the scope's conditions again: one that another
    import cancelled first is not cancelled again, and the confirm's outcome changes."""
    job, user = previewed
    again = run_import(
        csv_bytes(
            [
                make_row(
                    interventionGuid="IV-X",
                    interventionDate="2027-03-03T15:00:00",
                    interventionStatus="C",
                )
            ]
        ),
        "cancel.csv",
    )
    assert again.updated == 1
    done = jobs.confirm_job(job, user)
    assert done.verdict is jobs.Verdict.CHANGED
    job.refresh_from_db()
    assert job.cancelled_missing == 0
