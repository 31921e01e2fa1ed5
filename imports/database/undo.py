"""Take back what one committed import changed, from its journal (``journal_models``).

    journal entries -> the rows as they are now (locked, in GUID order) -> a plan:
    delete (created), restore (updated), keep (changed since) -> the writes

An intervention changed since the import (its ``updated_at`` is not the one the import
wrote: a later import or an edit in the admin) or a room changed since (its label or capacity
is not what the import wrote) is kept, unless ``force``. A room the import created is deleted
only when, after the undo, no intervention refers to it. Planning reads only; the caller
holds the transaction in which the writes happen (``imports/jobs/undo.py``), so that an undo
is all or nothing, and a dry run is the plan alone: the same counts, nothing written.
"""

import datetime as dt
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import Count

from imports.parsing.fields import STORED_FIELDS
from training.models import Intervention, Room

from .fetch import fetch_tuples
from .journal import BEFORE
from .journal_models import JournalBatch, JournalRoom
from .lookups import chunks, guid_in
from .upsert import upsert
from .writer import INSERT_FIELDS, INTERVENTION_FIELDS, MOMENTS, ROOM_FIELDS

CHUNK = 1_000
KEPT_GUIDS_SHOWN = 1_000  # the GUIDs of kept interventions listed, at most
MOMENT_NAMES = {*(f.value for f in STORED_FIELDS if f.moment), "updated_at"}
# What is read of an intervention now: enough to tell a change, to restore it, to count rooms.
NOW = ["guid", "id", "room_id", "created_at", "updated_at"]


