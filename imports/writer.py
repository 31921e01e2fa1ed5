"""Write one planned batch: rooms first, then interventions, as bulk upserts on ``guid``."""

from training.models import Intervention, Room

from .lookups import References
from .plan import BatchPlan

INTERVENTION_FIELDS = [
    "session",
    "start",
    "duration_hours",
    "room",
    "teacher",
    "status",
    "updated_at",
]
WRITE_BATCH = 1_000


def write_batch(plan: BatchPlan, refs: References) -> None:
    _write_rooms(plan, refs)
    if plan.interventions:
        Intervention.objects.bulk_create(
            [
                Intervention(
                    guid=p.guid,
                    session_id=p.session_id,
                    start=p.start,
                    duration_hours=p.duration_hours,
                    room_id=refs.rooms[p.room_guid].id,
                    teacher_id=p.teacher_id,
                    status=p.status,
                )
                for p in plan.interventions
            ],
            batch_size=WRITE_BATCH,
            update_conflicts=True,
            unique_fields=["guid"],
            update_fields=INTERVENTION_FIELDS,
        )


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
