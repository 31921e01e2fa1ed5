"""What a preview stores (rows, errors, outcome digest) and the bulk insert it goes through."""

from dataclasses import replace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import jobs
from imports.database import upsert
from imports.engine import ImportOptions, run_import
from imports.jobs.models import ImportJob, ImportJobRow
from imports.parsing.results import ImportResult, Outcome, RowChange, RowError
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import SAMPLES

pytestmark = pytest.mark.usefixtures("demo", "media")

CHANGE = ("duration_minutes", "180", "240")


def result_of(*rows: RowChange, file_errors: tuple[RowError, ...] = ()) -> ImportResult:
    result = ImportResult("f.csv", rows=list(rows))
    result.file_errors.extend(file_errors)
    return result


BASE = (
    RowChange(2, "IV-1", Outcome.NEW),
    RowChange(3, "IV-2", Outcome.UPDATED, (CHANGE,)),
    RowChange(4, "IV-3", Outcome.UNCHANGED),
)


def with_row(index: int, **changes) -> ImportResult:
    rows = list(BASE)
    rows[index] = replace(rows[index], **changes)
    return result_of(*rows)


@pytest.mark.parametrize(
    "other",
    [
        with_row(0, outcome=Outcome.UNCHANGED),
        with_row(1, changes=(("duration_minutes", "180", "300"),)),
        with_row(1, changes=(CHANGE, ("status", "A", "C"))),
        with_row(1, outcome=Outcome.UNCHANGED, changes=()),
        with_row(2, guid="IV-4"),
        with_row(2, line=5),
        result_of(*BASE[:2]),
        result_of(*BASE, file_errors=(RowError(None, "Missing column"),)),
    ],
)
def test_the_digest_changes_with_any_row_or_file_problem(other):
    assert jobs.outcome_digest(other) != jobs.outcome_digest(result_of(*BASE))


def test_the_digest_is_versioned_and_fits_the_field():
    digest = jobs.outcome_digest(result_of(*BASE))
    assert digest == jobs.outcome_digest(result_of(*BASE))
    assert digest.startswith(jobs.DIGEST_VERSION)
    assert len(digest) == ImportJob._meta.get_field("outcome_digest").max_length


def test_a_guid_cannot_pass_for_the_separators():
    tricky = result_of(RowChange(2, "A'\t'new\t[]\n3\t'B", Outcome.NEW))
    plain = result_of(RowChange(2, "A", Outcome.NEW), RowChange(3, "B", Outcome.NEW))
    assert jobs.outcome_digest(tricky) != jobs.outcome_digest(plain)


def test_the_stored_digest_is_the_digest_of_the_result():
    job = jobs.create_job(SimpleUploadedFile("f.csv", csv_bytes([make_row()])), None)
    result = jobs.preview_job(job)
    job.refresh_from_db()
    assert job.outcome_digest == jobs.outcome_digest(result)


def previewed(content: bytes) -> tuple[ImportJob, ImportResult]:
    job = jobs.create_job(SimpleUploadedFile("f.csv", content), None)
    return job, jobs.preview_job(job)


@pytest.mark.parametrize(("same", "verdict"), [(True, "IMPORTED"), (False, "CHANGED")])
def test_confirm_accepts_a_preview_stored_with_the_first_digest(same, verdict):
    job, result = previewed(csv_bytes([make_row()]))
    if not same:
        result.rows[0].outcome = Outcome.UPDATED
    before = jobs.without_new_values(result)  # new rows listed nothing then
    ImportJob.objects.filter(pk=job.pk).update(outcome_digest=jobs.legacy_outcome_digest(before))
    job.refresh_from_db()
    assert jobs.confirm_job(job, None).verdict is jobs.Verdict[verdict]


