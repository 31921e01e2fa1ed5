"""Schedule conflicts: a teacher or a room booked twice at overlapping times.

An intervention occupies ``[start, end)``: back-to-back slots do not overlap. Only active
interventions take part; the file's rows are judged where the file puts them, the database's
where they are (the engine leaves out the database's copy of every intervention the file
gives). Pure planning: no model, no query (``lookups.load_bookings`` reads the database's).

Per teacher and per room, the bookings are sorted by start and swept once, keeping those
still running: a booking conflicts exactly with the earlier ones still running at its start
and the later ones starting before its end. They are counted, and the first few listed, so a
file where everybody overlaps everybody costs ``O(n log n)``, never pairwise.

A conflict is the file's own when one of its two interventions is created, changed or moved
by the file (``Booking.changed``); a conflict between interventions the file leaves as they
are (a row unchanged, or only in the database) is already in the schedule: counted and
listed apart (``Conflicts.own`` False), it asks nothing of the user (issue 29).
"""

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from heapq import heappop, heappush
from operator import attrgetter


class Policy(StrEnum):
    """What a conflict is: a WARNING (the row is imported), an ERROR (skipped), or unchecked."""

    WARN = "warn"
    ERROR = "error"
    IGNORE = "ignore"


@dataclass(frozen=True, slots=True)
class Booking:
    """One active intervention's slot, kept small (one per valid active row of a file: a
    million rows hold a million): ``minutes`` rather than an end, the login and the room GUID
    interned by the plan. ``line``: its line in the file, None when it is only in the
    database."""

    guid: str
    line: int | None
    start: dt.datetime
    minutes: int
    teacher_id: int
    teacher_login: str
    room_guid: str
    changed: bool = False  # created, changed or moved by the file (only in the database: no)

    @property
    def end(self) -> dt.datetime:
        return end_of(self.start, self.minutes)


@dataclass(frozen=True, slots=True)
class Conflicts:
    """A row of the file (``booking``) whose ``resource`` is also booked by ``count`` others
    at overlapping times; ``others``: the first of them by start (all, or ``listed``)."""

    resource: str  # "teacher" or "room"
    booking: Booking
    count: int
    others: tuple[Booking, ...]
    own: bool = True  # False: both sides are left as they are (already in the schedule)


RESOURCES: dict[str, Callable[[Booking], Hashable]] = {
    "teacher": attrgetter("teacher_id"),
    "room": attrgetter("room_guid"),
}
BY_START = attrgetter("start", "minutes")


def end_of(start: dt.datetime, minutes: int) -> dt.datetime:
    return start + dt.timedelta(minutes=minutes)


def find_conflicts(
    file: Iterable[Booking], stored: Iterable[Booking], *, listed: int | None = None
) -> list[Conflicts]:
    """The conflicts of each of the file's bookings, per resource, with the file's other
    bookings and the stored ones: how many, and the first ``listed`` of them (None: all)."""
    bookings = [*file, *stored]
    found: list[Conflicts] = []
    for resource, key_of in RESOURCES.items():
        groups: dict[Hashable, list[Booking]] = defaultdict(list)
        for booking in bookings:
            groups[key_of(booking)].append(booking)
        for group in groups.values():
            if len(group) > 1:
                found.extend(_swept(resource, group, listed))
    return found


def _swept(resource: str, group: list[Booking], listed: int | None) -> Iterator[Conflicts]:
    """One sweep by start: the earlier bookings still running at a booking's start, and the
    later ones starting before its end, are its conflicts; counted without pairing them, the
    ones the file changes apart from the others (a heap and a list of places for each)."""
    ordered = sorted(group, key=BY_START)
    starts = [b.start for b in ordered]
    ends = [b.end for b in ordered]
    places: dict[bool, list[int]] = {True: [], False: []}  # changed or not: indexes, in order
    for index, booking in enumerate(ordered):
        places[booking.changed].append(index)
    running: dict[bool, list[tuple[dt.datetime, int]]] = {True: [], False: []}  # heaps by end
    for index, booking in enumerate(ordered):
        for heap in running.values():
            while heap and heap[0][0] <= booking.start:
                heappop(heap)
        if booking.line is not None:
            stop = bisect_left(starts, ends[index], lo=index + 1)
            if booking.changed:  # every conflict of a row the file changes is its own
                kinds: tuple[tuple[bool, tuple[bool, ...]], ...] = ((True, (True, False)),)
            else:
                kinds = ((True, (True,)), (False, (False,)))
            for own, sides in kinds:
                found = _of_kinds(ordered, running, places, sides, index, stop, listed)
                if found is not None:
                    count, others = found
                    yield Conflicts(resource, booking, count, others, own=own)
        heappush(running[booking.changed], (ends[index], index))


def _of_kinds(
    ordered: list[Booking],
    running: dict[bool, list[tuple[dt.datetime, int]]],
    places: dict[bool, list[int]],
    sides: tuple[bool, ...],
    index: int,
    stop: int,
    listed: int | None,
) -> tuple[int, tuple[Booking, ...]] | None:
    """The conflicts of ``ordered[index]`` with the bookings whose ``changed`` is one of
    ``sides``: how many, and the first ``listed`` by start; None when there is none."""
    count = 0
    for side in sides:
        at = places[side]
        count += len(running[side]) + bisect_left(at, stop) - bisect_left(at, index + 1)
    if not count:
        return None
    cap = count if listed is None else listed
    candidates: list[Booking] = []
    for side in sides:
        at = places[side]
        first = bisect_left(at, index + 1)
        last = min(bisect_left(at, stop), first + cap)
        candidates += [ordered[i] for _, i in running[side][:cap]]
        candidates += [ordered[i] for i in at[first:last]]
    others = sorted(candidates, key=lambda b: (b.start, b.guid))[:cap]
    return count, tuple(others)
