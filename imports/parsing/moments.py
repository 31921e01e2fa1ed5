"""Dates and times of day as planning tools write them, and a start and a duration made of them.

Read with no option (``read_date_text``, ``read_time_text``):

- dates: ISO 8601 (``datetime.fromisoformat``), then ``YYYY/MM/DD``, ``YYYY.MM.DD`` and
  ``DD/MM/YYYY``, ``DD-MM-YYYY``, ``DD.MM.YYYY`` (day or month first as the file's dates tell,
  ``date_order``; a date that can only be read one way is read that way), each with or without
  a time of day, and after a weekday name (English or French, full or short, any case:
  ``Jeudi 22/02/2018``, ``Thu 2027-03-04``), which must be that date's weekday;
- times of day: ``09:00``, ``9:00``, ``9h``, ``09h30``, ``9:00 AM``, ``12:30 PM``, ``13:00``,
  seconds allowed (``09:00:30``).

With a ``dateFormat`` only it is obeyed for dates (its tokens, ``config_values``, include a
weekday, a 12-hour clock and an AM/PM marker); times of day are read as above.

A date is read with whether it has a time of day: a start needs one (``date_without_time``)
unless the ``dateFormat`` has no time part (then 00:00, said once by the engine) or another
column gives it (``interventionStartTime``). Spreadsheet cells: a date-time cell at exactly
00:00, a date cell, or a whole serial number, is a date without a time of day (a spreadsheet
does not tell a date cell from a date-time at midnight).

``Moments`` puts a row's moment columns together (``settle``): the start (the date and the
start time, joined in the import's time zone), the end (a time of day on the start's day or on
``interventionEndDate``, or a date-time) and the duration (read, or the end minus the start;
both given, they must agree). The checking path (``cells``) and the fast path (``rows``) use
the same readers and the same ``settle``, so that a row gets the same values either way.
"""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from openpyxl.utils.datetime import from_excel

from . import messages
from .config import ImportConfig
from .date_order import MONTHS
from .durations import DAY_MINUTES, HOURS, MINUTES_PER_HOUR, read_duration, read_duration_text
from .messages import Message

UTC = dt.UTC
FIXED_ZONES = {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu"}  # no daylight saving
MIDNIGHT = dt.time()
SECONDS_PER_DAY = 86_400

START_TIME, END_TIME, END_DATE = (
    "interventionStartTime",
    "interventionEndTime",
    "interventionEndDate",
)
DATE, DURATION = "interventionDate", "interventionDuration"
MOMENT_COLUMNS = frozenset({DATE, DURATION, START_TIME, END_TIME, END_DATE})

WEEKDAYS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("monday", "mon", "lundi", "lun"),
        ("tuesday", "tue", "tues", "mardi", "mar"),
        ("wednesday", "wed", "mercredi", "mer"),
        ("thursday", "thu", "thur", "thurs", "jeudi", "jeu"),
        ("friday", "fri", "vendredi", "ven"),
        ("saturday", "sat", "samedi", "sam"),
        ("sunday", "sun", "dimanche", "dim"),
    )
):
    WEEKDAYS.update(dict.fromkeys(_names, _number))
ENGLISH_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FRENCH_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
FRENCH_NAMES = frozenset({*FRENCH_DAYS, "lun", "mar", "mer", "jeu", "ven", "sam", "dim"})

TIME = (
    r"(?P<hour>[0-9]{1,2})(?:(?P<sep>[:hH])(?P<minute>[0-9]{2})?(?::(?P<second>[0-9]{2}))?)?"
    r"(?:\s*(?P<half>[AaPp])\.?[Mm]\.?)?"
)
TIME_ALONE = re.compile(TIME)


