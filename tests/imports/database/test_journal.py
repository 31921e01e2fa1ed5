"""What the undo journal keeps of a written batch (imports/journal.py), including the rows
another import wrote meanwhile, and that an undo keeps what it has no values before for."""

import datetime as dt

import pytest
from django.utils import timezone

from imports.database.journal import _entries, record_batch
from imports.database.journal_models import Journal, JournalBatch
from imports.database.undo import undo_journal
from imports.database.writer import Written
from imports.parsing.results import Outcome
from imports.planning.plan import BatchPlan, PlannedIntervention
from imports.planning.references import ExistingIntervention
from training.models import Intervention

START = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)
BEFORE = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def planned(guid: str) -> PlannedIntervention:
    return PlannedIntervention(
        guid=guid,
        session_id=1,
        start=START,
        duration_minutes=180,
        room_id=1,
        teacher_id=1,
        status="A",
        session_guid="SE-1",
        room_guid="R-101",
        teacher_login="jdoe",
    )


def test_each_written_row_is_kept_as_what_the_write_did():
    plan = BatchPlan(interventions=[planned(g) for g in ("NEW", "OLD", "MEANWHILE", "SAME")])
    existing = {"OLD": ExistingIntervention(9, 2, START, 5, 2, 3, "C", BEFORE)}
    done = {
        "NEW": Outcome.NEW,
        "OLD": Outcome.UPDATED,
        "MEANWHILE": Outcome.UPDATED,  # planned as new: another import created it meanwhile
        "SAME": Outcome.UNCHANGED,  # … and wrote these very values: nothing to undo
    }
    written = Written(at=timezone.now(), reported=True, outcomes=done)
    created, updated, unknown = _entries(plan, existing, written)
    assert created == ["NEW"]
    assert updated == [["OLD", 2, START.isoformat(), 5, 2, 3, "C", BEFORE.isoformat()]]
    assert unknown == ["MEANWHILE"]


def test_without_a_report_a_row_not_read_before_was_created():
    plan = BatchPlan(interventions=[planned("NEW")])
    created, updated, unknown = _entries(plan, {}, Written(at=timezone.now()))
    assert (created, updated, unknown) == (["NEW"], [], [])


def test_a_batch_that_wrote_nothing_starts_no_journal(db):
    assert record_batch(None, BatchPlan(), existing={}, written=Written()) is None
    assert not Journal.objects.exists()


@pytest.mark.django_db
def test_an_undo_keeps_a_row_it_has_no_values_before_for_even_forced(demo):
    at = timezone.now()
    Intervention.objects.create(
        guid="MEANWHILE",
        session_id=1,
        start=START,
        duration_minutes=180,
        room_id=1,
        teacher_id=1,
        status="A",
    )
    Intervention.objects.filter(guid="MEANWHILE").update(updated_at=at)  # as the import wrote
    journal = Journal.objects.create()
    JournalBatch.objects.create(journal=journal, written_at=at, unknown=["MEANWHILE"])
    for force in (False, True):
        counts = undo_journal(journal.pk, dry_run=False, force=force)
        assert (counts.kept, counts.kept_guids, counts.deleted, counts.restored) == (
            1,
            ["MEANWHILE"],
            0,
            0,
        )
    assert Intervention.objects.filter(guid="MEANWHILE").exists()
