"""Outcomes as data: row errors, row outcomes and the result of one import."""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .messages import render


class Outcome(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem: its line in the file, the column (field) when it applies, the value and
    the message. ``level`` is ERROR (the row is skipped) or WARNING (nothing skipped).
    ``code``: the message's stable machine code (``messages.Message``), taken from the message
    when not given; ``parts``: what the message is made of (each a code and its parameters), so
    that a door can say it in another language (``messages.render``); () when not known.
    ``message`` stays the English text: what programs read (``--json``, the error log)."""

    line: int | None
    message: str
    column: str | None = None
    value: str = ""
    level: str = "ERROR"
    code: str = ""
    conflicts_with: str = ""  # a schedule conflict: the other intervention's GUID
    conflicts_with_line: int | None = None  # … and its line, when it is in the file
    suggestion: str = ""  # a key not found: the one existing value close to it (suggestions)
    parts: tuple = ()

    def __post_init__(self) -> None:
        if not self.code:
            object.__setattr__(self, "code", getattr(self.message, "code", ""))
        if not self.parts:
            object.__setattr__(self, "parts", getattr(self.message, "parts", ()))
        object.__setattr__(self, "message", str(self.message))  # a plain text to store

    def as_dict(self) -> dict[str, Any]:
        problem = {
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "level": self.level,
            "code": self.code,
        }
        if self.suggestion:
            problem["suggestion"] = self.suggestion
        if self.conflicts_with:
            problem["conflicts_with"] = self.conflicts_with
            problem["conflicts_with_line"] = self.conflicts_with_line
        return problem

    def translated(self) -> str:
        """The message in the active language (a door's text for a person)."""
        return render(self.parts, self.message)


@dataclass(slots=True)  # not frozen: one per row of a preview, built fast
class RowChange:
    """What happens to one row; for an update, ``changes`` holds (field, old, new) per changed
    field. The old value of session, room and teacher is their id (an int) until
    ``lookups.name_old_keys`` replaces it by their GUID or login. ``written``: for a new row
    of a run that keeps its rows (the admin preview), what it will write, in the order of
    ``fields.STORED_FIELDS`` (session GUID, start, hours, room GUID, teacher login, status)."""

    line: int
    guid: str
    outcome: Outcome
    changes: tuple[tuple[str, str | int, str], ...] = ()
    written: tuple[Any, ...] | None = None


@dataclass(frozen=True, slots=True)
class RoomChange:
    """A room the run creates (``old_label`` None) or changes: its label and capacity before
    (for an update) and after, and the file's lines that describe it (the first
    ``plan.LINES_KEPT``; ``line_count`` of them in all)."""

    guid: str
    label: str
    capacity: int | None
    old_label: str | None
    old_capacity: int | None
    lines: tuple[int, ...]
    line_count: int

    @property
    def created(self) -> bool:
        return self.old_label is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "guid": self.guid,
            "created": self.created,
            "label": self.label,
            "capacity": self.capacity,
            "old_label": self.old_label,
            "old_capacity": self.old_capacity,
            "lines": list(self.lines),
            "line_count": self.line_count,
        }


@dataclass
class ImportResult:
    file_name: str
    dry_run: bool = False
    strict: bool = False
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error_rows: int = 0
    rooms_created: int = 0
    rooms_updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    file_errors: list[RowError] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    # How the file was read, what was found when nothing was chosen: the encoding and the
    # delimiter of a CSV file, the order of its dates ("day" / "month" first, and why)
    read_with: dict[str, str] = field(default_factory=dict)
    # The failing rows as they were in the file (line -> cells), for the error report.
    error_cells: dict[int, list[str]] = field(default_factory=dict)
    # The cells of rows with a warning of their own (a schedule conflict), for the error log.
    warning_cells: dict[int, list[str]] = field(default_factory=dict)
    # Every row's outcome, kept only when asked (the admin preview).
    rows: list[RowChange] = field(default_factory=list)
    # The rooms the run creates or changes, in GUID order (plan.RoomPlan).
    rooms: list[RoomChange] = field(default_factory=list)
    committed: bool = False
    seconds: float = 0.0
    # Rows whose write did otherwise than planned: another import wrote them meanwhile
    # (PostgreSQL; the counts above are what this import did).
    written_meanwhile: int = 0
    # cancelMissing (issue 29): whether it was on; the GUIDs of the interventions cancelled
    # as missing (a dry run: those it would cancel), in GUID order; the scope's active
    # interventions before the import (the guard's share is of them).
    cancel_missing: bool = False
    cancelled_missing: list[str] = field(default_factory=list)
    cancel_missing_scope: int = 0
    # A real run that wrote: the id of its undo journal (imports/database/journal.py); None when it
    # wrote nothing or was rolled back.
    journal_id: int | None = None

    @property
    def usable(self) -> bool:
        return not self.file_errors

    @property
    def total_rows(self) -> int:
        return self.new + self.updated + self.unchanged + self.error_rows

    def restart(self) -> None:
        """Forget what the batches found (the run is done again); keep the file's warnings."""
        self.new = self.updated = self.unchanged = self.error_rows = 0
        self.rooms_created = self.rooms_updated = self.written_meanwhile = 0
        self.errors, self.error_cells, self.warning_cells, self.rows = [], {}, {}, []
        self.rooms, self.journal_id = [], None
        self.cancelled_missing, self.cancel_missing_scope = [], 0

    def count(self, outcome: Outcome, by: int = 1) -> None:
        name = outcome.value if outcome is not Outcome.ERROR else "error_rows"
        setattr(self, name, getattr(self, name) + by)

    def recount(self, planned: Outcome, done: Outcome) -> None:
        """A row counted as ``planned`` was ``done`` otherwise by its write."""
        self.count(planned, by=-1)
        self.count(done)
        self.written_meanwhile += 1

    def as_dict(self) -> dict[str, Any]:
        found = {
            "file": self.file_name,
            "dry_run": self.dry_run,
            "strict": self.strict,
            "committed": self.committed,
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_rows": self.error_rows,
            "rooms_created": self.rooms_created,
            "rooms_updated": self.rooms_updated,
            "errors": [e.as_dict() for e in self.file_errors + self.errors],
            "warnings": [w.as_dict() for w in self.warnings],
            "seconds": round(self.seconds, 3),
        }
        if self.cancel_missing:
            found["cancelled_missing"] = len(self.cancelled_missing)
            found["cancelled_missing_guids"] = list(self.cancelled_missing)
        return found