def time_of_day_written(text: str, *, clock: bool = False) -> bool:
    """Whether ``text`` is written as a time of day, with its separator or AM/PM (``9:00``,
    ``9h``, ``9:00 AM``; a bare number is not); ``clock``: with a colon (``9:00``, ``9:30 PM``,
    not ``9h``, which is also how a duration is written). What a header cell never is, and
    what tells a column of times from one of durations (``columns``, ``mapping``)."""
    found = TIME_ALONE.fullmatch(text)
    if found is None or not (found["sep"] or found["half"]):
        return False
    return not clock or (found["sep"] == ":" and found["minute"] is not None)


DATE_TIME = re.compile(
    r"(?:(?P<weekday>[A-Za-z]+)\.?,?\s+)?"
    r"(?:(?P<year>[0-9]{4})(?P<ysep>[-/.])(?P<ymonth>[0-9]{1,2})(?P=ysep)(?P<yday>[0-9]{1,2})"
    r"|(?P<first>[0-9]{1,2})(?P<sep0>[-/.])(?P<second_>[0-9]{1,2})(?P=sep0)(?P<fyear>[0-9]{4}))"
    rf"(?:(?:\s*[T,]\s*|\s+)(?:{TIME.replace('?P<', '?P<t_')}))?"
)
WORDS = re.compile(r"([A-Za-z]+)(\.?)")
ISO_DATE_ONLY = re.compile(r"[0-9]{4}(?:-?[0-9]{2}-?[0-9]{2}|-?W[0-9]{2}(?:-?[0-9])?)")
FAST_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})")  # the commonest time cell: 09:00, 9:00

DateReading = tuple[dt.datetime | None, bool, Message | None]  # moment, has a time, problem


def localize(
    naive: dt.datetime, zone: ZoneInfo, text: str
) -> tuple[dt.datetime | None, Message | None]:
    """Attach ``zone`` to a naive time; refuse times a daylight saving change skips or repeats."""
    if zone.key in FIXED_ZONES:
        return naive.replace(tzinfo=UTC), None
    earlier = naive.replace(tzinfo=zone, fold=0)
    later = naive.replace(tzinfo=zone, fold=1)
    if earlier.utcoffset() != later.utcoffset():
        round_trip = earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        template = messages.DATE_DOES_NOT_EXIST if round_trip != naive else messages.DATE_AMBIGUOUS
        return None, template.format(value=text, zone=zone.key)
    return earlier.astimezone(UTC), None


def to_utc(
    moment: dt.datetime, zone: ZoneInfo, text: str
) -> tuple[dt.datetime | None, Message | None]:
    """A time with an offset as it is; one without, in ``zone`` (``localize``)."""
    if moment.tzinfo is not None:
        return moment.astimezone(UTC), None
    return localize(moment, zone, text)


# -- dates -------------------------------------------------------------------------------


def read_date_text(text: str, config: ImportConfig) -> DateReading:
    """A date (and maybe a time of day) written as text, by the configuration's ``dateFormat``
    or, without one, in the forms the module's docstring lists."""
    if config.date_format:
        return _by_format(text, config.date_format)
    if not text.isascii():
        return None, False, messages.DATE_NOT_VALID.format(value=messages.shorten(text))
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return _flexible(text, config.day_first)
    return moment, ISO_DATE_ONLY.fullmatch(text) is None, None


def read_date(raw: Any, text: str, config: ImportConfig) -> DateReading:
    """A cell's date: a spreadsheet's date or date-time or serial number as it comes, a text
    by ``read_date_text``."""
    if type(raw) is str:
        return read_date_text(text, config)
    if isinstance(raw, dt.datetime):
        return raw, raw.time() != MIDNIGHT or raw.tzinfo is not None, None
    if isinstance(raw, dt.date):
        return dt.datetime(raw.year, raw.month, raw.day), False, None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        not_valid = messages.DATE_NOT_VALID.format(value=messages.shorten(text))
        if not raw >= 1:  # serials start at 1 (1900-01-01); below is a time alone, or NaN
            return None, False, not_valid
        try:
            moment = from_excel(raw)  # an Excel serial date
        except (ValueError, OverflowError, TypeError):
            return None, False, not_valid
        return moment, not float(raw).is_integer(), None
    return read_date_text(text, config)


