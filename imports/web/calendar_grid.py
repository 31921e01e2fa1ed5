"""The calendar's week and its grid, without a query: which week a day is in (it begins on
the locale's first day of the week, ``FIRST_DAY_OF_WEEK``), the hours the week's blocks need,
and where each block stands (its day, its top and height by its hours, side by side with the
blocks it overlaps). The blocks come from ``calendar_job.py`` (what a job's file does) or
``calendar_list.py`` (the interventions list); the page is ``calendar_views.py``'s.
"""

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from heapq import heappop, heappush
from zoneinfo import ZoneInfo

from django.utils import formats

DAY_HOURS = (8, 18)  # the hours shown when the blocks need no others
# The blocks drawn on one page at most: a day of more is no longer read as a calendar (a
# page of 10,000 blocks weighs 5 MB). The page says how many more the week holds, and
# following a teacher or a room shows theirs.
MAX_BLOCKS = 1_000
# The days a week may begin and end on: a week and its neighbours stay within date's range.
FIRST_DAY = dt.date.min + dt.timedelta(days=14)
LAST_DAY = dt.date.max - dt.timedelta(days=14)


def first_weekday() -> int:
    """The locale's first day of the week as ``date.weekday()`` counts (Monday 0); Django's
    ``FIRST_DAY_OF_WEEK`` counts from Sunday (0)."""
    return (int(formats.get_format("FIRST_DAY_OF_WEEK")) - 1) % 7


def parse_day(text: str) -> dt.date | None:
    """``YYYY-MM-DD`` as a date a week can be drawn around, else None."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


@dataclass(frozen=True)
class Week:
    """Seven days from ``first``, in the site's time zone ``zone``."""

    first: dt.date
    zone: ZoneInfo

    @property
    def days(self) -> list[dt.date]:
        return [self.first + dt.timedelta(days=offset) for offset in range(7)]

    @property
    def last(self) -> dt.date:
        return self.first + dt.timedelta(days=6)

    @property
    def start(self) -> dt.datetime:
        return midnight(self.first, self.zone)

    @property
    def end(self) -> dt.datetime:
        return midnight(self.first + dt.timedelta(days=7), self.zone)

    @property
    def previous(self) -> dt.date:
        return self.first - dt.timedelta(days=7)

    @property
    def next(self) -> dt.date:
        return self.first + dt.timedelta(days=7)

    def holds(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end


def midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone)


def week_of(day: dt.date, zone: ZoneInfo) -> Week:
    """The week that holds ``day``."""
    return Week(day - dt.timedelta(days=(day.weekday() - first_weekday()) % 7), zone)


@dataclass
class Block:
    """One intervention as the calendar shows it. ``state`` is the page's ``data-state``;
    ``words`` say it (a colour is never the only sign); ``old_start`` and ``old_minutes``
    are its old place, shown faded, when the file moves it or changes its length."""

    guid: str
    state: str
    start: dt.datetime
    minutes: int
    title: str
    teacher: str
    room: str
    room_label: str
    cancelled: bool = False
    words: str = ""
    changes: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    conflict: str = ""  # data-conflict: the resources in conflict, "teacher room"
    line: int | None = None
    in_file: bool = True
    old_start: dt.datetime | None = None
    old_minutes: int | None = None
    old_teacher: str = ""
    old_room: str = ""

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=self.minutes)

    def follows(self, teacher: str, room: str) -> bool:
        """Whether the block is one of ``teacher``'s (a login) and of ``room``'s (a GUID):
        where it is now or where it was."""
        return (not teacher or teacher in (self.teacher, self.old_teacher)) and (
            not room or room in (self.room, self.old_room)
        )


RESOURCES = ("teacher", "room")


def conflict_text(resources: list[str] | set[str]) -> str:
    """``data-conflict``: the resources in conflict, always in one order."""
    return " ".join(resource for resource in RESOURCES if resource in resources)


@dataclass
class Placed:
    """A block (or its old place: ``ghost``) in its day column: ``style`` places it
    (top and height in the column's hours, left and width among its lane neighbours)."""

    block: Block
    ghost: bool
    start: dt.datetime  # in the site's time zone
    end: dt.datetime
    style: str = ""
    continues: bool = False  # it ends after midnight: cut at the day's end
    first_minute: int = 0  # of its day: where it begins and ends (1440: cut at midnight)
    last_minute: int = 0

    @property
    def time_text(self) -> str:
        start, end = self.start, self.end
        return f"{start.hour:02d}:{start.minute:02d}\u2013{end.hour:02d}:{end.minute:02d}"


