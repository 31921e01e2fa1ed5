"""Two imports at the same moment, each adding one side of a schedule conflict (PostgreSQL).

What is guaranteed: the check reads committed data (READ COMMITTED). A conflict with an
intervention committed before an import's check is always reported; an import that checks
while the other side is still uncommitted cannot see it, and the next preview or import does.
Here import A has written its row but not committed when import B runs from start to end: B
sees nothing, A (checking after B's commit) reports the conflict, and a new dry run of B's file
reports it too (as a conflict already in the schedule: that file changes neither side).
"""

import threading

import pytest
from django.db import connection

from imports.engine import ImportOptions, run_import
from imports.parsing.results import ImportResult
from tests.conftest import csv_bytes, make_row

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent writers need PostgreSQL (SQLite serialises writers)",
    ),
    pytest.mark.django_db(transaction=True),
]
WAIT = 20  # seconds at most for the other thread


def file_with(guid: str, start: str) -> bytes:
    return csv_bytes([make_row(interventionGuid=guid, interventionDate=start)])


def booked_by(result: ImportResult, code: str = "teacher_booked") -> set[str]:
    return {w.conflicts_with for w in result.warnings if w.code == code}


def test_the_import_that_checks_after_the_other_commits_reports_the_conflict(demo):
    written, other_done = threading.Event(), threading.Event()
    results: dict[str, ImportResult] = {}

    def hold_after_writing(done: int, total: int) -> None:
        written.set()  # A's row is written, not committed
        other_done.wait(WAIT)

    def import_a() -> None:
        try:
            data = file_with("IV-A", "2027-03-01T09:00:00")
            results["A"] = run_import(data, "a.csv", progress=hold_after_writing)
        finally:
            connection.close()

    thread = threading.Thread(target=import_a)
    thread.start()
    assert written.wait(WAIT)
    results["B"] = run_import(file_with("IV-B", "2027-03-01T10:00:00"), "b.csv")
    other_done.set()
    thread.join(WAIT)

    assert results["B"].committed and results["A"].committed
    assert booked_by(results["B"]) == set()  # A was not committed when B checked
    assert booked_by(results["A"]) == {"IV-B"}  # B was committed when A checked
    again = run_import(
        file_with("IV-B", "2027-03-01T10:00:00"), "b.csv", options=ImportOptions(dry_run=True)
    )
    assert booked_by(again, "teacher_booked_unchanged") == {"IV-A"}  # IV-B is unchanged now