def _by_format(text: str, pattern: str) -> DateReading:
    not_valid = messages.DATE_NOT_VALID.format(value=messages.shorten(text))
    if not text.isascii():
        return None, False, not_valid
    given, written = None, text
    if "%A" in pattern:  # a weekday, English or French: read as the English name strptime knows
        found = next(
            (m for m in WORDS.finditer(text) if m[1].lower() in WEEKDAYS),
            None,
        )
        if found is None:
            return None, False, not_valid
        given = found[1]
        dot = found[2] if "%A." in pattern else ""
        text = (
            text[: found.start()]
            + ENGLISH_DAYS[WEEKDAYS[given.lower()]]
            + dot
            + text[found.end() :]
        )
    try:
        moment = dt.datetime.strptime(text, pattern)
    except ValueError:
        return None, False, not_valid
    if given is not None:
        problem = _weekday_problem(given, moment.date(), written)
        if problem is not None:
            return None, False, problem
    return moment, has_time_part(pattern), None


def has_time_part(pattern: str) -> bool:
    """Whether a ``dateFormat`` (as a strptime pattern) gives a time of day."""
    return "%H" in pattern or "%I" in pattern


def _flexible(text: str, day_first: bool | None) -> DateReading:
    shown = messages.shorten(text)
    match = DATE_TIME.fullmatch(text)
    if match is None:
        return None, False, messages.DATE_NOT_VALID.format(value=shown)
    if match["year"]:
        year, month, day = int(match["year"]), int(match["ymonth"]), int(match["yday"])
    else:
        first, second, year = int(match["first"]), int(match["second_"]), int(match["fyear"])
        if day_first is None:
            if 0 < first <= MONTHS and 0 < second <= MONTHS:
                return None, False, messages.DATE_ORDER_AMBIGUOUS.format(value=shown)
            day_first = first > MONTHS  # read as the one way it can be read
        day, month = (first, second) if day_first else (second, first)
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None, False, messages.DATE_NOT_VALID.format(value=shown)
    if match["weekday"]:
        if match["weekday"].lower() not in WEEKDAYS:
            return None, False, messages.DATE_NOT_VALID.format(value=shown)
        problem = _weekday_problem(match["weekday"], date, text)
        if problem is not None:
            return None, False, problem
    if match["t_hour"] is None:
        return dt.datetime(date.year, date.month, date.day), False, None
    time = _time_of(match, "t_")
    if time is None:
        return None, False, messages.DATE_NOT_VALID.format(value=shown)
    return dt.datetime.combine(date, time), True, None


def _weekday_problem(given: str, date: dt.date, text: str) -> Message | None:
    weekday = date.weekday()
    if WEEKDAYS[given.lower()] == weekday:
        return None
    name = ENGLISH_DAYS[weekday]
    if given.lower() in FRENCH_NAMES:
        name += f" ({FRENCH_DAYS[weekday]})"
    return messages.DATE_WRONG_WEEKDAY.format(
        value=messages.shorten(text), date=date.isoformat(), weekday=name
    )


# -- times of day ----------------------------------------------------------------------------


def read_time_text(text: str) -> dt.time | None:
    """A time of day written as text, or None."""
    match = FAST_TIME.fullmatch(text)
    if match is not None:
        hour, minute = int(match[1]), int(match[2])
        return dt.time(hour, minute) if hour < 24 and minute < 60 else None
    match = TIME_ALONE.fullmatch(text)
    return _time_of(match, "") if match is not None else None


