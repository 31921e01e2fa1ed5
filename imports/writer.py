"""Write one planned batch: rooms first, then interventions, as bulk upserts on ``guid``."""

import datetime as dt

from django.db import connection
from django.utils import timezone

from training.models import Intervention, Room

from .fields import STORED_FIELDS
from .plan import BatchPlan, RoomPlan, stored_values
from .references import References
from .upsert import upsert

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


def write_batch(plan: BatchPlan, *, rooms: RoomPlan, refs: References) -> dt.datetime | None:
    """Write the batch; returns the time stamp its interventions were written with (None when
    it wrote none): the schedule check leaves out what this run wrote (imports/schedule.py)."""
    _write_rooms(plan, rooms)
    if not plan.interventions:
        return None
    now = timezone.now()
    _write_interventions(plan, rooms, refs, now=now)
    return now


def _write_interventions(
    plan: BatchPlan, rooms: RoomPlan, refs: References, *, now: dt.datetime
) -> None:
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
    upsert(Intervention, INSERT_FIELDS, rows[False], unique="guid", update=INTERVENTION_FIELDS)
    upsert(Intervention, INSERT_FIELDS, rows[True], unique="guid", update=NON_KEY_FIELDS)


def _write_rooms(plan: BatchPlan, rooms: RoomPlan) -> None:
    guids = sorted(plan.rooms_to_create | plan.rooms_to_update)
    if not guids:
        return
    states = rooms.states
    Room.objects.bulk_create(
        [Room(guid=g, label=states[g].label, capacity=states[g].capacity) for g in guids],
        batch_size=WRITE_BATCH,
        update_conflicts=True,
        unique_fields=["guid"],
        update_fields=["label", "capacity"],
    )
    created = sorted(plan.rooms_to_create)
    for start in range(0, len(created), WRITE_BATCH):
        chunk = created[start : start + WRITE_BATCH]
        for guid, room_id in Room.objects.filter(guid__in=chunk).values_list("guid", "id"):
            states[guid].id = room_id
