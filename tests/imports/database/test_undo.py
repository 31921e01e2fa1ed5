"""Undo a whole import (imports/undo.py, imports/undo_jobs.py) and its command."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from imports.batch.pipeline import record_job
from imports.database.journal_models import Journal, JournalBatch, JournalRoom
from imports.engine import ImportOptions, run_import
from imports.jobs.models import ImportJob
from imports.jobs.undo import Verdict, preview_undo, undo_import
from tests.conftest import csv_bytes, make_row
from tests.imports.command_support import run_command
from tests.imports.fault_support import failing_statement
from training.models import Intervention, Room

pytestmark = pytest.mark.usefixtures("media")


def snapshot() -> dict:
    """Every field of every intervention and room."""
    interventions = {row["guid"]: row for row in Intervention.objects.values().order_by("guid")}
    rooms = {row["guid"]: row for row in Room.objects.values().order_by("guid")}
    return {"interventions": interventions, "rooms": rooms}


def imported(rows: list[dict], name: str = "file.csv") -> ImportJob:
    """A committed import of ``rows``, kept in the history as the command keeps it."""
    data = csv_bytes(rows)
    result = run_import(data, name)
    assert result.committed and not result.errors, result.errors + result.file_errors
    return record_job(Path(name), data, "0" * 64, result)


def call(*args: str) -> tuple[int, str, str]:
    return run_command("undo_import", *args)


def existing_rows() -> list[dict]:
    return [
        make_row(interventionGuid="IV-1", interventionDate="2027-03-01T09:00:00"),
        make_row(interventionGuid="IV-2", sessionGuid="SE-2", teacherLogin="asmith"),
        make_row(
            interventionGuid="IV-3", roomGuid="R-102", roomLabel="Room 102", roomCapacity="12"
        ),
        make_row(interventionGuid="IV-4", interventionStatus="A"),
    ]


@pytest.fixture
def before(demo):
    """A first import, then the snapshot that an undo of the second must give back."""
    imported(existing_rows(), "first.csv")
    return snapshot()


def second_import() -> ImportJob:
    """Creates one intervention and a room, updates the date of one, the room of another,
    the teacher of a third and the status of a fourth, and relabels a room."""
    relabelled = {"roomLabel": "Room 101 (B)"}
    new_room = {"roomGuid": "R-NEW", "roomLabel": "New room", "roomCapacity": "8"}
    return imported(
        [
            make_row(interventionGuid="IV-1", interventionDate="2027-04-02T10:00:00", **relabelled),
            make_row(
                interventionGuid="IV-2", sessionGuid="SE-2", teacherLogin="bmartin", **relabelled
            ),
            make_row(interventionGuid="IV-3", **new_room),
            make_row(interventionGuid="IV-4", interventionStatus="C", **relabelled),
            make_row(interventionGuid="IV-5", **new_room),
        ],
        "second.csv",
    )


@pytest.mark.django_db(transaction=True)
def test_undo_gives_back_every_field_of_every_row(before):
    job = second_import()
    assert snapshot() != before
    outcome = undo_import(job)
    assert outcome.verdict is Verdict.DONE
    counts = outcome.counts
    assert (counts.deleted, counts.restored, counts.kept) == (1, 4, 0)
    assert (counts.rooms_deleted, counts.rooms_restored, counts.rooms_kept) == (1, 1, 0)
    after = snapshot()
    for kind in ("interventions", "rooms"):
        assert after[kind].keys() == before[kind].keys()
        for guid, fields in before[kind].items():
            assert after[kind][guid] == fields, (kind, guid)


def test_the_journal_holds_what_the_import_changed(before):
    job = second_import()
    (batch,) = JournalBatch.objects.filter(journal=job.journal)
    assert batch.created == ["IV-5"]
    updated = {guid: values for guid, *values in batch.updated}
    assert set(updated) == {"IV-1", "IV-2", "IV-3", "IV-4"}
    old = before["interventions"]["IV-1"]
    assert updated["IV-1"][1] == old["start"].isoformat()  # the values before, in order
    assert updated["IV-1"][-1] == old["updated_at"].isoformat()
    assert batch.unknown == []
    rooms = {r.guid: r for r in JournalRoom.objects.filter(journal=job.journal)}
    assert rooms["R-NEW"].created and rooms["R-NEW"].written_label == "New room"
    assert (rooms["R-101"].label, rooms["R-101"].written_label) == ("Room 101", "Room 101 (B)")


def test_a_dry_run_writes_nothing_and_reports_the_same_counts(before):
    job = second_import()
    changed = snapshot()
    dry = preview_undo(job)
    assert snapshot() == changed
    real = undo_import(job)
    assert dry.counts.as_dict() == real.counts.as_dict()
    assert dry.dry_run and not real.dry_run


def test_a_row_edited_after_the_import_is_kept_unless_forced(before):
    job = second_import()
    edited = Intervention.objects.get(guid="IV-1")
    edited.duration_minutes = 420
    edited.save()  # as the admin saves it: updated_at moves on
    dry = preview_undo(job)
    assert (dry.counts.kept, dry.counts.kept_guids, dry.verdict) == (1, ["IV-1"], Verdict.PARTLY)
    forced = preview_undo(job, force=True)
    assert (forced.counts.kept, forced.counts.restored) == (0, 4)
    outcome = undo_import(job, force=True)
    assert outcome.verdict is Verdict.DONE
    assert Intervention.objects.get(guid="IV-1").duration_minutes == 180


def test_a_kept_row_keeps_its_created_room(before):
    job = second_import()
    kept = Intervention.objects.get(guid="IV-5")
    kept.status = "C"
    kept.save()
    outcome = undo_import(job)
    assert outcome.counts.kept_guids == ["IV-5"]
    assert outcome.counts.rooms_kept_guids == ["R-NEW"]  # IV-5 still refers to it
    assert Room.objects.filter(guid="R-NEW").exists()
    assert not Intervention.objects.filter(guid="IV-3", room__guid="R-NEW").exists()


def test_a_room_relabelled_since_is_kept(before):
    job = second_import()
    Room.objects.filter(guid="R-101").update(label="Renamed by hand")
    outcome = undo_import(job)
    assert outcome.counts.rooms_kept_guids == ["R-101"]
    assert Room.objects.get(guid="R-101").label == "Renamed by hand"


@pytest.mark.parametrize("order", ["newest first", "oldest first"])
def test_two_imports_undone_in_either_order(before, order):
    second = second_import()
    third = imported(
        [
            make_row(interventionGuid="IV-1", interventionDuration="5"),
            make_row(interventionGuid="IV-6"),
        ],
        "third.csv",
    )
    if order == "newest first":
        assert undo_import(third).verdict is Verdict.DONE
        assert undo_import(second).verdict is Verdict.DONE
        assert snapshot() == before
    else:
        outcome = undo_import(second)  # IV-1 changed since, by the third import: kept
        assert outcome.counts.kept_guids == ["IV-1"]
        assert undo_import(third).verdict is Verdict.DONE
        assert Intervention.objects.get(guid="IV-1").start.isoformat().startswith("2027-04-02")
        assert not Intervention.objects.filter(guid__in=["IV-5", "IV-6"]).exists()


def test_undo_twice_and_undo_of_an_undo_are_refused(before):
    job = second_import()
    first = undo_import(job)
    assert first.verdict is Verdict.DONE
    again = undo_import(job)
    assert again.verdict is Verdict.REFUSED
    assert f"it was undone by job {first.undo_job.pk}" in again.message
    of_undo = undo_import(first.undo_job)
    assert of_undo.verdict is Verdict.REFUSED
    assert f"it is itself the undo of import {job.pk}" in of_undo.message
    job.refresh_from_db()
    assert list(job.undos.values_list("pk", flat=True)) == [first.undo_job.pk]


def test_a_database_error_mid_undo_changes_nothing(before):
    job = second_import()
    changed = snapshot()
    with failing_statement("DELETE", table="training_room"):
        outcome = undo_import(job)
    assert outcome.verdict is Verdict.FAILED
    assert outcome.message.startswith("Database error")
    assert snapshot() == changed
    assert not job.undos.exists()
    assert undo_import(job).verdict is Verdict.DONE  # and it can be done afterwards


def test_a_dry_run_import_keeps_no_journal_and_an_unchanged_one_neither(before):
    journals = Journal.objects.count()
    run_import(csv_bytes(existing_rows()), "again.csv", options=ImportOptions(dry_run=True))
    result = run_import(csv_bytes(existing_rows()), "again.csv")
    assert result.committed and result.unchanged == 4
    assert (result.journal_id, Journal.objects.count()) == (None, journals)


def test_a_strict_import_rolled_back_keeps_no_journal(before):
    rows = [
        make_row(interventionGuid="IV-9"),
        make_row(interventionGuid="IV-10", teacherLogin="nobody"),
    ]
    batches = JournalBatch.objects.count()
    result = run_import(csv_bytes(rows), "strict.csv", options=ImportOptions(strict=True))
    assert not result.committed and result.journal_id is None
    assert JournalBatch.objects.count() == batches


# The command


def test_command_text_json_and_exit_statuses(before):
    job = second_import()
    status, out, _ = call(str(job.pk), "--dry-run")
    assert status == 0
    assert f"Undo of import {job.pk}: 1 deleted, 4 restored, 0 kept (changed since)." in out
    edited = Intervention.objects.get(guid="IV-2")
    edited.duration_minutes = 540
    edited.save()  # changed since
    status, out, err = call(str(job.pk), "--json")
    assert status == 1
    report = json.loads(out)
    assert report == {
        "job": job.pk,
        "dry_run": False,
        "deleted": 1,
        "restored": 3,
        "kept": 1,
        "kept_guids": ["IV-2"],
        "rooms_deleted": 1,
        "rooms_restored": 1,
        "rooms_kept": 0,
        "rooms_kept_guids": [],
        "undo_job": report["undo_job"],
    }
    undo = ImportJob.objects.get(pk=report["undo_job"])
    assert undo.undoes_id == job.pk and undo.undo_counts["kept"] == 1
    status, _, err = call(str(job.pk))
    assert status == 2 and "cannot be undone: it was undone by job" in err
    status, _, err = call(str(undo.pk))
    assert status == 2 and "it is itself the undo of import" in err
    status, _, err = call("999999")
    assert status == 2 and "Import 999999 not found." in err


def test_command_refuses_a_job_that_is_not_a_committed_import(demo):
    failed = ImportJob.objects.create(file_name="x.csv", sha256="", status="failed")
    status, out, err = call(str(failed.pk), "--json")
    assert status == 2
    assert json.loads(out)["error"].endswith("it is not a committed import (failed).")


def test_import_json_gives_the_job_that_undo_takes(demo, tmp_path):
    path = tmp_path / "file.csv"
    path.write_bytes(csv_bytes([make_row(interventionGuid="IV-7")]))
    out = StringIO()
    call_command("import_interventions", str(path), "--json", stdout=out)
    report = json.loads(out.getvalue())
    job = ImportJob.objects.get(pk=report["job"])
    assert job.journal is not None
    status, text, _ = call(str(job.pk))
    assert (status, "1 deleted" in text) == (0, True)
    assert not Intervention.objects.filter(guid="IV-7").exists()


def test_a_dry_run_import_has_no_job_in_its_json(demo, tmp_path):
    path = tmp_path / "file.csv"
    path.write_bytes(csv_bytes([make_row(interventionGuid="IV-8")]))
    out = StringIO()
    call_command("import_interventions", str(path), "--json", "--dry-run", stdout=out)
    assert "job" not in json.loads(out.getvalue())


def test_a_database_error_in_the_command_exits_2(before):
    job = second_import()
    changed = snapshot()
    with failing_statement("INSERT", table="imports_importjob") as calls:  # after the writes
        status, _, err = call(str(job.pk))
    assert calls and status == 2 and "Database error" in err
    assert snapshot() == changed
