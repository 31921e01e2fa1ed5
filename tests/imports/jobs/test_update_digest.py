"""The outcome digest with old keys named once per run (issue 31): the engine keeps an update's
old session, room and teacher as ids, the preview and the confirm name them with one query per
table (not per batch, not per row), and the digest is still the one of the stored texts."""

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
