"""The schedule check of one run: the file's valid active rows against each other and against
the database's active interventions (``conflicts.find_conflicts``), as problems by line.

A conflict is reported on the row's line, in the teacher's or the room's column, naming the
other intervention (its GUID, its line when it is in the file, its local times). A row lists
at most ``MAX_LISTED`` conflicts per resource, then how many more there are.
"""

from collections import defaultdict
from zoneinfo import ZoneInfo

from . import messages
from .conflicts import RESOURCES, Booking, Policy, find_conflicts
from .lookups import load_bookings
from .readers import FileProblem
from .results import ImportResult, RowError

MAX_LISTED = 5
CODES = frozenset(
    {messages.TEACHER_BOOKED.code, messages.ROOM_BOOKED.code, messages.MORE_CONFLICTS.code}
)
LOCAL_TIME = "%Y-%m-%d %H:%M"


def policy_of(value: str) -> Policy:
    try:
        return Policy(value)
    except ValueError:
        raise FileProblem(messages.UNKNOWN_CONFLICT_POLICY.format(value=value)) from None


def conflict_problems(
    bookings: list[Booking], *, zone: ZoneInfo, level: str
) -> dict[int, list[RowError]]:
    """Every conflict of the file's ``bookings``, as problems of ``level`` by line."""
    found = find_conflicts(bookings, load_bookings(bookings), listed=MAX_LISTED)
    problems: dict[int, list[RowError]] = defaultdict(list)
    order = list(RESOURCES)  # teacher, then room
    for conflicts in sorted(found, key=lambda c: (c.booking.line or 0, order.index(c.resource))):
        booking = conflicts.booking
        line = booking.line or 0
        for other in conflicts.others:
            problems[line].append(_problem(conflicts.resource, booking, other, zone, level))
        hidden = conflicts.count - len(conflicts.others)
        if hidden:
            more = messages.MORE_CONFLICTS.format(count=hidden, resource=conflicts.resource)
            problems[line].append(RowError(line, more, _column(conflicts.resource), level=level))
    return dict(problems)


def _column(resource: str) -> str:
    return "teacherLogin" if resource == "teacher" else "roomGuid"


def _problem(
    resource: str, booking: Booking, other: Booking, zone: ZoneInfo, level: str
) -> RowError:
    times = {
        "guid": other.guid,
        "start": other.start.astimezone(zone).strftime(LOCAL_TIME),
        "end": other.end.astimezone(zone).strftime(LOCAL_TIME),
    }
    if resource == "teacher":
        message = messages.TEACHER_BOOKED.format(login=booking.teacher_login, **times)
        value = booking.teacher_login
    else:
        message = messages.ROOM_BOOKED.format(room=booking.room_guid, **times)
        value = booking.room_guid
    return RowError(
        booking.line,
        message,
        _column(resource),
        value,
        level=level,
        conflicts_with=other.guid,
        conflicts_with_line=other.line,
    )


def rows_with_conflicts(result: ImportResult) -> int:
    """How many rows have a schedule conflict (as a warning or as an error)."""
    return len({p.line for p in result.warnings + result.errors if p.code in CODES})