@pytest.mark.parametrize(("same", "verdict"), [(True, "IMPORTED"), (False, "CHANGED")])
def test_confirm_accepts_a_preview_stored_with_the_v2_digest(same, verdict):
    job, result = previewed(csv_bytes([make_row()]))
    assert result.rows[0].written  # a new row keeps what it writes (v3)
    if not same:
        result.rows[0].outcome = Outcome.UPDATED
    before = jobs.outcome_digest(jobs.without_new_values(result), version=jobs.V2_DIGEST)
    assert before.startswith("v2:")
    ImportJob.objects.filter(pk=job.pk).update(outcome_digest=before)
    job.refresh_from_db()
    assert jobs.confirm_job(job, None).verdict is jobs.Verdict[verdict]


def mixed_file() -> bytes:
    """new, updated (two fields), unchanged and error rows."""
    first = csv_bytes([make_row(), make_row(interventionGuid="IV-2")])
    run_import(first, "f.csv", options=ImportOptions())
    rows = [
        make_row(interventionDuration="5", interventionStatus="C"),
        make_row(interventionGuid="IV-2"),
        make_row(interventionGuid="IV-3"),
        make_row(interventionGuid="IV-4", interventionDuration="x"),
    ]
    return csv_bytes(rows)


def test_stored_rows_round_trip():
    job, result = previewed(mixed_file())
    assert [r.outcome for r in result.rows] == ["updated", "unchanged", "new", "error"]
    stored = list(job.rows.values_list("line", "guid", "outcome", "changes", "cells"))
    expected = [
        (
            row.line,
            row.guid,
            row.outcome.value,
            [list(change) for change in row.changes],
            result.error_cells.get(row.line),
        )
        for row in result.rows
    ]
    # a new row stores what it writes, in fields.STORED_FIELDS order, times as ISO 8601
    expected[2] = (
        *expected[2][:3],
        ["SE-1", "2027-03-01T09:00:00+00:00", 180, "R-101", "jdoe", "A"],
        None,
    )
    assert stored == expected
    assert len(stored[0][3]) == 2
    assert stored[3][4][0] == "IV-4"


def test_stored_errors_round_trip():
    job, result = previewed((SAMPLES / "interventions_with_errors.csv").read_bytes())
    stored = list(
        job.errors.order_by("pk").values_list(
            "line", "column", "value", "message", "level", "file_level"
        )
    )
    problems = result.warnings + result.errors
    assert stored == [
        (p.line, p.column or "", p.value, p.message, p.level, False) for p in problems
    ]
    # 9 rows' errors (line 8's duration 1.5 is now 1 h 30 min: its teacher alone is wrong),
    # and the note that the dates were read month first (en-us), 10/03/2027 being either
    assert len(stored) == 10


def test_insert_streams_any_iterable_in_chunks(monkeypatch):
    monkeypatch.setattr(upsert, "INSERT_CHUNK", 3)
    job = ImportJob.objects.create(file_name="f.csv", sha256="")
    hostile = ["tab\there", "new\nline", "back\\slash", "quote'\"", "é ü \u2028", r"\N", ""]
    rows = (
        (job.pk, line, guid, "updated", f'[["room", "{line}", "x"]]', None, None, None)
        for line, guid in enumerate(hostile, start=2)
    )
    upsert.insert(ImportJobRow, jobs.JOB_ROW_FIELDS, rows)
    stored = list(job.rows.values_list("line", "guid", "changes", "cells"))
    assert stored == [
        (line, guid, [["room", str(line), "x"]], None) for line, guid in enumerate(hostile, start=2)
    ]


def test_insert_of_nothing_writes_nothing():
    upsert.insert(ImportJobRow, jobs.JOB_ROW_FIELDS, iter(()))
    assert not ImportJobRow.objects.exists()


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("planning mars.csv", "planning mars.csv"),
        ("é" * 200 + ".csv", "é" * 58 + ".csv"),  # 116 + 4 bytes
        ("x" * 300, "x" * 120),
        ("notes." + "y" * 40, ("notes." + "y" * 40)),
    ],
)
def test_the_stored_name_fits_a_file_system_and_keeps_the_extension(name, stored):
    assert jobs.stored_name(name) == stored
    assert len(jobs.stored_name(name).encode()) <= jobs.STORED_NAME_BYTES
