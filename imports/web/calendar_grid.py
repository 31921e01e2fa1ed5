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
from zoneinfo import ZoneInfo

from django.utils import formats

DAY_HOURS = (8, 18)  # the hours shown when the blocks need no others
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

    @property
    def time_text(self) -> str:
        return f"{self.start:%H:%M}\u2013{self.end:%H:%M}"


@dataclass
class DayColumn:
    day: dt.date
    placed: list[Placed]


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
    count = 0
    for block in blocks:
        shown = _placed(block, block.start, block.minutes, False, zone, by_day)
        count += shown
        if block.old_start is not None and (
            block.old_start != block.start or block.old_minutes != block.minutes
        ):
            minutes = block.minutes if block.old_minutes is None else block.old_minutes
            _placed(block, block.old_start, minutes, True, zone, by_day)
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
) -> bool:
    local = start.astimezone(zone)
    day = by_day.get(local.date())
    if day is None:
        return False
    end = local + dt.timedelta(minutes=minutes)
    day_end = midnight(local.date() + dt.timedelta(days=1), zone)
    day.append(Placed(block, ghost, local, min(end, day_end), continues=end > day_end))
    return True


def _minute(moment: dt.datetime) -> int:
    return moment.hour * 60 + moment.minute


def _end_minute(placed: Placed) -> int:
    """The minute of its day the block ends at: 1440 when cut at midnight."""
    if placed.end.date() > placed.start.date():
        return 24 * 60
    return max(_minute(placed.end), _minute(placed.start) + 1)


def _hours(placed: Iterable[Placed]) -> tuple[int, int]:
    first, last = DAY_HOURS
    for item in placed:
        first = min(first, _minute(item.start) // 60)
        last = max(last, math.ceil(_end_minute(item) / 60))
    return first, min(last, 24)


def _lanes(day: list[Placed], first_hour: int, last_hour: int) -> None:
    """Blocks that overlap stand side by side: each overlapping run of blocks is cut into
    lanes (the first lane free at a block's start), and each block of a run takes
    ``1 / lanes`` of the width."""
    day.sort(key=lambda p: (_minute(p.start), p.ghost, p.block.guid))
    origin, span = first_hour * 60, (last_hour - first_hour) * 60
    run: list[tuple[Placed, int]] = []
    lane_ends: list[int] = []
    run_end = 0

    def close() -> None:
        width = 100 / max(1, len(lane_ends))
        for placed, lane in run:
            top = (_minute(placed.start) - origin) / span * 100
            height = (_end_minute(placed) - _minute(placed.start)) / span * 100
            placed.style = (
                f"top:{top:.3f}%;height:{height:.3f}%;left:{lane * width:.3f}%;width:{width:.3f}%"
            )

    for placed in day:
        start, end = _minute(placed.start), _end_minute(placed)
        if run and start >= run_end:
            close()
            run, lane_ends = [], []
        for lane, lane_end in enumerate(lane_ends):
            if lane_end <= start:
                lane_ends[lane] = end
                break
        else:
            lane, lane_ends = len(lane_ends), [*lane_ends, end]
        run.append((placed, lane))
        run_end = max(run_end, end) if len(run) > 1 else end
    if run:
        close()
