"""Decide each row from memory: new / updated / unchanged / error, and the room changes.

Nothing here queries or writes the database: the references are already loaded.
"""

import datetime as dt
from dataclasses import dataclass, field, replace
from operator import attrgetter
from sys import intern
from typing import Any

from imports.parsing import messages
from imports.parsing.cells import ParsedRow
from imports.parsing.date_order import DateOrder
from imports.parsing.derived_keys import duplicate_derived_guid
from imports.parsing.fields import KEY_FIELDS, STORED_FIELDS, STORED_VALUES, StoredField
from imports.parsing.results import Outcome, RoomChange, RowChange, RowError

from .conflicts import Booking
from .missing import MissingScope
from .references import ExistingIntervention, References, RoomState

LINES_KEPT = 20  # the lines kept per room created or changed (RoomChange.lines)


@dataclass(slots=True)  # not frozen: built once per row, faster
class PlannedIntervention:
    """What the row will store: the values of ``fields.STORED_FIELDS`` (``room_id`` is None
    until a room the run creates is written), and what shows a key's new value."""

    guid: str
    session_id: int
    start: dt.datetime
    duration_minutes: int
    room_id: int | None
    teacher_id: int
    status: str
    session_guid: str
    room_guid: str
    teacher_login: str
    keys_kept: bool = False  # an update that keeps session, room and teacher (writer.py)


ACTIVE = "A"  # the status code of an active intervention (cancelled ones never conflict)
ERROR = "ERROR"  # a problem's level that makes its row an error (a WARNING does not)
stored_values = attrgetter(*STORED_VALUES)  # planned or existing: the values in spec order
# What a new row will write, in spec order: a key's GUID or login, the other values.
written_values = attrgetter(*(spec.shown or spec.value for spec in STORED_FIELDS))


@dataclass(slots=True)
class _RoomTrace:
    """A room created or changed: what the database held (None: created) and the lines."""

    old: RoomState | None
    lines: list[int] = field(default_factory=list)
    count: int = 0

    def add(self, line: int) -> None:
        self.count += 1
        if len(self.lines) < LINES_KEPT:
            self.lines.append(line)


@dataclass
class RoomPlan:
    """The rooms this run creates or changes, as planned (label, capacity; ``id`` once
    written), kept apart from the lookup cache (what the database held), across batches."""

    states: dict[str, RoomState] = field(default_factory=dict)
    traces: dict[str, _RoomTrace] = field(default_factory=dict)

    def changes(self) -> list[RoomChange]:
        """The rooms created or changed, as planned, in GUID order."""
        found = []
        for guid in sorted(self.traces):
            trace, state = self.traces[guid], self.states[guid]
            old = trace.old
            found.append(
                RoomChange(
                    guid=guid,
                    label=state.label,
                    capacity=state.capacity,
                    old_label=old.label if old else None,
                    old_capacity=old.capacity if old else None,
                    lines=tuple(trace.lines),
                    line_count=trace.count,
                )
            )
        return found

    def state(self, guid: str, refs: References) -> RoomState | None:
        return self.states.get(guid) or refs.rooms.get(guid)

    def known_ids(self, refs: References) -> dict[str, int]:
        """The ids of the rooms that exist (looked up, or written by this run), by GUID."""
        ids = {guid: state.id for guid, state in refs.rooms.items() if state and state.id}
        ids.update({guid: state.id for guid, state in self.states.items() if state.id})
        return ids

    def id_of(self, guid: str, refs: References) -> int | None:
        state = self.state(guid, refs)
        return state.id if state is not None else None


@dataclass
class FileFacts:
    """What the first pass over the whole file found: lines of repeated keys."""

    total_rows: int = 0
    duplicate_guids: dict[str, list[int]] = field(default_factory=dict)
    room_conflicts: dict[str, list[int]] = field(default_factory=dict)
    long_rows: list[tuple[int, int]] = field(default_factory=list)  # (line, cells), the first few
    long_row_count: int = 0
    date_order: DateOrder | None = None  # no date format: what the slash dates told
    # No date format and no date told the order: the first date that could be either.
    either_date: tuple[int, str] | None = None
    # Schedule conflicts found by a first run, when the policy makes them errors (the run
    # is then done again with those rows as errors: imports/engine/schedule.py).
    conflict_errors: dict[int, list[RowError]] = field(default_factory=dict)
    # The columns the rows' GUIDs are derived from (the file has no GUID column): a duplicate
    # GUID's message names them (``derived_keys``).
    guid_sources: tuple[str, ...] = ()


@dataclass
class BatchPlan:
    changes: list[tuple[RowChange, list[RowError]]] = field(default_factory=list)
    bookings: list[Booking] = field(default_factory=list)  # the valid active rows' slots
    interventions: list[PlannedIntervention] = field(default_factory=list)
    rooms_to_create: set[str] = field(default_factory=set)
    rooms_to_update: set[str] = field(default_factory=set)


