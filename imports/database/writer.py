"""Write one planned batch: rooms first, then interventions, as bulk upserts on ``guid``.

On PostgreSQL the writes also say what they did (``RETURNING``, ``upsert.Reported``): a row
planned as new that another import inserted meanwhile (its transaction committed while this
one waited for the row) was in fact updated, or left as it was; the engine then counts what
was done, not what was planned (``Written``).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from imports.parsing.fields import STORED_FIELDS
from imports.parsing.results import Outcome
from imports.planning.plan import BatchPlan, RoomPlan, stored_values
from imports.planning.references import References
from training.models import Intervention, Room

from .upsert import Reported, upsert

# The fields written (``fields.STORED_FIELDS``, in their order) and the time stamps.
INTERVENTION_FIELDS = [*(f.name for f in STORED_FIELDS), "updated_at"]
INSERT_FIELDS = ["guid", *INTERVENTION_FIELDS[:-1], "created_at", "updated_at"]
MOMENTS = [index for index, f in enumerate(STORED_FIELDS) if f.moment]  # adapted for the driver
# On SQLite, an update that keeps session, room and teacher sets only these: SQLite rewrites
# the entries of every index whose column is in the SET list, even when the value stays the
# same (about three times slower per updated row, and the more so as the table grows). SQLite
# serialises writers, so the kept keys cannot have changed since they were read. PostgreSQL
# compares the values itself (HOT updates), and there a concurrent import may have changed a
# key since: every update sets every field, as one of the two serial orders would.
NON_KEY_FIELDS = [*(f.name for f in STORED_FIELDS if not f.key), "updated_at"]
WRITE_BATCH = 1_000
STORED_NAMES = [f.name for f in STORED_FIELDS]
ROOM_FIELDS = ["guid", "label", "capacity"]


@dataclass
class Written:
    """What a batch's writes did: the time stamp of its interventions (None: it wrote none);
    on PostgreSQL (``reported``) the outcome of each intervention written, by GUID, and the
    rooms created and updated."""

    at: dt.datetime | None = None
    reported: bool = False
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    rooms_created: int = 0
    rooms_updated: int = 0


def write_batch(plan: BatchPlan, *, rooms: RoomPlan, refs: References) -> Written:
    """Write the batch; returns what it did, with the time stamp its interventions were
    written with: the schedule check leaves out what this run wrote (imports/engine/schedule.py)."""
    written = Written(reported=connection.vendor == "postgresql")
    _write_rooms(plan, rooms, written)
    if not plan.interventions:
        return written
    written.at = timezone.now()
    done = _write_interventions(plan, rooms, refs, now=written.at, report=written.reported)
    if written.reported:
        written.outcomes = {p.guid: _outcome(done.get(p.guid)) for p in plan.interventions}
    return written


def _outcome(inserted: bool | None) -> Outcome:
    if inserted is None:  # not written: it held the same values already
        return Outcome.UNCHANGED
    return Outcome.NEW if inserted else Outcome.UPDATED


def _write_interventions(
    plan: BatchPlan, rooms: RoomPlan, refs: References, *, now: dt.datetime, report: bool
) -> dict[str, bool]:
    """One upsert for the batch; on SQLite two: new rows and updates of a key, then the other
    updates (``NON_KEY_FIELDS``). ``created_at`` is only set on insert, as the ORM would."""
    adapt = connection.ops.adapt_datetimefield_value
    stamp = adapt(now)
    rows: dict[bool, list[tuple]] = {False: [], True: []}
    narrow = connection.vendor == "sqlite"
    for p in plan.interventions:
        if p.room_id is None:  # a room this run created: written just before
            p.room_id = rooms.id_of(p.room_guid, refs)
        values = list(stored_values(p))
        for index in MOMENTS:
            values[index] = adapt(values[index])
        rows[narrow and p.keys_kept].append((p.guid, *values, stamp, stamp))
    reported = Reported(compare=STORED_NAMES) if report else None
    done = upsert(
        Intervention,
        INSERT_FIELDS,
        rows[False],
        unique="guid",
        update=INTERVENTION_FIELDS,
        report=reported,
    )
    upsert(Intervention, INSERT_FIELDS, rows[True], unique="guid", update=NON_KEY_FIELDS)
    return done


def _write_rooms(plan: BatchPlan, rooms: RoomPlan, written: Written) -> None:
    guids = sorted(plan.rooms_to_create | plan.rooms_to_update)  # in GUID order: no deadlock
    if not guids:
        return
    states = rooms.states
    values = [(g, states[g].label, states[g].capacity) for g in guids]
    report = Reported(compare=ROOM_FIELDS[1:]) if written.reported else None
    done = upsert(Room, ROOM_FIELDS, values, unique="guid", update=ROOM_FIELDS[1:], report=report)
    written.rooms_created = sum(done.values())
    written.rooms_updated = len(done) - written.rooms_created
    created = sorted(plan.rooms_to_create)
    for start in range(0, len(created), WRITE_BATCH):
        chunk = created[start : start + WRITE_BATCH]
        for guid, room_id in Room.objects.filter(guid__in=chunk).values_list("guid", "id"):
            states[guid].id = room_id
