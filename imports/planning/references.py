"""The plain data that planning reads: what the database holds for the file's keys, and the
stored values of existing interventions. No model, no query here (``lookups`` fills them),
so that planning (``plan``, ``scan``, ``facts``' checks) never touches the database layer."""

import datetime as dt
from dataclasses import dataclass, field

from imports.parsing.cells import ParsedRow


@dataclass(slots=True)
class RoomState:
    id: int | None
    label: str
    capacity: int | None


@dataclass(slots=True)  # not frozen: built once per existing row, faster
class ExistingIntervention:
    """An intervention as stored: ``id``, then the values of ``fields.STORED_FIELDS``
    (``StoredField.value``), in that order (``lookups.load_interventions`` fetches them so),
    and for a real run its time stamp (``journal``)."""

    id: int
    session_id: int
    start: dt.datetime
    duration_minutes: int
    room_id: int
    teacher_id: int
    status: str
    updated_at: dt.datetime | None = None  # read by a real run only: its undo journal


@dataclass
class References:
    """What the database holds for the keys of the file, loaded in bulk (``lookups``) and kept
    for the run. ``None``: looked up, not found."""

    training_by_guid: dict[str, int | None] = field(default_factory=dict)
    training_by_path: dict[str, int | None] = field(default_factory=dict)
    session_by_guid: dict[str, tuple[int, int] | None] = field(default_factory=dict)
    sessions_by_title: dict[tuple[int, str], list[tuple[int, str]]] = field(default_factory=dict)
    titles_loaded: set[int] = field(default_factory=set)
    teacher_by_login: dict[str, int | None] = field(default_factory=dict)
    rooms: dict[str, RoomState | None] = field(default_factory=dict)

    def training_of(self, row: ParsedRow) -> int | None:
        if row.training_guid:
            return self.training_by_guid.get(row.training_guid)
        if row.path_code:
            return self.training_by_path.get(row.path_code)
        return None
