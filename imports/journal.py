"""Keep what a real run changes, in its transaction, so that it can be undone (``undo``).

A real run's first write starts its ``Journal``; the engine adds each written batch's
interventions (one bulk insert per batch: COPY on PostgreSQL) and, at the end, the rooms the
run created or changed. What is kept comes from what the run read anyway: the values before
are the rows the plan compared with (``lookups.load_interventions``), the rooms' the lookup
cache's (``plan.RoomPlan``). Rolled back with the run when it is.
"""

from collections.abc import Iterator

from django.db import connection

from .fields import STORED_VALUES
from .journal_models import Journal, JournalIntervention, JournalRoom
from .plan import BatchPlan, RoomPlan
from .references import ExistingIntervention
from .results import Outcome
from .upsert import insert
from .writer import Written

ENTRY_FIELDS = [
    "journal_id",
    "guid",
    "created",
    "before_known",
    "written_at",
    *STORED_VALUES,
    "updated_at",
]
ROOM_ENTRY_FIELDS = [
    "journal_id",
    "guid",
    "created",
    "label",
    "capacity",
    "written_label",
    "written_capacity",
]
NOTHING_BEFORE = (None,) * (len(STORED_VALUES) + 1)


def record_batch(
    journal_id: int | None,
    plan: BatchPlan,
    *,
    existing: dict[str, ExistingIntervention],
    written: Written,
) -> int | None:
    """Keep the batch's written interventions: created, or updated with the values before.
    The run's journal is started by its first write (``journal_id`` None until then): a run
    that writes nothing writes no journal either. Returns the journal's id."""
    if written.at is None:
        return journal_id
    journal_id = journal_id or _start()
    insert(JournalIntervention, ENTRY_FIELDS, _entries(journal_id, plan, existing, written))
    return journal_id


def _start() -> int:
    return Journal.objects.create().pk


def _entries(
    journal_id: int,
    plan: BatchPlan,
    existing: dict[str, ExistingIntervention],
    written: Written,
) -> Iterator[tuple]:
    adapt = connection.ops.adapt_datetimefield_value
    at = adapt(written.at)
    for planned in plan.interventions:
        done = written.outcomes.get(planned.guid) if written.reported else None
        if done is Outcome.UNCHANGED:  # another import wrote these very values meanwhile
            continue
        old = existing.get(planned.guid)
        if old is not None:
            yield (journal_id, planned.guid, False, True, at, *_before(old))
        else:  # planned as new; updated: another import created it meanwhile, unread
            created = done is not Outcome.UPDATED
            yield (journal_id, planned.guid, created, created, at, *NOTHING_BEFORE)


def _before(old: ExistingIntervention) -> tuple:
    adapt = connection.ops.adapt_datetimefield_value
    return (
        old.session_id,
        adapt(old.start),
        old.duration_hours,
        old.room_id,
        old.teacher_id,
        old.status,
        adapt(old.updated_at),
    )


def record_rooms(journal_id: int | None, rooms: RoomPlan) -> int | None:
    """Keep the rooms the run created or changed: before and as written. Returns the
    journal's id (None: the run wrote nothing)."""
    if not rooms.traces:
        return journal_id
    journal_id = journal_id or _start()
    entries = []
    for guid in sorted(rooms.traces):
        old, state = rooms.traces[guid].old, rooms.states[guid]
        before = (old.label, old.capacity) if old is not None else ("", None)
        entries.append((journal_id, guid, old is None, *before, state.label, state.capacity))
    insert(JournalRoom, ROOM_ENTRY_FIELDS, entries)
    return journal_id
