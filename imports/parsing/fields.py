"""The one description of the columns of ``createOrUpdateInterventionAction`` and of what an
import stores: every layer derives what it needs from here.

- ``FIELD_SPECS``: the file's columns (name, kind, limits, mandatory, and the ``ParsedRow``
  attribute that holds the typed value). The header check, the cell parsers
  (``cells.checking_parser``), the fast path (``rows``) and the first pass (``scan``) read it.
- ``STORED_FIELDS``: the intervention's fields an import writes and compares, in one order:
  the lookups fetch them (``values_list``), the plan compares them and names the changes, the
  writer writes them (and, on SQLite, only the non-key ones for an update that keeps its keys).

Adding a column: a ``FieldSpec`` (and a ``ParsedRow`` attribute), a ``StoredField`` when it is
stored, the model field and its migration. docs/architecture.md has the full recipe.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldSpec:
    name: str
    # "key" (<= 40 chars), "text" (<= 255), "date", "duration", "capacity", "status"; ours:
    # "time" (a time of day), "end" (a time of day or a date-time), "end date"
    kind: str
    mandatory: bool
    attribute: str  # the ParsedRow attribute of its typed value
    seed: bool = True  # one of the seed's twelve columns (else one of ours, issue 27)
    # Mandatory when the file has the column, but the file may not have it: the importer then
    # derives the value (``parsing/derived_keys.py``) and says so (issue 27).
    may_be_absent: bool = False

    @property
    def max_length(self) -> int | None:
        return {"key": 40, "text": 255}.get(self.kind)


FIELD_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("interventionGuid", "key", True, "guid", may_be_absent=True),
    FieldSpec("trainingGuid", "key", False, "training_guid"),
    FieldSpec("trainingPathCode", "text", False, "path_code"),
    FieldSpec("sessionGuid", "key", False, "session_guid"),
    FieldSpec("sessionTitle", "text", False, "session_title"),
    FieldSpec("interventionDate", "date", True, "start"),
    FieldSpec("interventionDuration", "duration", False, "duration"),  # or interventionEndTime
    FieldSpec("roomGuid", "key", True, "room_guid"),
    FieldSpec("roomLabel", "text", True, "room_label", may_be_absent=True),
    FieldSpec("roomCapacity", "capacity", False, "room_capacity"),
    FieldSpec("teacherLogin", "text", True, "teacher_login"),
    FieldSpec("interventionStatus", "status", True, "status"),
    # Ours: a start in two columns, an end instead of a duration (docs/configuration.md).
    FieldSpec("interventionStartTime", "time", False, "start_time", seed=False),
    FieldSpec("interventionEndTime", "end", False, "end", seed=False),
    FieldSpec("interventionEndDate", "end date", False, "end_date", seed=False),
)
FIELDS: dict[str, FieldSpec] = {spec.name: spec for spec in FIELD_SPECS}
FIELD_NAMES: tuple[str, ...] = tuple(FIELDS)
# The seed's twelve columns, in its order: the columns of a file without configuration that
# the export and the header template write.
SEED_FIELD_NAMES: tuple[str, ...] = tuple(spec.name for spec in FIELD_SPECS if spec.seed)
ATTRIBUTES: dict[str, str] = {spec.name: spec.attribute for spec in FIELD_SPECS}
# The columns a file (or a configuration) must have: "Mandatory field X is missing." without.
REQUIRED_COLUMNS: tuple[str, ...] = tuple(
    s.name for s in FIELD_SPECS if s.mandatory and not s.may_be_absent
)
# The columns whose cells may not be empty when the file has them: "Field X is empty.".
MANDATORY_FIELDS: tuple[str, ...] = tuple(s.name for s in FIELD_SPECS if s.mandatory)
# "At least one of" pairs: the first is looked up first (a duration is read, else derived
# from the end).
ONE_OF_PAIRS: tuple[tuple[str, str], ...] = (
    ("trainingGuid", "trainingPathCode"),
    ("sessionGuid", "sessionTitle"),
    ("interventionDuration", "interventionEndTime"),
)
# The pairs whose first column was mandatory alone in the seed: a row lacking both is told
# in that column's turn, where the seed told "Field interventionDuration is empty.".
IN_PLACE_PAIRS = frozenset({("interventionDuration", "interventionEndTime")})
# A column that means nothing without another: the end's date without the end's time.
NEEDS: dict[str, str] = {"interventionEndDate": "interventionEndTime"}
IGNORED_COLUMN = "ignoredColumn"
DEFAULT_ACTIVE_CODE = "A"
DEFAULT_CANCELLED_CODE = "C"


@dataclass(frozen=True)
class StoredField:
    """A field of ``Intervention`` that an import writes and compares.

    ``name``: the model field, also the name of a change in a preview; ``value``: the
    attribute of the stored value on ``ExistingIntervention`` and ``PlannedIntervention`` (the
    id for a foreign key, ``key``), which is also the column fetched. ``shown``: the planned
    attribute shown as the new value of a key (its GUID or login; the old id is named where a
    preview stores its rows, ``lookups.old_key_names``)."""

    name: str
    value: str
    key: bool = False
    shown: str = ""
    moment: bool = False  # a date-time (written through the driver's adapter)
    column: str = ""  # the file's column that gives it (how a preview names it)


STORED_FIELDS: tuple[StoredField, ...] = (
    StoredField("session", "session_id", key=True, shown="session_guid", column="sessionGuid"),
    StoredField("start", "start", moment=True, column="interventionDate"),
    StoredField("duration_minutes", "duration_minutes", column="interventionDuration"),
    StoredField("room", "room_id", key=True, shown="room_guid", column="roomGuid"),
    StoredField("teacher", "teacher_id", key=True, shown="teacher_login", column="teacherLogin"),
    StoredField("status", "status", column="interventionStatus"),
)
# A stored field's name -> the file's column (a preview names a change as the file does).
FILE_COLUMNS: dict[str, str] = {f.name: f.column for f in STORED_FIELDS}
STORED_VALUES: tuple[str, ...] = tuple(f.value for f in STORED_FIELDS)
KEY_FIELDS = frozenset(f.name for f in STORED_FIELDS if f.key)
# Stored in minutes, shown and written in hours (``durations.hours_text``).
DURATION_FIELDS = frozenset({"duration_minutes"})