def plan_batch(
    parsed: list[tuple[ParsedRow, list[RowError]]],
    refs: References,
    existing: dict[str, ExistingIntervention],
    facts: FileFacts,
    rooms: RoomPlan,
    *,
    describe_new: bool = False,
    scope: MissingScope | None = None,
) -> BatchPlan:
    """Each row's outcome and what to write; ``rooms`` (the run's planned rooms) is updated.
    ``describe_new``: a new row's change lists what it will write (the admin preview). Each
    change comes with its row's problems: an error row's errors (and its warnings), a valid
    row's warnings (a duration over 24 hours). ``scope`` (cancelMissing): each valid row's
    session and start are added to it."""
    plan = BatchPlan()
    for row, cell_errors in parsed:
        notes: list[RowError] = []
        if cell_errors and any(e.level != ERROR for e in cell_errors):  # a row's warnings
            notes = [e for e in cell_errors if e.level != ERROR]
            cell_errors = [e for e in cell_errors if e.level == ERROR]
        errors = cell_errors + reference_errors(row, refs) or file_errors(row, facts)
        if errors:
            plan.changes.append((RowChange(row.line, row.guid, Outcome.ERROR), errors + notes))
            continue
        _plan_room(row, refs, rooms, plan)
        planned = _planned(row, refs, rooms)
        change = _compare(row, planned, existing.get(row.guid), describe_new)
        if planned.status == ACTIVE:
            changed = change.outcome is not Outcome.UNCHANGED
            plan.bookings.append(_booking(row.line, planned, changed))
        if scope is not None:
            scope.add_valid(planned.session_id, planned.start)
        if change.outcome is Outcome.UPDATED:
            planned.keys_kept = not any(name in KEY_FIELDS for name, _, _ in change.changes)
        if change.outcome is not Outcome.UNCHANGED:
            plan.interventions.append(planned)
        plan.changes.append((change, notes))
    return plan


def file_errors(row: ParsedRow, facts: FileFacts) -> list[RowError]:
    """What is wrong with a row only because of other rows of the file. The first pass
    (``facts.file_facts``) compares only rows that are valid on their own, so that a row that
    is wrong anyway never changes another row's outcome."""
    errors = []
    line = row.line
    if row.guid in facts.duplicate_guids:
        lines = ", ".join(str(n) for n in facts.duplicate_guids[row.guid])
        message = messages.DUPLICATE_GUID.format(value=row.guid, lines=lines)
        if facts.guid_sources:
            message = duplicate_derived_guid(row.guid, lines, facts.guid_sources)
        errors.append(RowError(line, message, "interventionGuid", row.guid))
    if row.room_guid in facts.room_conflicts:
        lines = ", ".join(str(n) for n in facts.room_conflicts[row.room_guid])
        message = messages.ROOM_CONFLICT.format(value=row.room_guid, lines=lines)
        errors.append(RowError(line, message, "roomGuid", row.room_guid))
    errors.extend(facts.conflict_errors.get(line, ()))
    return errors


def reference_errors(row: ParsedRow, refs: References) -> list[RowError]:
    """What is wrong with a row's references on its own (``refs`` loaded for the row)."""
    errors = _training_and_session_errors(row, refs)
    line = row.line
    if row.teacher_login and refs.teacher_by_login.get(row.teacher_login) is None:
        message = messages.TEACHER_NOT_FOUND.format(value=row.teacher_login)
        errors.append(RowError(line, message, "teacherLogin", row.teacher_login))
    return errors


def _training_and_session_errors(row: ParsedRow, refs: References) -> list[RowError]:
    line = row.line
    if row.training_guid and refs.training_by_guid.get(row.training_guid) is None:
        message = messages.TRAINING_GUID_NOT_FOUND.format(value=row.training_guid)
        return [RowError(line, message, "trainingGuid", row.training_guid)]
    if not row.training_guid and row.path_code and refs.training_by_path.get(row.path_code) is None:
        message = messages.TRAINING_PATH_CODE_NOT_FOUND.format(value=row.path_code)
        return [RowError(line, message, "trainingPathCode", row.path_code)]
    training_id = refs.training_of(row)
    if training_id is None:
        return []  # no usable training: the cell error is already reported
    if row.session_guid:
        session = refs.session_by_guid.get(row.session_guid)
        if session is None or session[1] != training_id:
            message = messages.SESSION_GUID_NOT_FOUND.format(value=row.session_guid)
            return [RowError(line, message, "sessionGuid", row.session_guid)]
    elif row.session_title:
        matches = refs.sessions_by_title.get((training_id, row.session_title), [])
        if len(matches) != 1:
            template = (
                messages.SESSION_TITLE_NOT_FOUND
                if not matches
                else messages.SESSION_TITLE_AMBIGUOUS
            )
            message = template.format(value=row.session_title, count=len(matches))
            return [RowError(line, message, "sessionTitle", row.session_title)]
    return []