def read_time(raw: Any, text: str) -> dt.time | None:
    """A cell's time of day: a spreadsheet's time (or the time of a date-time) as it comes, a
    fraction of a day (a time cell saved as a number), a text by ``read_time_text``."""
    if type(raw) is str:
        return read_time_text(text)
    if isinstance(raw, dt.datetime):
        return raw.time().replace(tzinfo=None)
    if isinstance(raw, dt.time):
        return raw.replace(tzinfo=None)
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        if not 0 <= raw < 1:
            return None
        seconds = round(raw * SECONDS_PER_DAY)
        if seconds >= SECONDS_PER_DAY:
            return None
        return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)
    return read_time_text(text)


def _time_of(match: re.Match, prefix: str) -> dt.time | None:
    hour, sep = int(match[prefix + "hour"]), match[prefix + "sep"]
    minute, second, half = (
        match[prefix + "minute"],
        match[prefix + "second"],
        match[prefix + "half"],
    )
    if sep is None and half is None:
        return None  # "9" alone is no time: 9h, 9:00 or 9 AM
    if sep == ":" and minute is None:
        return None
    if second is not None and (sep != ":" or minute is None):
        return None
    minutes, seconds = int(minute or 0), int(second or 0)
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half in "Pp" else 0)
    if hour > 23 or minutes > 59 or seconds > 59:
        return None
    return dt.time(hour, minutes, seconds)


# -- a row's moments -----------------------------------------------------------------------


def stored_moment(value: object) -> dt.datetime | None:
    """A moment as a job's rows store it (ISO 8601 text, UTC when it has no offset), read
    back; None when it is not one."""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def shown_moment(moment: dt.datetime, zone: ZoneInfo) -> str:
    """A moment as a message shows it: in the import's time zone, to the minute (or second)."""
    local = moment.astimezone(zone)
    return local.strftime("%Y-%m-%d %H:%M:%S" if local.second else "%Y-%m-%d %H:%M")


@dataclass(frozen=True, slots=True)
class Problem:
    """A problem of a row's moments: its message, column and the value it names."""

    message: Message
    column: str
    value: str
    warning: bool = False


class Settled(NamedTuple):
    """A row's moments: the start (UTC), the duration (minutes), the cells' values."""

    start: dt.datetime | None = None
    duration: int | None = None
    start_time: dt.time | None = None
    end: dt.datetime | None = None
    end_date: dt.date | None = None


NOTHING = Settled()
NO_PROBLEM: list[Problem] = []  # never appended to: a list of problems is made when one comes

# What a moment column's reader gives (value, problem): a date as (moment as written, has a
# time, the start in UTC or None), a time of day, an end as a time of day or (moment, has a
# time), an end date as a moment, a duration as (minutes, warning).
Reader = Callable[[Any, str], tuple[Any, Message | None]]
TextReader = Callable[[str], tuple[Any, Message | None]]


