"""The general rule: a row that is wrong on its own never changes another row's outcome.

"Wrong on its own": an error even when it is the only row of the file. Blanking such rows
(a blank line keeps every other row's line number) must leave every other row's outcome and
messages exactly as they were.
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.engine import ImportOptions, run_import
from imports.parsing.results import ImportResult
from tests.conftest import HEADER, make_row
from training.models import Intervention, Room, Session, Teacher

pytestmark = pytest.mark.django_db

# A few values per column, valid and not, so that keys repeat and rooms are described
# differently across rows.
CELLS = {
    "interventionGuid": st.sampled_from(["IV-1", "IV-2", "IV-3", "IV-OLD"]),
    "sessionGuid": st.sampled_from(["SE-1", "SE-1", "SE-404"]),
    "interventionDuration": st.sampled_from(["3", "3", "4", "x", "1.5", "25"]),  # 25: a warning
    "roomGuid": st.sampled_from(["R-101", "R-NEW"]),
    "roomLabel": st.sampled_from(["Room 101", "Room 101", "Other label"]),
    "roomCapacity": st.sampled_from(["", "20", "30", "many"]),
    "teacherLogin": st.sampled_from(["jdoe", "jdoe", "ghost"]),
    "interventionStatus": st.sampled_from(["A", "A", "C", "Z"]),
}
ROWS = st.lists(st.fixed_dictionaries(CELLS).map(lambda cells: make_row(**cells)), max_size=7)


def csv_file(rows: list[dict[str, str] | None]) -> bytes:
    """A CSV of ``rows``; None is a blank line (skipped, but it keeps the line numbers)."""
    lines = [";".join(HEADER)]
    lines += ["" if row is None else ";".join(row[name] for name in HEADER) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def dry_run(rows: list[dict[str, str] | None]) -> ImportResult:
    options = ImportOptions(dry_run=True, keep_rows=True)
    return run_import(csv_file(rows), "schedule.csv", options=options)


def outcomes(result: ImportResult) -> dict[int, tuple[str, list[str]]]:
    """Each row's outcome and messages, by line."""
    messages: dict[int, list[str]] = {}
    for error in result.errors:
        messages.setdefault(error.line or 0, []).append(error.message)
    return {row.line: (row.outcome.value, messages.get(row.line, [])) for row in result.rows}


def wrong_on_its_own(row: dict[str, str]) -> bool:
    return dry_run([row]).error_rows == 1


@pytest.fixture
def existing(demo):
    """One intervention already there, so that rows are new, updated or unchanged."""
    Intervention.objects.create(
        guid="IV-OLD",
        session=Session.objects.get(guid="SE-1"),
        start="2027-03-01T09:00:00Z",
        duration_minutes=180,
        room=Room.objects.get(guid="R-101"),
        teacher=Teacher.objects.get(login="jdoe"),
        status="A",
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=ROWS)
def test_blanking_rows_wrong_on_their_own_changes_no_other_outcome(existing, rows):
    before = outcomes(dry_run(rows))
    kept = [None if wrong_on_its_own(row) else row for row in rows]
    after = outcomes(dry_run(kept))
    assert after == {line: before[line] for line in after}
    assert set(after) == {line for line, row in enumerate(kept, start=2) if row is not None}