@dataclass
class DayColumn:
    day: dt.date
    placed: list[Placed]
    html: str = ""  # its blocks written (calendar_html.BlockWriter)


@dataclass
class Grid:
    week: Week
    columns: list[DayColumn]
    hours: list[int]  # the hours shown, one row each
    count: int  # blocks in the week (their old places not counted)

    @property
    def empty(self) -> bool:
        return not self.count


def lay_out(blocks: Iterable[Block], week: Week) -> Grid:
    """Each block of ``week`` in its day, and each old place shown faded."""
    zone = week.zone
    by_day: dict[dt.date, list[Placed]] = {day: [] for day in week.days}
    ends = {day: midnight(day + dt.timedelta(days=1), zone) for day in week.days}
    count = 0
    for block in blocks:
        shown = _placed(block, block.start, block.minutes, False, zone, by_day, ends)
        count += shown
        if block.old_start is not None and (
            block.old_start != block.start or block.old_minutes != block.minutes
        ):
            minutes = block.minutes if block.old_minutes is None else block.old_minutes
            _placed(block, block.old_start, minutes, True, zone, by_day, ends)
    first, last = _hours(placed for day in by_day.values() for placed in day)
    for day in by_day.values():
        _lanes(day, first, last)
    columns = [DayColumn(day, placed) for day, placed in by_day.items()]
    return Grid(week, columns, list(range(first, last)), count)


def _placed(
    block: Block,
    start: dt.datetime,
    minutes: int,
    ghost: bool,
    zone: ZoneInfo,
    by_day: dict[dt.date, list[Placed]],
    ends: dict[dt.date, dt.datetime],
) -> bool:
    local = start.astimezone(zone)
    date = local.date()
    day = by_day.get(date)
    if day is None:
        return False
    end = local + dt.timedelta(minutes=minutes)
    day_end = ends[date]
    cut = end >= day_end
    first = local.hour * 60 + local.minute
    last = 24 * 60 if cut else max(end.hour * 60 + end.minute, first + 1)
    day.append(
        Placed(
            block,
            ghost,
            local,
            day_end if cut else end,
            continues=end > day_end,
            first_minute=first,
            last_minute=last,
        )
    )
    return True


def _hours(placed: Iterable[Placed]) -> tuple[int, int]:
    first, last = DAY_HOURS
    earliest, latest = first * 60, last * 60
    for item in placed:
        earliest = min(earliest, item.first_minute)
        latest = max(latest, item.last_minute)
    return earliest // 60, min(math.ceil(latest / 60), 24)


def _lanes(day: list[Placed], first_hour: int, last_hour: int) -> None:
    """Blocks that overlap stand side by side: each overlapping run of blocks is cut into
    lanes (the lowest lane free at a block's start), and each block of a run takes
    ``1 / lanes`` of the width. A heap of the lanes in use by their end and one of the free
    lanes: ``O(n log n)``, however many blocks run at once."""
    day.sort(key=lambda p: (p.first_minute, p.ghost, p.block.guid))
    origin, span = first_hour * 60, (last_hour - first_hour) * 60
    run: list[tuple[Placed, int, int, int]] = []  # placed, lane, start, end
    busy: list[tuple[int, int]] = []  # (end, lane)
    free: list[int] = []
    lanes = 0
    run_end = 0

    def close() -> None:
        width = 100 / max(1, lanes)
        for placed, lane, start, end in run:
            top = (start - origin) / span * 100
            height = (end - start) / span * 100
            placed.style = (
                f"top:{top:.3f}%;height:{height:.3f}%;left:{lane * width:.3f}%;width:{width:.3f}%"
            )

    for placed in day:
        start, end = placed.first_minute, placed.last_minute
        if run and start >= run_end:
            close()
            run, busy, free, lanes = [], [], [], 0
        while busy and busy[0][0] <= start:
            heappush(free, heappop(busy)[1])
        if free:
            lane = heappop(free)
        else:
            lane, lanes = lanes, lanes + 1
        heappush(busy, (end, lane))
        run.append((placed, lane, start, end))
        run_end = max(run_end, end) if len(run) > 1 else end
    if run:
        close()