class Moments:
    """The moment columns of one column map: how each cell is read and how a row's cells make
    its start and duration (``settle``)."""

    def __init__(
        self, columns: dict[str, int] | frozenset[str], config: ImportConfig, zone: ZoneInfo
    ):
        self.config, self.zone = config, zone
        self.joined = START_TIME in columns  # the start's time of day is in its own column
        self.unit = config.duration_unit or HOURS
        # a date without a time of day is midnight when the dateFormat has none
        self.midnight_allowed = bool(config.date_format) and not has_time_part(
            config.date_format or ""
        )

    def reader(self, name: str) -> Reader:
        """The reader of column ``name``'s cells: (raw, text) -> (value, problem)."""
        config, unit = self.config, self.unit
        if name == DATE:
            return lambda raw, text: self._date(read_date(raw, text, config), raw, text)
        if name == START_TIME:
            return lambda raw, text: _time_or_not_valid(read_time(raw, text), text)
        if name == END_TIME:
            return self._read_end
        if name == END_DATE:
            return lambda raw, text: self._end_date(read_date(raw, text, config), text)
        if name == DURATION:

            def duration(raw: Any, text: str) -> tuple[Any, Message | None]:
                minutes, problem, warning = read_duration(raw, text, unit)
                return (minutes, warning), problem

            return duration
        raise ValueError(f"{name} is not a moment column")

    def text_reader(self, name: str) -> TextReader:
        """The same reader for a text cell (the fast path's): what ``reader`` gives for a text,
        with fewer steps."""
        config, unit = self.config, self.unit
        if name == DATE:
            return lambda text: self._date(read_date_text(text, config), text, text)
        if name == START_TIME:
            return lambda text: _time_or_not_valid(read_time_text(text), text)
        if name == END_TIME:
            return lambda text: self._read_end(text, text)
        if name == END_DATE:
            return lambda text: self._end_date(read_date_text(text, config), text)
        if name == DURATION:

            def duration(text: str) -> tuple[Any, Message | None]:
                minutes, problem, warning = read_duration_text(text, unit)
                return (minutes, warning), problem

            return duration
        raise ValueError(f"{name} is not a moment column")

    def _date(self, reading: DateReading, raw: Any, text: str) -> tuple[Any, Message | None]:
        """(moment as written, has a time of day, the start in UTC or None): a date that is the
        whole start (no start time column) is checked and placed in time here, in its
        column's turn; a date joined with a start time is placed by ``settle``."""
        moment, has_time, problem = reading
        if problem is not None or moment is None:
            return None, problem
        if self.joined:
            return (moment, has_time, None), None
        if not has_time and not self.midnight_allowed:
            shown = text if type(raw) is str else moment.date().isoformat()  # a cell's date
            return None, messages.DATE_WITHOUT_TIME.format(value=messages.shorten(shown))
        start, problem = to_utc(moment, self.zone, text)
        if problem is not None:
            return None, problem
        return (moment, has_time, start), None

    def _read_end(self, raw: Any, text: str) -> tuple[Any, Message | None]:
        time = read_time(raw, text) if not isinstance(raw, dt.datetime) else None
        if time is not None:
            return time, None
        moment, has_time, problem = read_date(raw, text, self.config)
        if problem is not None:
            if problem.code == messages.DATE_NOT_VALID.code:
                return None, messages.END_NOT_VALID.format(value=messages.shorten(text))
            return None, problem
        return (moment, has_time), None

    def _end_date(self, reading: DateReading, text: str) -> tuple[Any, Message | None]:
        moment, has_time, problem = reading
        if problem is not None:
            return None, problem
        if moment is not None and has_time and moment.time() != MIDNIGHT:
            return None, messages.END_DATE_HAS_TIME.format(value=messages.shorten(text))
        return moment, None

    def settle(self, parts: dict[str, tuple[Any, str]]) -> tuple[Settled, list[Problem]]:
        """A row's start, duration and end from its moment cells (``parts``: each column's value
        and text, for the cells read without a problem; an empty or wrong cell is absent)."""
        date = parts.get(DATE)
        if date is None:
            return NOTHING, NO_PROBLEM
        (written, has_time, start), date_text = date
        start_time = parts.get(START_TIME)
        local = written
        if self.joined:
            if start_time is not None:
                time, time_text = start_time
                # a date-time at 00:00 beside a start time is the date (a spreadsheet's date cell)
                if has_time and written.time() not in (time, MIDNIGHT):
                    message = messages.START_TIME_TWICE.format(
                        value=messages.shorten(date_text), time=time_text
                    )
                    return NOTHING, [Problem(message, START_TIME, time_text)]
                local = dt.datetime.combine(written.date(), time, tzinfo=written.tzinfo)
                text = f"{date_text} {time_text}"
            elif has_time:
                text = date_text
            else:
                message = messages.FIELD_EMPTY.format(field=START_TIME)
                return NOTHING, [Problem(message, START_TIME, "")]
            start, problem = to_utc(local, self.zone, text)
            if problem is not None or start is None:
                return NOTHING, [Problem(problem or messages.DATE_NOT_VALID, DATE, text)]
        time_value = start_time[0] if start_time is not None else None
        duration = parts.get(DURATION)
        minutes = warning = None
        if duration is not None:
            minutes, warning = duration[0]
        problems = NO_PROBLEM
        if warning is not None and duration is not None:
            problems = [Problem(warning, DURATION, duration[1], warning=True)]
        end_part, end_date = parts.get(END_TIME), parts.get(END_DATE)
        if end_part is None:
            if end_date is not None:
                message = messages.END_DATE_WITHOUT_END.format(value=end_date[1])
                return NOTHING, [Problem(message, END_DATE, end_date[1])]
            return Settled(start, minutes, time_value), problems
        end, end_problems = self._end(local, start, end_part, end_date)
        if end is None:
            return NOTHING, end_problems
        derived, rest = divmod(int((end - start).total_seconds()), 60)
        if rest:
            span = f"{shown_moment(start, self.zone)} to {end_part[1]}"
            message = messages.DURATION_NOT_WHOLE_MINUTES.format(value=span)
            return NOTHING, [Problem(message, END_TIME, end_part[1])]
        if minutes is not None and duration is not None:
            if minutes != derived:
                message = messages.DURATION_DISAGREES.format(
                    value=duration[1],
                    start=shown_moment(start, self.zone),
                    end=end_part[1],
                    hours=hours_and_minutes(derived),
                )
                return NOTHING, [Problem(message, DURATION, duration[1])]
        else:
            minutes = derived
            if minutes > DAY_MINUTES:
                message = messages.END_OVER_A_DAY.format(
                    start=shown_moment(start, self.zone),
                    end=end_part[1],
                    hours=hours_and_minutes(minutes),
                )
                problems = [*problems, Problem(message, END_TIME, end_part[1], warning=True)]
        day = end_date[0].date() if end_date is not None else None
        return Settled(start, minutes, time_value, end, day), problems

    def _end(
        self,
        local_start: dt.datetime,
        start: dt.datetime,
        end_part: tuple[Any, str],
        end_date: tuple[Any, str] | None,
    ) -> tuple[dt.datetime | None, list[Problem]]:
        value, text = end_part
        shown = text
        if isinstance(value, dt.time):
            day = end_date[0].date() if end_date is not None else local_start.date()
            local = dt.datetime.combine(day, value, tzinfo=local_start.tzinfo)
            if end_date is not None:
                shown = f"{end_date[1]} {text}"
        else:
            local, has_time = value
            if not has_time and not self.midnight_allowed:
                return None, [Problem(messages.END_WITHOUT_TIME.format(value=text), END_TIME, text)]
            if end_date is not None and end_date[0].date() != local.date():
                message = messages.END_DATE_DISAGREES.format(value=text, date=end_date[1])
                return None, [Problem(message, END_DATE, end_date[1])]
        end, problem = to_utc(local, self.zone, shown)
        if problem is not None or end is None:
            return None, [Problem(problem or messages.END_NOT_VALID, END_TIME, text)]
        if end <= start:
            template = (
                messages.END_NOT_AFTER_START_SAME_DAY
                if isinstance(value, dt.time) and end_date is None
                else messages.END_NOT_AFTER_START
            )
            message = template.format(value=shown, start=shown_moment(start, self.zone))
            return None, [Problem(message, END_TIME, text)]
        return end, NO_PROBLEM


def hours_and_minutes(minutes: int) -> str:
    """``3:00``, ``1:30``: a duration as a message shows it."""
    hours, rest = divmod(minutes, MINUTES_PER_HOUR)
    return f"{hours}:{rest:02d}"


def _time_or_not_valid(value: dt.time | None, text: str) -> tuple[Any, Message | None]:
    if value is None:
        return None, messages.TIME_NOT_VALID.format(value=messages.shorten(text))
    return value, None
