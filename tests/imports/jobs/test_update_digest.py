"""The outcome digest with old keys named (issue 31): the engine keeps an update's old session,
room and teacher as ids; the preview names them with one query per table for the run (not per
row), the confirm batch by batch as its run goes, keeping no row (``DigestSink``); the digest
is still the one of the stored texts."""

import hashlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports import jobs
from imports.engine import ImportOptions, run_import
from imports.jobs.models import ImportJob
from imports.parsing.results import Outcome
from tests.conftest import csv_bytes, make_row
from training.models import Intervention, Room

pytestmark = pytest.mark.usefixtures("demo", "media")

MOVED = {
    "sessionGuid": "SE-2",
    "interventionDate": "2027-03-01T10:00:00",
    "roomGuid": "R-102",
    "roomLabel": "Room 102",
    "roomCapacity": "12",
    "teacherLogin": "asmith",
}


def moved_preview() -> tuple[ImportJob, object]:
    """IV-1 imported, then a preview that moves it (session, start, room, teacher) beside a
    new row IV-2."""
    run_import(csv_bytes([make_row()]), "first.csv", options=ImportOptions())
    content = csv_bytes([make_row(**MOVED), make_row(interventionGuid="IV-2")])
    job = jobs.create_job(SimpleUploadedFile("f.csv", content), None)
    return job, jobs.preview_job(job)


def v3_of_stored(job: ImportJob) -> str:
    """The ``v3:`` digest as a preview stored it before: the stored texts hashed."""
    digest = hashlib.sha256()
    for line, guid, outcome, changes in job.rows.order_by("line").values_list(
        "line", "guid", "outcome", "changes"
    ):
        text = json.dumps(changes, default=str)
        if outcome == "new":  # written_text: no spaces
            text = json.dumps(changes, separators=(",", ":"))
        digest.update(f"{line}\t{guid!r}\t{outcome}\t{text}\n".encode())
    return (jobs.DIGEST_VERSION + digest.hexdigest())[: jobs.DIGEST_LENGTH]


def test_the_engine_keeps_old_keys_as_ids_and_the_preview_stores_them_named():
    job, result = moved_preview()
    update = next(row for row in result.rows if row.outcome is Outcome.UPDATED)
    olds = {name: old for name, old, _new in update.changes}
    assert all(type(olds[name]) is int for name in ("session", "room", "teacher"))
    stored = job.rows.get(line=2).changes
    assert [change for change in stored if change[0] != "start"] == [
        ["session", "SE-1", "SE-2"],
        ["room", "R-101", "R-102"],
        ["teacher", "jdoe", "asmith"],
    ]


def test_the_confirm_names_old_keys_with_one_query_per_table():
    job, result = moved_preview()
    job.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        assert jobs.same_outcome(job.outcome_digest, result)
    assert len(queries) == 3  # sessions, rooms, teachers: whatever the number of rows


def test_the_digest_is_the_one_of_the_stored_texts():
    job, result = moved_preview()
    job.refresh_from_db()
    assert job.outcome_digest == v3_of_stored(job) == jobs.outcome_digest(result)


@pytest.mark.parametrize(("same", "verdict"), [(True, "IMPORTED"), (False, "CHANGED")])
def test_confirm_imports_only_the_outcome_of_the_preview(same, verdict):
    job, _result = moved_preview()
    if not same:  # someone else moves IV-1 to the room the file gives: one change less
        Intervention.objects.filter(guid="IV-1").update(room=Room.objects.get(guid="R-102"))
    job.refresh_from_db()
    assert jobs.confirm_job(job, None).verdict is jobs.Verdict[verdict]
    assert Intervention.objects.filter(guid="IV-2").count() == int(same)


def test_an_old_room_renamed_after_the_preview_is_a_changed_outcome():
    """The preview showed R-101 -> R-102; the confirm would now show R-OLD -> R-102."""
    job, _result = moved_preview()
    Room.objects.filter(guid="R-101").update(guid="R-OLD")
    job.refresh_from_db()
    assert jobs.confirm_job(job, None).verdict is jobs.Verdict.CHANGED
    assert job.rows.get(line=2).changes[-2] == ["room", "R-OLD", "R-102"]  # the new preview


# The confirm's digest made batch by batch (``details.DigestSink``): no row kept


def a_file_of_every_kind() -> bytes:
    """IV-1 imported; then a file that moves it, adds new rows, has an error row and two rows
    in conflict (jdoe twice at 14:00), in batches of two rows."""
    run_import(csv_bytes([make_row()]), "first.csv", options=ImportOptions())
    at_two = {"interventionDate": "2027-03-05T14:00:00"}
    return csv_bytes(
        [
            make_row(**MOVED),
            make_row(interventionGuid="IV-2", interventionDate="2027-03-02T09:00:00"),
            make_row(interventionGuid="IV-3", teacherLogin="nobody"),
            make_row(
                interventionGuid="IV-4",
                roomGuid="R-102",
                roomLabel="Room 102",
                roomCapacity="12",
                **at_two,
            ),
            make_row(interventionGuid="IV-5", **at_two),
        ]
    )


@pytest.mark.parametrize("conflicts", ["warn", "error"])
def test_the_digest_made_batch_by_batch_is_the_one_of_the_kept_rows(settings, conflicts):
    settings.INTERVENTION_IMPORT = {"BATCH_SIZE": 2}
    content = a_file_of_every_kind()
    kept = run_import(
        content, "f.csv", options=ImportOptions(dry_run=True, keep_rows=True, conflicts=conflicts)
    )
    sink = jobs.DigestSink()
    options = ImportOptions(dry_run=True, row_sink=sink, conflicts=conflicts)
    handed = run_import(content, "f.csv", options=options)
    assert handed.rows == [] and len(kept.rows) == 5  # nothing kept with a sink
    counts = (kept.updated, kept.new, kept.error_rows)
    assert counts == ((1, 3, 1) if conflicts == "warn" else (1, 1, 3))  # IV-4, IV-5: errors
    assert sink.text(handed) == jobs.outcome_digest(kept)


@pytest.mark.parametrize("conflicts", ["warn", "error"])
def test_the_confirm_keeps_no_row_and_imports_what_the_preview_showed(settings, conflicts):
    """With conflicts as errors the run is done again (those rows as errors): the digest
    starts again with it."""
    settings.INTERVENTION_IMPORT = {"BATCH_SIZE": 2}
    job = jobs.create_job(
        SimpleUploadedFile("f.csv", a_file_of_every_kind()), None, conflicts=conflicts
    )
    jobs.preview_job(job)
    job.refresh_from_db()
    if conflicts == "warn":
        ImportJob.objects.filter(pk=job.pk).update(conflicts_acknowledged_at="2027-01-01T00:00Z")
        job.refresh_from_db()
    done = jobs.confirm_job(job, None)
    assert done.verdict is jobs.Verdict.IMPORTED
    assert done.result is not None and done.result.rows == []
    imported = set(Intervention.objects.values_list("guid", flat=True))
    assert imported == (
        {"IV-1", "IV-2", "IV-4", "IV-5"} if conflicts == "warn" else {"IV-1", "IV-2"}
    )