@dataclass
class UndoCounts:
    """What an undo does (or, in a dry run, would do); the counts of interventions first."""

    deleted: int = 0
    restored: int = 0
    kept: int = 0
    kept_guids: list[str] = field(default_factory=list)
    rooms_deleted: int = 0
    rooms_restored: int = 0
    rooms_kept: int = 0
    rooms_kept_guids: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not (self.kept or self.rooms_kept)

    def keep(self, guid: str) -> None:
        self.kept += 1
        if len(self.kept_guids) < KEPT_GUIDS_SHOWN:
            self.kept_guids.append(guid)

    def keep_room(self, guid: str) -> None:
        self.rooms_kept += 1
        self.rooms_kept_guids.append(guid)

    def as_dict(self) -> dict[str, Any]:
        return {
            "deleted": self.deleted,
            "restored": self.restored,
            "kept": self.kept,
            "kept_guids": list(self.kept_guids),
            "rooms_deleted": self.rooms_deleted,
            "rooms_restored": self.rooms_restored,
            "rooms_kept": self.rooms_kept,
            "rooms_kept_guids": list(self.rooms_kept_guids),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "UndoCounts":
        names = cls.__dataclass_fields__
        return cls(**{name: value for name, value in data.items() if name in names})


@dataclass
class _Plan:
    counts: UndoCounts = field(default_factory=UndoCounts)
    delete_ids: list[int] = field(default_factory=list)
    restore_rows: list[tuple] = field(default_factory=list)  # writer.INSERT_FIELDS values
    leaving: dict[int, int] = field(default_factory=dict)  # room id -> rows leaving it
    delete_room_ids: list[int] = field(default_factory=list)
    restore_rooms: list[tuple] = field(default_factory=list)  # writer.ROOM_FIELDS values


def undo_journal(journal_id: int, *, dry_run: bool, force: bool = False) -> UndoCounts:
    """Undo the journal's import (inside the caller's transaction); with ``dry_run``, only
    say what it would do. ``force``: restore and delete what changed since, too."""
    lock = not dry_run
    plan = _Plan()
    for chunk in chunks(_entries(journal_id), CHUNK):
        _plan_interventions(plan, chunk, lock=lock, force=force)
    _plan_rooms(plan, journal_id, lock=lock, force=force)
    if not dry_run:
        _write(plan)
    return plan.counts


def _entries(journal_id: int) -> list[tuple]:
    """The journal's interventions in GUID order: (guid, created, before known, written at,
    values before (None for a created one))."""
    entries: list[tuple] = []
    batches = JournalBatch.objects.filter(journal_id=journal_id).order_by("pk")
    for written_at, created, updated, unknown in batches.values_list(
        "written_at", "created", "updated", "unknown"
    ):
        entries += [(guid, True, True, written_at, None) for guid in created]
        entries += [(guid, False, False, written_at, None) for guid in unknown]
        entries += [(guid, False, True, written_at, _values(before)) for guid, *before in updated]
    return sorted(entries, key=itemgetter(0))


def _values(before: list[Any]) -> list[Any]:
    """The values before as stored (``journal.BEFORE``), date-times parsed back."""
    return [
        dt.datetime.fromisoformat(value) if name in MOMENT_NAMES and value else value
        for name, value in zip(BEFORE, before, strict=True)
    ]


def _plan_interventions(plan: _Plan, entries: list[tuple], *, lock: bool, force: bool) -> None:
    """Decide each entry of the chunk from the row as it is now (locked for a real undo:
    nothing changes it before the undo commits)."""
    now = _current([entry[0] for entry in entries], lock=lock)
    counts = plan.counts
    for guid, created, before_known, written_at, before in entries:
        row = now.get(guid)
        if row is None:
            if not created:  # deleted since: nothing to put back into
                counts.keep(guid)
            continue
        row_id, room_id, created_at, updated_at = row
        if not before_known or (updated_at != written_at and not force):
            counts.keep(guid)
            continue
        plan.leaving[room_id] = plan.leaving.get(room_id, 0) + 1
        if created:
            plan.delete_ids.append(row_id)
            counts.deleted += 1
        else:
            plan.restore_rows.append(_restored(guid, before, created_at))
            counts.restored += 1


def _current(guids: list[str], *, lock: bool) -> dict[str, tuple]:
    query = Intervention.objects.filter(guid_in(guids)).order_by()
    if lock and connection.vendor == "postgresql":
        query = query.select_for_update().order_by("guid")  # deleted or updated: FOR UPDATE
    return {row[0]: tuple(row[1:]) for row in fetch_tuples(query.values_list(*NOW))}


def _restored(guid: str, before: list[Any], created_at: dt.datetime) -> tuple:
    """The row as it was, ready for the upsert (``writer.INSERT_FIELDS``)."""
    adapt = connection.ops.adapt_datetimefield_value
    values = list(before[:-1])
    for index in MOMENTS:
        values[index] = adapt(values[index])
    return (guid, *values, adapt(created_at), adapt(before[-1]))


def _plan_rooms(plan: _Plan, journal_id: int, *, lock: bool, force: bool) -> None:
    entries = list(
        JournalRoom.objects.filter(journal_id=journal_id)
        .order_by("guid")
        .values_list("guid", "created", "label", "capacity", "written_label", "written_capacity")
    )
    if not entries:
        return
    rooms = Room.objects.filter(guid__in=[entry[0] for entry in entries]).order_by("guid")
    if lock and connection.vendor == "postgresql":
        rooms = rooms.select_for_update()
    now = {
        guid: (room_id, label, capacity)
        for guid, room_id, label, capacity in rooms.values_list("guid", "id", "label", "capacity")
    }
    used = _references(plan, [now[e[0]][0] for e in entries if e[1] and e[0] in now])
    counts = plan.counts
    for guid, created, label, capacity, written_label, written_capacity in entries:
        if guid not in now:
            if not created:
                counts.keep_room(guid)
            continue
        room_id, label_now, capacity_now = now[guid]
        changed = (label_now, capacity_now) != (written_label, written_capacity)
        if (changed and not force) or (created and used.get(room_id)):
            counts.keep_room(guid)
        elif created:
            plan.delete_room_ids.append(room_id)
            counts.rooms_deleted += 1
        else:
            plan.restore_rooms.append((guid, label, capacity))
            counts.rooms_restored += 1


def _references(plan: _Plan, room_ids: list[int]) -> dict[int, int]:
    """How many interventions will still refer to each room after the undo."""
    if not room_ids:
        return {}
    by_room = (
        Intervention.objects.filter(room_id__in=room_ids)
        .order_by()
        .values_list("room_id")
        .annotate(count=Count("id"))
    )
    return {room_id: count - plan.leaving.get(room_id, 0) for room_id, count in by_room}


def _write(plan: _Plan) -> None:
    """Restore first (rows move back to their rooms), then delete, then the rooms."""
    upsert(
        Intervention,
        INSERT_FIELDS,
        plan.restore_rows,
        unique="guid",
        update=INTERVENTION_FIELDS,
    )
    for chunk in chunks(plan.delete_ids, CHUNK):
        Intervention.objects.filter(id__in=chunk).delete()
    upsert(Room, ROOM_FIELDS, plan.restore_rooms, unique="guid", update=ROOM_FIELDS[1:])
    for chunk in chunks(plan.delete_room_ids, CHUNK):
        Room.objects.filter(id__in=chunk).delete()
