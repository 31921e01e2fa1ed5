"""Resolve the keys a batch of rows names: one query per table per batch, never per row.

Reference tables (trainings, sessions, teachers, rooms) are cached across the batches of one
import; interventions are loaded per batch (each GUID appears once in a valid file).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from django.db import connection
from django.db.models import F, Lookup, Max, Model, Q, QuerySet

from imports.parsing.cells import ParsedRow
from imports.parsing.fields import STORED_VALUES
from imports.parsing.results import RowChange
from imports.planning.conflicts import Booking
from imports.planning.references import ExistingIntervention, References, RoomState
from imports.planning.suggestions import TEACHER, TRAINING_GUID, TRAINING_PATH, Pool
from training.models import Intervention, Room, Session, Teacher, Training

from .fetch import fetch_tuples

CHUNK = 5_000
# Above this share of the teachers and rooms (summed), the bookings query reads the table
# through rather than by the teacher and room indexes (SQLite, ``_broad``): the rule of
# thumb past which an index read costs more than a scan.
BROAD_SHARE = 0.1


def chunks(keys: list, size: int = CHUNK) -> Iterable[list]:
    """``keys`` in slices of ``size``."""
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def load_references(refs: References, rows: list[ParsedRow]) -> None:
    """Fill ``refs`` with what the database holds for the keys of ``rows`` (those not yet
    looked up): one query per table (and per 5,000 keys)."""
    _load_trainings(refs, rows)
    _load_sessions(refs, rows)
    _load_missing(
        refs.teacher_by_login,
        {r.teacher_login for r in rows if r.teacher_login},
        Teacher.objects.order_by().values_list("login", "id"),
        "login",
    )
    _load_rooms(refs, {r.room_guid for r in rows if r.room_guid})


def _load_missing(cache: dict[Any, Any], keys: set[str], queryset: QuerySet, field: str) -> None:
    missing = [key for key in keys if key not in cache]
    for chunk in chunks(missing):
        cache.update(dict.fromkeys(chunk))
        cache.update(queryset.filter(**{f"{field}__in": chunk}))


def _load_trainings(refs: References, rows: list[ParsedRow]) -> None:
    by_guid = Training.objects.order_by().values_list("guid", "id")
    by_path = Training.objects.order_by().values_list("path_code", "id")
    guids = {r.training_guid for r in rows if r.training_guid}
    paths = {r.path_code for r in rows if r.path_code and not r.training_guid}
    _load_missing(refs.training_by_guid, guids, by_guid, "guid")
    _load_missing(refs.training_by_path, paths, by_path, "path_code")


def _load_sessions(refs: References, rows: list[ParsedRow]) -> None:
    guids = [g for g in {r.session_guid for r in rows if r.session_guid}]
    missing = [g for g in guids if g not in refs.session_by_guid]
    for chunk in chunks(missing):
        refs.session_by_guid.update(dict.fromkeys(chunk))
        query = (
            Session.objects.filter(guid__in=chunk)
            .order_by()
            .values_list("guid", "id", "training_id")
        )
        refs.session_by_guid.update({guid: (sid, tid) for guid, sid, tid in query})
    trainings = {refs.training_of(r) for r in rows if r.session_title and not r.session_guid}
    _load_titles(refs, [t for t in trainings if t is not None and t not in refs.titles_loaded])


def _load_titles(refs: References, training_ids: list[int]) -> None:
    for chunk in chunks(training_ids):
        refs.titles_loaded.update(chunk)
        query = (
            Session.objects.filter(training_id__in=chunk)
            .order_by()
            .values_list("training_id", "title", "id", "guid")
        )
        grouped: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
        for training_id, title, session_id, guid in query:
            grouped[(training_id, title)].append((session_id, guid))
        refs.sessions_by_title.update(grouped)


def _load_rooms(refs: References, guids: set[str]) -> None:
    missing = [g for g in guids if g not in refs.rooms]
    for chunk in chunks(missing):
        refs.rooms.update(dict.fromkeys(chunk))
        query = (
            Room.objects.filter(guid__in=chunk)
            .order_by()
            .values_list("guid", "id", "label", "capacity")
        )
        refs.rooms.update({g: RoomState(i, lab, cap) for g, i, lab, cap in query})


def room_label(guid: str) -> str | None:
    """The stored label of the room ``guid``, None when there is no such room."""
    return Room.objects.filter(guid=guid).values_list("label", flat=True).first()


def load_interventions(guids: list[str], lock: bool = False) -> dict[str, ExistingIntervention]:
    """The stored interventions of ``guids``; ``lock`` (a real run): with their time stamp
    (the undo journal keeps it), and on PostgreSQL locked until the transaction ends (``FOR NO
    KEY UPDATE``, in GUID order), so that another import waits for this one before changing
    them, and this one reads them as committed."""
    found: dict[str, ExistingIntervention] = {}
    stamped = ("updated_at",) if lock else ()
    lock = lock and connection.vendor == "postgresql"
    for chunk in chunks(guids):
        query = Intervention.objects.filter(guid_in(chunk)).order_by()
        if lock:
            query = query.select_for_update(no_key=True).order_by("guid")
        query = query.values_list("guid", "id", *STORED_VALUES, *stamped)  # in its order
        found.update({row[0]: ExistingIntervention(*row[1:]) for row in fetch_tuples(query)})
    return found


def load_bookings(
    file: list[Booking],
    *,
    room_ids: dict[str, int],
    written_at: Sequence[dt.datetime] = (),
    excluded: frozenset[str] = frozenset(),
) -> list[Booking]:
    """The database's active interventions that may overlap the file's bookings (same teacher
    or same room, within their time span), but for those the file gives (they are judged
    where the file puts them). ``room_ids``: the ids of the file's rooms that exist;
    ``written_at``: the time stamps this run wrote with, whose rows are left out in the query
    (they are the file's own: a large import does not read back what it just wrote);
    ``excluded``: GUIDs left out too (cancelled as missing by this run).

    Without joins: a stored booking's room is named by the file's GUID for it, or ``#id`` for
    a room the file does not name."""
    if not file:
        return []
    in_file = {booking.guid for booking in file} | excluded
    first, last = min(b.start for b in file), max(b.end for b in file)
    active = Intervention.objects.filter(status=Intervention.Status.ACTIVE).order_by()
    longest = active.aggregate(minutes=Max("duration_minutes"))["minutes"] or 0
    near = active.filter(start__lt=last, start__gt=first - dt.timedelta(minutes=longest))
    if written_at:
        near = near.exclude(updated_at__in=written_at)
    teachers = sorted({b.teacher_id for b in file})
    rooms = sorted({room_ids[b.room_guid] for b in file if b.room_guid in room_ids})
    guid_of_room = {room_id: guid for guid, room_id in room_ids.items()}
    # First the ids and GUIDs alone (no time to convert), then the whole rows of those the
    # file does not give: a re-import reads almost nothing twice.
    if _broad(teachers, rooms):
        teacher_set, room_set = set(teachers), set(rooms)
        wanted = [
            pk
            for pk, guid, teacher_id, room_id in near.values_list(
                "pk", "guid", "teacher_id", "room_id"
            )
            if (teacher_id in teacher_set or room_id in room_set) and guid not in in_file
        ]
    else:
        wanted = [
            pk
            for condition in _booking_conditions(teachers, rooms)
            for pk, guid in near.filter(condition).values_list("pk", "guid")
            if guid not in in_file
        ]
    columns = ("guid", "start", "duration_minutes", "teacher_id", "room_id")
    found: dict[str, Booking] = {}
    for chunk in chunks(sorted(set(wanted))):
        rows = fetch_tuples(
            Intervention.objects.filter(pk__in=chunk).order_by().values_list(*columns)
        )
        for guid, start, minutes, teacher_id, room_id in rows:
            room = guid_of_room.get(room_id) or f"#{room_id}"
            found[guid] = Booking(guid, None, start, minutes, teacher_id, "", room)
    return list(found.values())


def _broad(teachers: list[int], rooms: list[int]) -> bool:
    """Whether the file's teachers and rooms are so large a share of them all that reading
    the table through costs less than reading their rows by index (``BROAD_SHARE``). Asked
    on SQLite only: it keeps no statistics (unless ``ANALYZE`` ran) and reads ``teacher IN …
    OR room IN …`` through both indexes whatever their share of the table, row by row (at
    a million rows: 6.2 s against 0.4 s for the table read through, docs/performance.md);
    PostgreSQL's planner weighs that itself."""
    if connection.vendor != "sqlite":
        return False
    share = len(teachers) / max(Teacher.objects.count(), 1)
    share += len(rooms) / max(Room.objects.count(), 1)
    return share > BROAD_SHARE


def _booking_conditions(teachers: list[int], rooms: list[int]) -> Iterable[Q]:
    """``teacher in … or room in …``: once when both lists are small, else chunk by chunk."""
    if len(teachers) <= CHUNK and len(rooms) <= CHUNK:
        yield Q(teacher_id__in=teachers) | Q(room_id__in=rooms)
        return
    for chunk in chunks(teachers):
        yield Q(teacher_id__in=chunk)
    for chunk in chunks(rooms):
        yield Q(room_id__in=chunk)


# How the old id of each key field (``fields.KEY_FIELDS``) is named in a preview.
OLD_KEY_NAMES: dict[str, tuple[type[Model], str]] = {
    "session": (Session, "guid"),
    "room": (Room, "guid"),
    "teacher": (Teacher, "login"),
}


def name_old_keys(changes: list[tuple[RowChange, list]]) -> list[tuple[RowChange, list]]:
    """Replace the old ids of session, room and teacher in updates by their GUID or login:
    one query per table per batch, and none when nothing is updated (a re-import)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for change, _ in changes:
        for name, old, _new in change.changes:
            if name in OLD_KEY_NAMES and isinstance(old, int):
                wanted[name].add(old)
    if not wanted:
        return changes
    names = {
        name: dict(
            model._default_manager.filter(pk__in=ids).order_by().values_list("pk", attribute)
        )
        for name, (model, attribute) in OLD_KEY_NAMES.items()
        if (ids := wanted.get(name))
    }
    return [(_named(change, names), errors) for change, errors in changes]


def _named(change: RowChange, names: dict[str, dict[int, str]]) -> RowChange:
    if not any(name in names for name, _old, _new in change.changes):
        return change
    named = tuple((name, _name_of(names.get(name), old), new) for name, old, new in change.changes)
    return replace(change, changes=named)


def _name_of(names: dict[int, str] | None, old: str | int) -> str | int:
    """A key's old id as its GUID or login (the id itself when it is gone)."""
    if names is None or not isinstance(old, int):
        return old
    return str(names.get(old, old))


class _AnyOf(Lookup):
    """``column = ANY(%s)`` with the keys as one array parameter (PostgreSQL): the statement
    stays small and is not re-parsed for thousands of placeholders at every batch."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]


def guid_in(keys: list[str]) -> Q | Lookup:
    if connection.vendor == "postgresql":
        return _AnyOf(F("guid"), keys)
    return Q(guid__in=keys)


class SuggestionCandidates:
    """The existing values that a key not found may be close to (``suggestions``): each table
    read once per run, and only when one of its values was not found; one training's
    sessions read once, the first time a session of that training is not found."""

    def __init__(self) -> None:
        self._tables: dict[str, Pool] = {}
        self._sessions: dict[tuple[int, bool], Pool] = {}

    def of(self, code: str) -> Pool:
        if code not in self._tables:
            model, field = SUGGESTION_TABLES[code]
            query = model._default_manager.order_by().exclude(**{f"{field}__isnull": True})
            self._tables[code] = Pool.of(list(query.values_list(field, flat=True)))
        return self._tables[code]

    def sessions(self, training_id: int, *, by_title: bool) -> Pool:
        key = (training_id, by_title)
        if key not in self._sessions:
            field = "title" if by_title else "guid"
            query = Session.objects.order_by().filter(training_id=training_id)
            self._sessions[key] = Pool.of(list(query.values_list(field, flat=True)))
        return self._sessions[key]


SUGGESTION_TABLES: dict[str, tuple[type[Model], str]] = {
    TRAINING_GUID: (Training, "guid"),
    TRAINING_PATH: (Training, "path_code"),
    TEACHER: (Teacher, "login"),
}
