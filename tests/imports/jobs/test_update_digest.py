"""The confirm's check of the outcome (issue 31): the ``v4:`` digest is made of the rows as
the engine decided them (an update's old keys by id, what a new row writes), so that the
confirm neither names nor encodes anything; a preview stored with ``v3:`` (the stored texts,
old keys named) is still compared with that digest."""

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
    return (jobs.V3_DIGEST + digest.hexdigest())[: jobs.DIGEST_LENGTH]


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


def test_the_confirm_compares_the_outcome_without_a_query():
    job, result = moved_preview()
    job.refresh_from_db()
    assert job.outcome_digest.startswith(jobs.DIGEST_VERSION)
    with CaptureQueriesContext(connection) as queries:
        assert jobs.same_outcome(job.outcome_digest, result)
    assert len(queries) == 0


def test_the_v3_digest_is_still_the_one_of_the_stored_texts():
    job, result = moved_preview()
    assert jobs.outcome_digest(result, version=jobs.V3_DIGEST) == v3_of_stored(job)


@pytest.mark.parametrize(("same", "verdict"), [(True, "IMPORTED"), (False, "CHANGED")])
def test_confirm_accepts_a_preview_stored_with_the_v3_digest(same, verdict):
    job, _result = moved_preview()
    ImportJob.objects.filter(pk=job.pk).update(outcome_digest=v3_of_stored(job))
    if not same:  # someone else moves IV-1 to the room the file gives: one change less
        Intervention.objects.filter(guid="IV-1").update(room=Room.objects.get(guid="R-102"))
    job.refresh_from_db()
    assert jobs.confirm_job(job, None).verdict is jobs.Verdict[verdict]


def test_an_update_s_old_room_changed_after_the_preview_is_a_changed_outcome():
    job, _result = moved_preview()
    Intervention.objects.filter(guid="IV-1").update(room=Room.objects.get(guid="R-102"))
    job.refresh_from_db()
    assert jobs.confirm_job(job, None).verdict is jobs.Verdict.CHANGED
    assert Intervention.objects.filter(guid="IV-2").count() == 0  # nothing written
