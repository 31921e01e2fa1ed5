"""The values of the columns a file may leave out (``FieldSpec.may_be_absent``): an
intervention GUID derived from what identifies its slot, a room labelled with its GUID.

A file without an ``interventionGuid`` column (most planning tools export none): each row's
GUID is derived from its training, its session, its start and its room, the columns that
identify one slot of a timetable (a room holds one slot at a time; a slot's teacher may
change). The same row gives the same GUID in every file and on every run, so importing a
file twice changes nothing; a slot moved to another start or room is another slot (the old
one stays, as with a GUID the tool changed). Two rows of a file that derive the same GUID
are the seed's duplicate GUID error, which then names the columns that made them equal.

A file without a ``roomLabel`` column: a room that exists keeps its label, a room created
takes its GUID as its label (``planning/plan.py``); the preview lists the rooms so created,
and the result says the rule once (``labels_from_guids``).
"""

import hashlib

from . import messages
from .cells import ParsedRow
from .results import RowError

GUID = "interventionGuid"
LABEL = "roomLabel"
GUID_PREFIX = "slot-"
DIGEST_BYTES = 17  # 34 hexadecimal digits: with the prefix, 39 characters (the limit is 40)
SEPARATOR = "\x1f"  # no cell holds it (an invisible character is a row error)


def derives_guid(column_map: dict[str, int]) -> bool:
    """Whether the file's rows get a derived GUID: the file has no GUID column."""
    return GUID not in column_map


def guid_sources(column_map: dict[str, int]) -> tuple[str, ...]:
    """The columns a derived GUID comes from, as the file has them (a message names them)."""
    training = "trainingGuid" if "trainingGuid" in column_map else "trainingPathCode"
    session = "sessionGuid" if "sessionGuid" in column_map else "sessionTitle"
    start = ("interventionDate", "interventionStartTime")
    starts = tuple(name for name in start if name in column_map) or start[:1]
    return (training, session, *starts, "roomGuid")


def derived_guid(row: ParsedRow) -> str:
    """The GUID of a row's slot; "" when its start (or a key) could not be read."""
    if row.start is None or not row.room_guid:
        return ""
    training = row.training_guid or f"path:{row.path_code}"
    session = row.session_guid or f"title:{row.session_title}"
    start = row.start.strftime("%Y-%m-%dT%H:%MZ")  # UTC, to the minute
    key = SEPARATOR.join((training, session, start, row.room_guid))
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=DIGEST_BYTES).hexdigest()
    return GUID_PREFIX + digest


def duplicate_derived_guid(value: str, lines: str, sources: tuple[str, ...]) -> messages.Message:
    """The seed's duplicate GUID message, then the columns that made the rows' GUIDs equal."""
    seed = messages.DUPLICATE_GUID.format(value=value, lines=lines)
    said = messages.DERIVED_GUID_SAME.format(columns=named(sources))
    return messages.joined(seed, said)


def labels_from_guids(column_map: dict[str, int]) -> list[RowError]:
    """The note of a file without a room label column: new rooms are labelled by their GUID."""
    if LABEL in column_map:
        return []
    message = messages.LABELS_FROM_GUIDS
    return [RowError(None, message, LABEL, level="WARNING", code=message.code)]


def named(names: tuple[str, ...]) -> str:
    """Column names as a message lists them: "a, b and c"."""
    return ", ".join(names[:-1]) + " and " + names[-1]
