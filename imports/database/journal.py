"""Keep what a real run changes, in its transaction, so that it can be undone (``undo``).

A real run's first write starts its ``Journal``; the engine adds each written batch's
interventions (one row per batch: the GUIDs created, the values before of those updated, as
JSON lists) and, at the end, the rooms the run created or changed (one bulk insert). What is
kept comes from what the run read anyway: the values before are the rows the plan compared
with (``lookups.load_interventions``), the rooms' the lookup cache's (``plan.RoomPlan``).
Rolled back with the run when it is.
"""

import datetime as dt
import json

from django.db import connection

from imports.parsing.fields import STORED_VALUES
from imports.parsing.results import Outcome
from imports.planning.plan import BatchPlan, RoomPlan, stored_values
from imports.planning.references import ExistingIntervention

from .journal_models import Journal, JournalBatch, JournalRoom
from .upsert import insert
from .writer import Written

BATCH_FIELDS = ["journal_id", "written_at", "created", "updated", "unknown"]
# What an updated intervention's entry holds after its GUID: the values before, in order.
BEFORE = [*STORED_VALUES, "updated_at"]
ROOM_ENTRY_FIELDS = [
    "journal_id",
    "guid",
    "created",
    "label",
    "capacity",
    "written_label",
    "written_capacity",
]


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
    created, updated, unknown = _entries(plan, existing, written)
    row = (journal_id, _adapt(written.at), _json(created), _json(updated), _json(unknown))
    insert(JournalBatch, BATCH_FIELDS, [row])
    return journal_id


def record_cancelled(
    journal_id: int | None,
    cancelled: list[tuple[str, ExistingIntervention]],
    *,
    written_at: dt.datetime,
) -> int | None:
    """Keep the interventions cancelled as missing (cancelMissing) with their values before,
    as one more batch of updates: an undo restores them as it restores any update."""
    if not cancelled:
        return journal_id
    journal_id = journal_id or _start()
    updated = [[guid, *_before(old)] for guid, old in cancelled]
    row = (journal_id, _adapt(written_at), _json([]), _json(updated), _json([]))
    insert(JournalBatch, BATCH_FIELDS, [row])
    return journal_id


def _start() -> int:
    return Journal.objects.create().pk


def _entries(
    plan: BatchPlan, existing: dict[str, ExistingIntervention], written: Written
) -> tuple[list[str], list[list], list[str]]:
    """The GUIDs created, the updated ones with their values before, the unknown ones."""
    created, updated, unknown = [], [], []
    for planned in plan.interventions:
        done = written.outcomes.get(planned.guid) if written.reported else None
        if done is Outcome.UNCHANGED:  # another import wrote these very values meanwhile
            continue
        old = existing.get(planned.guid)
        if old is not None:
            updated.append([planned.guid, *_before(old)])
        elif done is Outcome.UPDATED:  # planned as new: another import created it meanwhile
            unknown.append(planned.guid)
        else:
            created.append(planned.guid)
    return created, updated, unknown


def _before(old: ExistingIntervention) -> list:
    """The stored values (``BEFORE``) as JSON holds them: date-times in ISO 8601."""
    values = (*stored_values(old), old.updated_at)
    return [value.isoformat() if isinstance(value, dt.datetime) else value for value in values]


def _json(value: list) -> str:
    return json.dumps(value, separators=(",", ":"))


def _adapt(moment: dt.datetime | None) -> object:
    return connection.ops.adapt_datetimefield_value(moment)


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