def _session(row: ParsedRow, refs: References) -> tuple[int, str]:
    """The row's session (id, GUID); the row's references were checked (``reference_errors``)."""
    if row.session_guid:
        found = refs.session_by_guid[row.session_guid]
        if found is None:
            raise ValueError(f"line {row.line}: planned with an unknown session")
        return found[0], row.session_guid
    training_id = refs.training_of(row)
    if training_id is None:
        raise ValueError(f"line {row.line}: planned with an unknown training")
    return refs.sessions_by_title[(training_id, row.session_title)][0]


def _planned(row: ParsedRow, refs: References, rooms: RoomPlan) -> PlannedIntervention:
    session_id, session_guid = _session(row, refs)
    teacher_id = refs.teacher_by_login[row.teacher_login]
    if row.start is None or row.duration is None or teacher_id is None:
        raise ValueError(f"line {row.line}: planned with an error")  # errors are checked first
    return PlannedIntervention(
        guid=row.guid,
        session_id=session_id,
        start=row.start,
        duration_minutes=row.duration,
        room_id=rooms.id_of(row.room_guid, refs),
        teacher_id=teacher_id,
        status=row.status,
        session_guid=session_guid,
        room_guid=row.room_guid,
        teacher_login=row.teacher_login,
    )


def _booking(line: int, planned: PlannedIntervention, changed: bool) -> Booking:
    return Booking(
        guid=planned.guid,
        line=line,
        start=planned.start,
        minutes=planned.duration_minutes,
        teacher_id=planned.teacher_id,
        teacher_login=intern(planned.teacher_login),
        room_guid=intern(planned.room_guid),
        changed=changed,
    )


def _plan_room(row: ParsedRow, refs: References, rooms: RoomPlan, plan: BatchPlan) -> None:
    guid = row.room_guid
    trace = rooms.traces.get(guid)
    if trace is not None:
        trace.add(row.line)
    state = rooms.state(guid, refs)
    if state is None:  # a file without labels: a new room is labelled with its GUID
        rooms.states[guid] = RoomState(None, row.room_label or guid, row.room_capacity)
        plan.rooms_to_create.add(guid)
        _trace(rooms, guid, None, row.line)
        return
    capacity = row.room_capacity if row.room_capacity is not None else state.capacity
    label = row.room_label or state.label  # a file without labels keeps a room's label
    if state.label != label or state.capacity != capacity:
        rooms.states[guid] = replace(state, label=label, capacity=capacity)
        if state.id is None:
            plan.rooms_to_create.add(guid)
        else:
            plan.rooms_to_update.add(guid)
        if trace is None:
            _trace(rooms, guid, refs.rooms.get(guid), row.line)


def _trace(rooms: RoomPlan, guid: str, old: RoomState | None, line: int) -> None:
    """Start following a room created (``old`` None) or changed, from its first line."""
    trace = rooms.traces[guid] = _RoomTrace(replace(old) if old else None)
    trace.add(line)


def _compare(
    row: ParsedRow,
    planned: PlannedIntervention,
    old: ExistingIntervention | None,
    describe_new: bool = False,
) -> RowChange:
    """The row's outcome. For an update, ``changes`` holds (field, old, new) for each changed
    ``StoredField``; the old value of a key is its id here, named later
    (``lookups.name_old_keys``), its new value the GUID or login the file gives. A new row
    with ``describe_new`` keeps what it will write (``RowChange.written``)."""
    if old is None:
        written = written_values(planned) if describe_new else None
        return RowChange(row.line, row.guid, Outcome.NEW, written=written)
    old_values, new_values = stored_values(old), stored_values(planned)
    if old_values == new_values:
        return RowChange(row.line, row.guid, Outcome.UNCHANGED)
    changes = tuple(
        (spec.name, *_shown(spec, old_value, new_value, planned))
        for spec, old_value, new_value in zip(STORED_FIELDS, old_values, new_values, strict=True)
        if old_value != new_value
    )
    return RowChange(row.line, row.guid, Outcome.UPDATED, changes)


def _shown(spec: StoredField, old: Any, new: Any, planned: PlannedIntervention) -> tuple[Any, str]:
    if spec.key:
        return old, getattr(planned, spec.shown)
    return _text(old), _text(new)


def _text(value: Any) -> str:
    """A stored value as a preview shows it: times in UTC, ISO 8601."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    return str(value)
