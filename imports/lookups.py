"""Resolve the keys a batch of rows names: one query per table per batch, never per row.

Reference tables (trainings, sessions, teachers, rooms) are cached across the batches of one
import; interventions are loaded per batch (each GUID appears once in a valid file).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import F, Lookup, Q

from training.models import Intervention, Room, Session, Teacher, Training

from .cells import ParsedRow
from .fetch import fetch_tuples
from .results import RowChange

CHUNK = 5_000


@dataclass(slots=True)
class RoomState:
    id: int | None
    label: str
    capacity: int | None


@dataclass(slots=True)  # not frozen: built once per existing row, faster
class ExistingIntervention:
    id: int
    session_id: int
    start: dt.datetime
    duration_hours: int
    room_id: int
    teacher_id: int
    status: str


def _chunks(keys: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


class References:
    """What the database holds for the keys of the file, loaded in bulk and kept for the run."""

    def __init__(self) -> None:
        self.training_by_guid: dict[str, int | None] = {}
        self.training_by_path: dict[str, int | None] = {}
        self.session_by_guid: dict[str, tuple[int, int] | None] = {}
        self.sessions_by_title: dict[tuple[int, str], list[tuple[int, str]]] = {}
        self.titles_loaded: set[int] = set()
        self.teacher_by_login: dict[str, int | None] = {}
        self.rooms: dict[str, RoomState | None] = {}

    def load(self, rows: list[ParsedRow]) -> None:
        self._load_trainings(rows)
        self._load_sessions(rows)
        self._load_missing(
            self.teacher_by_login,
            {r.teacher_login for r in rows if r.teacher_login},
            Teacher.objects.order_by().values_list("login", "id"),
            "login",
        )
        self._load_rooms({r.room_guid for r in rows if r.room_guid})

    def _load_missing(self, cache: dict, keys: set, queryset, field: str) -> None:
        missing = [key for key in keys if key not in cache]
        for chunk in _chunks(missing):
            cache.update(dict.fromkeys(chunk))
            cache.update(queryset.filter(**{f"{field}__in": chunk}))

    def _load_trainings(self, rows: list[ParsedRow]) -> None:
        by_guid = Training.objects.order_by().values_list("guid", "id")
        by_path = Training.objects.order_by().values_list("path_code", "id")
        guids = {r.training_guid for r in rows if r.training_guid}
        paths = {r.path_code for r in rows if r.path_code and not r.training_guid}
        self._load_missing(self.training_by_guid, guids, by_guid, "guid")
        self._load_missing(self.training_by_path, paths, by_path, "path_code")

    def _load_sessions(self, rows: list[ParsedRow]) -> None:
        guids = [g for g in {r.session_guid for r in rows if r.session_guid}]
        missing = [g for g in guids if g not in self.session_by_guid]
        for chunk in _chunks(missing):
            self.session_by_guid.update(dict.fromkeys(chunk))
            query = (
                Session.objects.filter(guid__in=chunk)
                .order_by()
                .values_list("guid", "id", "training_id")
            )
            self.session_by_guid.update({guid: (sid, tid) for guid, sid, tid in query})
        trainings = {self.training_of(r) for r in rows if r.session_title and not r.session_guid}
        self._load_titles([t for t in trainings if t is not None and t not in self.titles_loaded])

    def _load_titles(self, training_ids: list[int]) -> None:
        for chunk in _chunks(training_ids):
            self.titles_loaded.update(chunk)
            query = (
                Session.objects.filter(training_id__in=chunk)
                .order_by()
                .values_list("training_id", "title", "id", "guid")
            )
            grouped: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
            for training_id, title, session_id, guid in query:
                grouped[(training_id, title)].append((session_id, guid))
            self.sessions_by_title.update(grouped)

    def _load_rooms(self, guids: set[str]) -> None:
        missing = [g for g in guids if g not in self.rooms]
        for chunk in _chunks(missing):
            self.rooms.update(dict.fromkeys(chunk))
            query = (
                Room.objects.filter(guid__in=chunk)
                .order_by()
                .values_list("guid", "id", "label", "capacity")
            )
            self.rooms.update({g: RoomState(i, lab, cap) for g, i, lab, cap in query})

    def training_of(self, row: ParsedRow) -> int | None:
        if row.training_guid:
            return self.training_by_guid.get(row.training_guid)
        if row.path_code:
            return self.training_by_path.get(row.path_code)
        return None


def load_interventions(guids: list[str]) -> dict[str, ExistingIntervention]:
    found: dict[str, ExistingIntervention] = {}
    for chunk in _chunks(guids):
        query = (
            Intervention.objects.filter(_guid_in(chunk))
            .order_by()
            .values_list(
                "guid",
                "id",
                "session_id",
                "start",
                "duration_hours",
                "room_id",
                "teacher_id",
                "status",
            )
        )
        found.update({row[0]: ExistingIntervention(*row[1:]) for row in fetch_tuples(query)})
    return found


OLD_KEY_NAMES = {
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
            if name in OLD_KEY_NAMES:
                wanted[name].add(old)
    if not wanted:
        return changes
    names = {
        name: dict(model.objects.filter(pk__in=ids).order_by().values_list("pk", attribute))
        for name, (model, attribute) in OLD_KEY_NAMES.items()
        if (ids := wanted.get(name))
    }
    return [(_named(change, names), errors) for change, errors in changes]


def _named(change: RowChange, names: dict[str, dict[int, str]]) -> RowChange:
    if not any(name in names for name, _old, _new in change.changes):
        return change
    named = tuple(
        (name, str(names[name].get(old, old)) if name in names else old, new)
        for name, old, new in change.changes
    )
    return replace(change, changes=named)


class _AnyOf(Lookup):
    """``column = ANY(%s)`` with the keys as one array parameter (PostgreSQL): the statement
    stays small and is not re-parsed for thousands of placeholders at every batch."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]


def _guid_in(keys: list[str]) -> Q | Lookup:
    if connection.vendor == "postgresql":
        return _AnyOf(F("guid"), keys)
    return Q(guid__in=keys)
