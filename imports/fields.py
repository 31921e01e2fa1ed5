"""The columns of ``createOrUpdateInterventionAction``: names, kinds, limits, what is mandatory."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # "key" (<= 40 chars), "text" (<= 255), "date", "duration", "capacity", "status"
    mandatory: bool

    @property
    def max_length(self) -> int | None:
        return {"key": 40, "text": 255}.get(self.kind)


FIELD_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("interventionGuid", "key", True),
    FieldSpec("trainingGuid", "key", False),
    FieldSpec("trainingPathCode", "text", False),
    FieldSpec("sessionGuid", "key", False),
    FieldSpec("sessionTitle", "text", False),
    FieldSpec("interventionDate", "date", True),
    FieldSpec("interventionDuration", "duration", True),
    FieldSpec("roomGuid", "key", True),
    FieldSpec("roomLabel", "text", True),
    FieldSpec("roomCapacity", "capacity", False),
    FieldSpec("teacherLogin", "text", True),
    FieldSpec("interventionStatus", "status", True),
)
FIELDS: dict[str, FieldSpec] = {spec.name: spec for spec in FIELD_SPECS}
FIELD_NAMES: tuple[str, ...] = tuple(FIELDS)
MANDATORY_FIELDS: tuple[str, ...] = tuple(s.name for s in FIELD_SPECS if s.mandatory)
# "At least one of" pairs: the first is looked up first.
ONE_OF_PAIRS: tuple[tuple[str, str], ...] = (
    ("trainingGuid", "trainingPathCode"),
    ("sessionGuid", "sessionTitle"),
)
IGNORED_COLUMN = "ignoredColumn"
DEFAULT_ACTIVE_CODE = "A"
DEFAULT_CANCELLED_CODE = "C"
