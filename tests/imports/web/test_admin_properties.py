"""Properties of the admin flow (hypothesis): the preview tells the truth, the report round-trips.

- For random mixes of valid and invalid rows against the demo data (some updating interventions
  imported before), what the preview announced is what the confirm does: same counts, same
  errors, same row outcomes, and the database holds exactly the rows announced new or updated.
- The error report, with its added ``line``/``error`` columns dropped and the neutralising
  quote removed where it was added, imports again with the same errors for the same GUIDs.
- No cell of the error report starts with ``= + - @``, tab or CR.

Each example runs in a transaction rolled back at its end, so examples do not see each other.
"""

import csv
import datetime as dt
import io
from collections import Counter, defaultdict
from contextlib import contextmanager

import pytest
from django.db import transaction
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from imports.engine import ImportOptions, run_import
from imports.jobs.error_report import FORMULA_STARTS
from imports.jobs.models import ImportJob
from tests.conftest import HEADER, make_row
from tests.imports.admin_support import confirm_url, post, report_url, upload
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo", "media")

PROPERTY = settings(
    max_examples=25,
    deadline=dt.timedelta(seconds=10),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
EXISTING = [f"IV-P-{n}" for n in range(4)]  # imported before each example
GUIDS = EXISTING + [f"IV-P-{n}" for n in range(4, 8)] + ["", "  IV-P-9 "]
ROOMS = [("R-101", "Room 101"), ("R-P-1", "New room 1"), ("R-P-2", "New room 2")]
# field: (valid values, invalid values); each row breaks a few fields, or none.
CHOICES = {
    "session": ([("SE-1", ""), ("SE-2", ""), ("", "Spring 2027")], [("SE-3", ""), ("", "Evening")]),
    "interventionDate": (["2027-03-01T09:00:00", "2027-04-02T14:30:00"], ["2027-13-01", "=1+1"]),
    "interventionDuration": (["3", "5"], ["0", "x", "", "-2", "+4"]),
    "interventionStatus": (["A", "C"], ["Q", "@A"]),
    "teacherLogin": (
        ["jdoe", "asmith", " bmartin "],
        ["nobody", "=1+1", "+SUM(A1)", "-2", "@cmd", "\t=x", "=cmd|' /C calc'!A0"],
    ),
}
SESSION_BY_TITLE = {"Spring 2027": "SE-1"}  # within TR-1; "Evening" is a title of TR-3


@st.composite
def file_row(draw, guid: str) -> dict[str, str]:
    """A row that is valid or not, field by field; formula-looking values included."""
    broken = draw(st.sets(st.sampled_from(sorted(CHOICES)), max_size=3))
    values = {name: draw(st.sampled_from(CHOICES[name][name in broken])) for name in CHOICES}
    room_guid, room_label = draw(st.sampled_from(ROOMS))
    session_guid, session_title = values.pop("session")
    return make_row(
        interventionGuid=guid,
        sessionGuid=session_guid,
        sessionTitle=session_title,
        roomGuid=room_guid,
        roomLabel=room_label,
        **values,
    )


@st.composite
def file_rows(draw) -> list[dict[str, str]]:
    guids = draw(st.lists(st.sampled_from(GUIDS), min_size=1, max_size=8, unique=True))
    return [draw(file_row(guid)) for guid in guids]


def csv_file(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def as_cells(rows: list[dict[str, str]]) -> list[list[str]]:
    return [[row[name] for name in HEADER] for row in rows]


@contextmanager
def rolled_back():
    """One example's world: undone at its end (the client's requests run inside it)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def import_existing() -> None:
    rows = [make_row(interventionGuid=guid, interventionDuration="1") for guid in EXISTING]
    result = run_import(csv_file(as_cells(rows)), "base.csv", None, ImportOptions())
    assert result.committed and result.new == len(EXISTING)


def snapshot() -> dict[str, tuple]:
    fields = ("guid", "duration_minutes", "status", "teacher__login", "session__guid", "room__guid")
    return {guid: tuple(values) for guid, *values in Intervention.objects.values_list(*fields)}


def expected_values(row: dict[str, str]) -> tuple:
    session = row["sessionGuid"] or SESSION_BY_TITLE[row["sessionTitle"]]
    return (
        int(row["interventionDuration"]) * 60,
        row["interventionStatus"],
        row["teacherLogin"].strip(),
        session,
        row["roomGuid"],
    )


def job_outcome(job: ImportJob) -> tuple:
    job.refresh_from_db()
    return (
        (job.new, job.updated, job.unchanged, job.error_rows),
        list(job.errors.values_list("line", "column", "message", "level", "file_level")),
        list(job.rows.values_list("line", "guid", "outcome", "changes")),
    )


def upload_rows(client, rows: list[dict[str, str]]) -> ImportJob:
    response = upload(client, csv_file(as_cells(rows)), name="random.csv")
    assert response.status_code == 302
    return ImportJob.objects.latest("pk")


@PROPERTY
@given(rows=file_rows(), strict=st.booleans())
def test_preview_outcome_equals_confirm_outcome(client, rows, strict):
    with rolled_back():
        import_existing()
        job = upload_rows(client, rows)
        assert job.status == "previewed"
        previewed = job_outcome(job)
        before = snapshot()

        # the random schedules conflict at times: the confirm acknowledges them
        form = {"acknowledge_conflicts": "on", **({"strict": "on"} if strict else {})}
        response = post(client, confirm_url(job.pk), form)

        assert response.status_code == 302
        confirmed = job_outcome(job)
        assert confirmed == previewed
        has_errors = job.error_rows > 0
        event(f"status {job.status}; updated rows: {job.updated > 0}; new rows: {job.new > 0}")
        assert job.status == ("failed" if strict and has_errors else "imported")
        expected = dict(before)
        if not (strict and has_errors):
            by_guid = {row["interventionGuid"].strip(): row for row in rows}
            for _, guid, outcome, _ in confirmed[2]:
                if outcome in ("new", "updated"):
                    expected[guid] = expected_values(by_guid[guid])
        assert snapshot() == expected


def read_report(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def restore(cell: str) -> str:
    """Remove the neutralising quote, only where the report added it."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def errors_by_guid(guid_of_line: dict[int, str], errors) -> Counter:
    messages: dict[int, list[str]] = defaultdict(list)
    for line, message in errors:
        messages[line].append(message)
    return Counter((guid_of_line[line], tuple(sorted(m))) for line, m in messages.items())


@PROPERTY
@given(rows=file_rows())
def test_error_report_imports_again_with_the_same_errors(client, rows):
    with rolled_back():
        import_existing()
        job = upload_rows(client, rows)
        assume(job.error_rows > 0)
        report = read_report(client.get(report_url(job.pk)).content)
        added = ["line", "error", "code", "suggestion"]  # the report's own columns
        assert report[0][-len(added) :] == added
        header = report[0][: -len(added)]
        data = [[restore(cell) for cell in row[: -len(added)]] for row in report[1:]]

        again = run_import(
            csv_file(data, header), "report.csv", None, ImportOptions(dry_run=True, keep_rows=True)
        )

        assert again.file_errors == []
        assert (again.new, again.updated, again.unchanged) == (0, 0, 0)
        assert again.error_rows == job.error_rows == len(data)
        guid_of_line = dict(job.rows.values_list("line", "guid"))
        original = job.errors.filter(level="ERROR", file_level=False).values_list("line", "message")
        again_guids = {row.line: row.guid for row in again.rows}
        again_errors = [(error.line, error.message) for error in again.errors]
        assert errors_by_guid(again_guids, again_errors) == errors_by_guid(guid_of_line, original)


CELL_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)
PREFIXED = st.builds(lambda start, rest: start + rest, st.sampled_from(FORMULA_STARTS), CELL_TEXT)


@PROPERTY
@given(cells=st.lists(st.lists(st.one_of(PREFIXED, CELL_TEXT), min_size=12), max_size=6))
def test_no_report_cell_starts_like_a_formula(client, cells):
    with rolled_back():
        response = upload(client, csv_file(cells), name="any.csv")
        assert response.status_code == 302
        job = ImportJob.objects.latest("pk")
        report = read_report(client.get(report_url(job.pk)).content)
        assert (
            len(report)
            == 1
            + job.errors.filter(level="ERROR", file_level=False).values("line").distinct().count()
        )
        for row in report:
            for cell in row:
                assert not cell.startswith(FORMULA_STARTS), (row, cell)
