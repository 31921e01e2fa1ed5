"""Write one planned batch: rooms first, then interventions, as bulk upserts on ``guid``."""

from django.db import connection
from django.utils import timezone

from training.models import Intervention, Room

from .lookups import References
from .plan import BatchPlan
from .upsert import upsert

INTERVENTION_FIELDS = [
    "session",
    "start",
    "duration_hours",
    "room",
    "teacher",
    "status",
    "updated_at",
]
INSERT_FIELDS = ["guid", *INTERVENTION_FIELDS[:-1], "created_at", "updated_at"]
# On SQLite, an update that keeps session, room and teacher sets only these: SQLite rewrites
# the entries of every index whose column is in the SET list, even when the value stays the
# same (about three times slower per updated row, and the more so as the table grows). SQLite
# serialises writers, so the kept keys cannot have changed since they were read. PostgreSQL
# compares the values itself (HOT updates), and there a concurrent import may have changed a
# key since: every update sets every field, as one of the two serial orders would.
NON_KEY_FIELDS = ["start", "duration_hours", "status", "updated_at"]
WRITE_BATCH = 1_000


def write_batch(plan: BatchPlan, refs: References) -> None:
    _write_rooms(plan, refs)
    if plan.interventions:
        _write_interventions(plan, refs)


def _write_interventions(plan: BatchPlan, refs: References) -> None:
    """One upsert for the batch; on SQLite two: new rows and updates of a key, then the other
    updates (``NON_KEY_FIELDS``). ``created_at`` is only set on insert, as the ORM would."""
    adapt = connection.ops.adapt_datetimefield_value
    now = adapt(timezone.now())
    rows: dict[bool, list[tuple]] = {False: [], True: []}
    narrow = connection.vendor == "sqlite"
    for p in plan.interventions:
        rows[narrow and p.keys_kept].append(
            (
                p.guid,
                p.session_id,
                adapt(p.start),
                p.duration_hours,
                refs.rooms[p.room_guid].id,
                p.teacher_id,
                p.status,
                now,
                now,
            )
        )
    upsert(Intervention, INSERT_FIELDS, rows[False], unique="guid", update=INTERVENTION_FIELDS)
    upsert(Intervention, INSERT_FIELDS, rows[True], unique="guid", update=NON_KEY_FIELDS)


def _write_rooms(plan: BatchPlan, refs: References) -> None:
    guids = sorted(plan.rooms_to_create | plan.rooms_to_update)
    if not guids:
        return
    Room.objects.bulk_create(
        [Room(guid=g, label=refs.rooms[g].label, capacity=refs.rooms[g].capacity) for g in guids],
        batch_size=WRITE_BATCH,
        update_conflicts=True,
        unique_fields=["guid"],
        update_fields=["label", "capacity"],
    )
    created = sorted(plan.rooms_to_create)
    for start in range(0, len(created), WRITE_BATCH):
        chunk = created[start : start + WRITE_BATCH]
        for guid, room_id in Room.objects.filter(guid__in=chunk).values_list("guid", "id"):
            refs.rooms[guid].id = room_id
