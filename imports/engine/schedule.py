"""The schedule check of one run: the file's valid active rows against each other and against
the database's active interventions (``conflicts.find_conflicts``), as problems by line.

A conflict is reported on the row's line, in the teacher's or the room's column, naming the
other intervention (its GUID, its line when it is in the file, its local times). A row lists
at most ``MAX_LISTED`` conflicts per resource, then how many more there are.

A conflict is the file's own when the file creates, changes or moves one of its two
interventions (``teacher_booked``, ``room_booked``: a warning to acknowledge, or an error
with the error policy); one between interventions the file leaves as they are is already in
the schedule (``teacher_booked_unchanged``, ``room_booked_unchanged``): always a warning,
shown apart, asking nothing (issue 29). Interventions cancelled as missing conflict with
nothing (``excluded``).
"""

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from imports.database.lookups import load_bookings
from imports.parsing import messages
from imports.parsing.moments import shown_moment
from imports.parsing.readers import FileProblem
from imports.parsing.results import ImportResult, RowError
from imports.planning.conflicts import RESOURCES, Booking, Policy, find_conflicts

MAX_LISTED = 5
# A schedule conflict's problems: another intervention named, or how many more there are.
BOOKED_CODES = (messages.TEACHER_BOOKED.code, messages.ROOM_BOOKED.code)
CONFLICT_CODES = (*BOOKED_CODES, messages.MORE_CONFLICTS.code)
# The same, for the conflicts already in the schedule, that the file does not make.
UNCHANGED_BOOKED_CODES = (
    messages.TEACHER_BOOKED_UNCHANGED.code,
    messages.ROOM_BOOKED_UNCHANGED.code,
)
UNCHANGED_CONFLICT_CODES = (*UNCHANGED_BOOKED_CODES, messages.MORE_CONFLICTS_UNCHANGED.code)
WARNING = "WARNING"


def policy_of(value: str) -> Policy:
    try:
        return Policy(value)
    except ValueError:
        raise FileProblem(messages.UNKNOWN_CONFLICT_POLICY.format(value=value)) from None


def conflict_problems(
    bookings: list[Booking],
    *,
    room_ids: dict[str, int],
    written_at: list[dt.datetime],
    zone: ZoneInfo,
    level: str,
    excluded: frozenset[str] = frozenset(),
) -> tuple[dict[int, list[RowError]], dict[int, list[RowError]]]:
    """Every conflict of the file's ``bookings``, as problems by line: the file's own (of
    ``level``), and those already in the schedule (warnings); ``room_ids``: the ids of the
    file's rooms that exist in the database; ``written_at``: the time stamps this run wrote
    interventions with (those rows are the file's own); ``excluded``: stored interventions
    that take no part (cancelled as missing by this run)."""
    stored = load_bookings(bookings, room_ids=room_ids, written_at=written_at, excluded=excluded)
    found = find_conflicts(bookings, stored, listed=MAX_LISTED)
    own, standing = _Describer(zone=zone, level=level), _Describer(zone=zone, level=WARNING)
    problems: dict[int, list[RowError]] = defaultdict(list)
    already: dict[int, list[RowError]] = defaultdict(list)
    order = list(RESOURCES)  # teacher, then room
    for conflicts in sorted(found, key=lambda c: (c.booking.line or 0, order.index(c.resource))):
        booking, resource = conflicts.booking, conflicts.resource
        line = booking.line or 0
        describe, into = (own, problems) if conflicts.own else (standing, already)
        into[line].extend(
            describe(resource, booking, other, own=conflicts.own) for other in conflicts.others
        )
        hidden = conflicts.count - len(conflicts.others)
        if hidden:
            template = messages.MORE_CONFLICTS_UNCHANGED
            if conflicts.own:
                template = messages.MORE_CONFLICTS
            more = template.format(count=hidden, resource=resource)
            into[line].append(RowError(line, more, _column(resource), level=describe.level))
    return dict(problems), dict(already)


def _column(resource: str) -> str:
    return "teacherLogin" if resource == "teacher" else "roomGuid"


class _Describer:
    """A conflict as a ``RowError``; each booking's local times are written once (a dense
    file names the same bookings again and again)."""

    def __init__(self, *, zone: ZoneInfo, level: str) -> None:
        self.zone, self.level = zone, level
        self.times: dict[int, tuple[str, str]] = {}

    def __call__(
        self, resource: str, booking: Booking, other: Booking, *, own: bool = True
    ) -> RowError:
        start, end = self._times(other)
        if resource == "teacher":
            template = messages.TEACHER_BOOKED if own else messages.TEACHER_BOOKED_UNCHANGED
            value = booking.teacher_login
            text = template.format(login=value, guid=other.guid, start=start, end=end)
        else:
            template = messages.ROOM_BOOKED if own else messages.ROOM_BOOKED_UNCHANGED
            value = booking.room_guid
            text = template.format(room=value, guid=other.guid, start=start, end=end)
        return RowError(
            booking.line,
            text,
            _column(resource),
            value,
            level=self.level,
            code=template.code,
            conflicts_with=other.guid,
            conflicts_with_line=other.line,
        )

    def _times(self, booking: Booking) -> tuple[str, str]:
        known = self.times.get(id(booking))
        if known is None:
            zone = self.zone
            known = (shown_moment(booking.start, zone), shown_moment(booking.end, zone))
            self.times[id(booking)] = known
        return known


def rows_with_conflicts(result: ImportResult, codes: tuple[str, ...] = CONFLICT_CODES) -> int:
    """How many rows have a schedule conflict of the file's own (as a warning or as an
    error); with ``UNCHANGED_CONFLICT_CODES``, one already in the schedule."""
    return len({p.line for p in result.warnings + result.errors if p.code in codes})
