"""Dates and times of day as planning tools write them (``imports/parsing/moments.py``): every
form read with no option, the weekday check, the ``dateFormat`` tokens, and a row's start and
duration made of its date, start time, end time and end date (``Moments.settle``)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from imports.parsing.config import HEADER_CONFIG, ImportConfig, date_pattern
from imports.parsing.date_order import DAY_FIRST, MONTH_FIRST
from imports.parsing.moments import Moments, read_date, read_date_text, read_time, read_time_text

D = dt.datetime
UTC = dt.UTC
PARIS = ZoneInfo("Europe/Paris")
DAY = ImportConfig(inferred_date_formats=DAY_FIRST)
MONTH = ImportConfig(inferred_date_formats=MONTH_FIRST)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", dt.time(9)),
        ("9:00", dt.time(9)),
        ("9h", dt.time(9)),
        ("9H", dt.time(9)),
        ("09h30", dt.time(9, 30)),
        ("9:00 AM", dt.time(9)),
        ("9:00AM", dt.time(9)),
        ("9 am", dt.time(9)),
        ("9:00 a.m.", dt.time(9)),
        ("12:30 PM", dt.time(12, 30)),
        ("12:00 AM", dt.time(0)),
        ("1:15 pm", dt.time(13, 15)),
        ("13:00", dt.time(13)),
        ("00:00", dt.time(0)),
        ("23:59:59", dt.time(23, 59, 59)),
        ("09:00:30", dt.time(9, 0, 30)),
        ("9", None),  # an hour alone: 9h, 9:00 or 9 AM
        ("24:00", None),
        ("9:60", None),
        ("13:00 PM", None),
        ("0:30 AM", None),
        ("9:0", None),
        ("9h30:00", None),
        ("２:00", None),
        ("noon", None),
        ("", None),
    ],
)
def test_times_of_day_with_no_option(text, expected):
    assert read_time_text(text) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.time(9, 30), dt.time(9, 30)),
        (D(1899, 12, 30, 14, 0), dt.time(14)),
        (0.375, dt.time(9)),
        (0.5, dt.time(12)),
        (1.5, None),
        (-0.1, None),
    ],
)
def test_spreadsheet_times(raw, expected):
    assert read_time(raw, str(raw)) == expected


@pytest.mark.parametrize(
    ("text", "config", "moment", "has_time"),
    [
        ("2027-03-01T09:00", HEADER_CONFIG, D(2027, 3, 1, 9), True),
        ("2027-03-01 09:00:30", HEADER_CONFIG, D(2027, 3, 1, 9, 0, 30), True),
        ("2027-03-01", HEADER_CONFIG, D(2027, 3, 1), False),
        ("20270301", HEADER_CONFIG, D(2027, 3, 1), False),
        ("2027-03-01 00:00", HEADER_CONFIG, D(2027, 3, 1), True),  # midnight, written
        ("2027-03-01 9:00", HEADER_CONFIG, D(2027, 3, 1, 9), True),
        ("2027-03-01 9:00 AM", HEADER_CONFIG, D(2027, 3, 1, 9), True),
        ("2027/03/01 09:00", HEADER_CONFIG, D(2027, 3, 1, 9), True),
        ("2027/03/01", HEADER_CONFIG, D(2027, 3, 1), False),
        ("2027.03.01 9h30", HEADER_CONFIG, D(2027, 3, 1, 9, 30), True),
        ("25/03/2027 09:00", HEADER_CONFIG, D(2027, 3, 25, 9), True),  # only one way to read
        ("03/25/2027 09:00", HEADER_CONFIG, D(2027, 3, 25, 9), True),
        ("10/03/2027 09:00", DAY, D(2027, 3, 10, 9), True),
        ("10/03/2027 09:00", MONTH, D(2027, 10, 3, 9), True),
        ("05-10-2027 14h", DAY, D(2027, 10, 5, 14), True),
        ("05-10-2027 2:00 PM", MONTH, D(2027, 5, 10, 14), True),
        ("14.04.2027", DAY, D(2027, 4, 14), False),
        ("14.04.2027 09:00", HEADER_CONFIG, D(2027, 4, 14, 9), True),
        ("1/3/2027 9:00", DAY, D(2027, 3, 1, 9), True),
        ("25/03/2027, 09:00", DAY, D(2027, 3, 25, 9), True),
        ("Jeudi 22/02/2018", DAY, D(2018, 2, 22), False),
        ("jeudi 22/02/2018 9h", DAY, D(2018, 2, 22, 9), True),
        ("JEU. 22/02/2018 9h", DAY, D(2018, 2, 22, 9), True),
        ("Thu 2027-03-04", HEADER_CONFIG, D(2027, 3, 4), False),
        ("thursday, 2027-03-04 09:00", HEADER_CONFIG, D(2027, 3, 4, 9), True),
        ("Thu 03/04/2027 9:00 AM", MONTH, D(2027, 3, 4, 9), True),
        ("dimanche 07.03.2027 10:00", DAY, D(2027, 3, 7, 10), True),
    ],
)
def test_dates_with_no_option(text, config, moment, has_time):
    assert read_date_text(text, config) == (moment, has_time, None)


WEEKDAY = "Date {} not valid: {} is a {}."


@pytest.mark.parametrize(
    ("text", "config", "message", "code"),
    [
        (
            "Jeudi 23/02/2018",
            DAY,
            WEEKDAY.format("Jeudi 23/02/2018", "2018-02-23", "Friday (vendredi)"),
            "date_wrong_weekday",
        ),
        (
            "Thu 2027-03-05 09:00",
            HEADER_CONFIG,
            WEEKDAY.format("Thu 2027-03-05 09:00", "2027-03-05", "Friday"),
            "date_wrong_weekday",
        ),
        (
            "Mon. 03/04/2027",
            MONTH,
            WEEKDAY.format("Mon. 03/04/2027", "2027-03-04", "Thursday"),
            "date_wrong_weekday",
        ),
        (
            "Someday 2027-03-04",
            HEADER_CONFIG,
            "Date Someday 2027-03-04 not valid.",
            "date_not_valid",
        ),
        ("03/04/2027 09:00", HEADER_CONFIG, None, "date_order_ambiguous"),
        ("03.04.2027", HEADER_CONFIG, None, "date_order_ambiguous"),
        ("Thu 03-04-2027", HEADER_CONFIG, None, "date_order_ambiguous"),
        ("31/02/2027 09:00", DAY, "Date 31/02/2027 09:00 not valid.", "date_not_valid"),
        ("25/03/2027 25:00", DAY, "Date 25/03/2027 25:00 not valid.", "date_not_valid"),
        ("25/03/2027 9", DAY, "Date 25/03/2027 9 not valid.", "date_not_valid"),
        (
            "2027/03/01 13:00 PM",
            HEADER_CONFIG,
            "Date 2027/03/01 13:00 PM not valid.",
            "date_not_valid",
        ),
        ("2027-03/01", HEADER_CONFIG, "Date 2027-03/01 not valid.", "date_not_valid"),
        ("25/03/27 09:00", DAY, "Date 25/03/27 09:00 not valid.", "date_not_valid"),
        ("１０/03/2027", DAY, "Date １０/03/2027 not valid.", "date_not_valid"),
    ],
)
def test_dates_that_are_not_valid_say_why(text, config, message, code):
    moment, has_time, problem = read_date_text(text, config)
    assert (moment, problem.code) == (None, code)
    if message is not None:
        assert problem == message


@pytest.mark.parametrize(
    ("source", "text", "moment", "has_time"),
    [
        ("DD/MM/YYYY HH:II", "25/03/2027 09:30", D(2027, 3, 25, 9, 30), True),
        ("DD/MM/YYYY", "25/03/2027", D(2027, 3, 25), False),
        ("DD/MM/YYYY hh:II AA", "25/03/2027 09:30 PM", D(2027, 3, 25, 21, 30), True),
        ("DD/MM/YYYY hh:II AA", "25/03/2027 12:00 am", D(2027, 3, 25, 0), True),
        ("WW DD/MM/YYYY", "Thursday 25/03/2027", D(2027, 3, 25), False),
        ("WW DD/MM/YYYY", "jeudi 25/03/2027", D(2027, 3, 25), False),
        ("WW DD/MM/YYYY", "JEU. 25/03/2027", D(2027, 3, 25), False),
        ("WW, DD/MM/YYYY HH:II", "Thu, 25/03/2027 09:00", D(2027, 3, 25, 9), True),
        ("DD/MM/YYYY HH:II WW", "25/03/2027 09:00 thu", D(2027, 3, 25, 9), True),
    ],
)
def test_the_date_format_tokens(source, text, moment, has_time):
    config = ImportConfig(date_format=date_pattern(source), date_format_source=source)
    assert read_date_text(text, config) == (moment, has_time, None)


@pytest.mark.parametrize(
    ("source", "text", "message"),
    [
        (
            "WW DD/MM/YYYY",
            "Friday 25/03/2027",
            WEEKDAY.format("Friday 25/03/2027", "2027-03-25", "Thursday"),
        ),
        (
            "WW DD/MM/YYYY",
            "vendredi 25/03/2027",
            WEEKDAY.format("vendredi 25/03/2027", "2027-03-25", "Thursday (jeudi)"),
        ),
        ("WW DD/MM/YYYY", "25/03/2027", "Date 25/03/2027 not valid."),
        ("DD/MM/YYYY hh:II AA", "25/03/2027 13:30 PM", "Date 25/03/2027 13:30 PM not valid."),
        ("DD/MM/YYYY HH:II", "2027-03-25T09:00", "Date 2027-03-25T09:00 not valid."),
    ],
)
def test_the_date_format_is_obeyed(source, text, message):
    config = ImportConfig(date_format=date_pattern(source), date_format_source=source)
    assert read_date_text(text, config)[2] == message


@pytest.mark.parametrize(
    ("source", "pattern"),
    [
        ("DD/MM/YYYY hh:II AA", "%d/%m/%Y %I:%M %p"),
        ("WW DD/MM/YYYY HH:II", "%A %d/%m/%Y %H:%M"),
        ("DD/MM/YYYY hh:II", None),  # a 12-hour clock needs its AM/PM marker
        ("DD/MM/YYYY HH:II AA", None),
        ("DD/MM/YYYY HH hh:II AA", None),
        ("WW WW DD/MM/YYYY", None),
        ("DD/MM/YYYY hh:ii", None),
    ],
)
def test_the_new_tokens_are_checked(source, pattern):
    assert date_pattern(source) == pattern


@pytest.mark.parametrize(
    ("raw", "moment", "has_time"),
    [
        (D(2027, 3, 1, 9), D(2027, 3, 1, 9), True),
        (D(2027, 3, 1), D(2027, 3, 1), False),  # a date-time cell at 00:00: a date (our choice)
        (dt.date(2027, 3, 1), D(2027, 3, 1), False),
        (46447.375, D(2027, 3, 1, 9), True),
        (46447, D(2027, 3, 1), False),
        (46447.0, D(2027, 3, 1), False),
    ],
)
def test_spreadsheet_dates(raw, moment, has_time):
    assert read_date(raw, str(raw), HEADER_CONFIG) == (moment, has_time, None)


# A row's moments: (cells by column) -> (start, minutes) or the first problem's (code, column).
SHAPES = {
    "date-time + duration": ("interventionDate", "interventionDuration"),
    "date + time + duration": ("interventionDate", "interventionStartTime", "interventionDuration"),
    "date + time + end": ("interventionDate", "interventionStartTime", "interventionEndTime"),
    "date + time + end date + end": (
        "interventionDate",
        "interventionStartTime",
        "interventionEndDate",
        "interventionEndTime",
    ),
    "date-time + end": ("interventionDate", "interventionEndTime"),
    "date-time + duration + end": (
        "interventionDate",
        "interventionDuration",
        "interventionEndTime",
    ),
}


def settle(shape, *texts, config=HEADER_CONFIG, zone=PARIS):
    columns = dict(zip(SHAPES[shape], range(len(SHAPES[shape])), strict=True))
    moments = Moments(columns, config, zone)
    parts = {}
    for name, text in zip(SHAPES[shape], texts, strict=True):
        if not text:
            continue
        value, problem = moments.reader(name)(text, text)
        if problem is not None:
            return (problem.code, name)
        parts[name] = (value, text)
    settled, problems = moments.settle(parts)
    errors = [p for p in problems if not p.warning]
    if errors:
        return (errors[0].message.code, errors[0].column)
    warnings = [p.message.code for p in problems if p.warning]
    start = settled.start.astimezone(zone).replace(tzinfo=None) if settled.start else None
    return (start, settled.duration, *warnings)


@pytest.mark.parametrize(
    ("shape", "texts", "expected"),
    [
        ("date-time + duration", ("2027-03-01 09:00", "3"), (D(2027, 3, 1, 9), 180)),
        ("date-time + duration", ("2027-03-01", "3"), ("date_without_time", "interventionDate")),
        (
            "date-time + duration",
            ("2027-03-01 09:00", "90"),
            (D(2027, 3, 1, 9), 5400, "duration_read_as_hours"),
        ),
        ("date + time + duration", ("2027-03-01", "9h", "1h30"), (D(2027, 3, 1, 9), 90)),
        (
            "date + time + duration",
            ("2027-03-01", "", "1h30"),
            ("field_empty", "interventionStartTime"),
        ),
        ("date + time + duration", ("2027-03-01 09:00", "", "2"), (D(2027, 3, 1, 9), 120)),
        ("date + time + duration", ("2027-03-01 00:00", "10:00", "2"), (D(2027, 3, 1, 10), 120)),
        ("date + time + duration", ("2027-03-01 09:00", "09:00", "2"), (D(2027, 3, 1, 9), 120)),
        (
            "date + time + duration",
            ("2027-03-01 09:00", "10:00", "2"),
            ("start_time_twice", "interventionStartTime"),
        ),
        (
            "date + time + duration",
            ("2027-03-01", "25:00", "2"),
            ("time_not_valid", "interventionStartTime"),
        ),
        (
            "date + time + duration",
            ("2027-03-28", "02:30", "2"),
            ("date_does_not_exist", "interventionDate"),
        ),
        ("date + time + end", ("2027-03-01", "09:00", "12:00"), (D(2027, 3, 1, 9), 180)),
        (
            "date + time + end",
            ("01/03/2027", "9:00 AM", "12:30 PM"),
            ("date_order_ambiguous", "interventionDate"),
        ),
        ("date + time + end", ("25/03/2027", "9:00 AM", "12:30 PM"), (D(2027, 3, 25, 9), 210)),
        (
            "date + time + end",
            ("2027-03-01", "09:00", "08:00"),
            ("end_not_after_start_same_day", "interventionEndTime"),
        ),
        (
            "date + time + end",
            ("2027-03-01", "09:00", "09:00"),
            ("end_not_after_start_same_day", "interventionEndTime"),
        ),
        (
            "date + time + end",
            ("2027-03-01", "09:00", "09:00:30"),
            ("duration_not_whole_minutes", "interventionEndTime"),
        ),
        (
            "date + time + end",
            ("2027-03-01", "22:00", "2027-03-02 02:00"),
            (D(2027, 3, 1, 22), 240),
        ),
        (
            "date + time + end",
            ("2027-03-01", "09:00", "2027-03-02 10:00"),
            (D(2027, 3, 1, 9), 1500, "end_over_a_day"),
        ),
        (
            "date + time + end",
            ("2027-03-01", "09:00", "2027-03-02"),
            ("end_without_time", "interventionEndTime"),
        ),
        (
            "date + time + end",
            ("2027-03-01", "09:00", "noon"),
            ("end_not_valid", "interventionEndTime"),
        ),
        ("date + time + end", ("2027-03-01", "09:00", ""), (D(2027, 3, 1, 9), None)),  # the pair's
        # across the spring change in Paris: 01:30 to 04:30 is 2 hours that pass
        ("date + time + end", ("2027-03-28", "01:30", "04:30"), (D(2027, 3, 28, 1, 30), 120)),
        (
            "date + time + end date + end",
            ("2027-03-01", "22:00", "2027-03-02", "06:00"),
            (D(2027, 3, 1, 22), 480),
        ),
        (
            "date + time + end date + end",
            ("2027-03-01", "22:00", "", "23:00"),
            (D(2027, 3, 1, 22), 60),
        ),
        (
            "date + time + end date + end",
            ("2027-03-01", "22:00", "2027-02-28", "23:00"),
            ("end_not_after_start", "interventionEndTime"),
        ),
        (
            "date + time + end date + end",
            ("2027-03-01", "22:00", "2027-03-01 10:00", "23:00"),
            ("end_date_has_time", "interventionEndDate"),
        ),
        (
            "date + time + end date + end",
            ("2027-03-01", "22:00", "2027-03-02", ""),
            ("end_date_without_end", "interventionEndDate"),
        ),
        (
            "date + time + end date + end",
            ("2027-03-01", "22:00", "2027-03-03", "2027-03-02 01:00"),
            ("end_date_disagrees", "interventionEndDate"),
        ),
        ("date-time + end", ("2027-03-01 09:00", "2027-03-01 10:30"), (D(2027, 3, 1, 9), 90)),
        ("date-time + end", ("Mon 2027/03/01 9h", "10h30"), (D(2027, 3, 1, 9), 90)),
        (
            "date-time + duration + end",
            ("2027-03-01 09:00", "1.5", "10:30"),
            (D(2027, 3, 1, 9), 90),
        ),
        (
            "date-time + duration + end",
            ("2027-03-01 09:00", "90 min", "10:30"),
            (D(2027, 3, 1, 9), 90),
        ),
        (
            "date-time + duration + end",
            ("2027-03-01 09:00", "2", "10:30"),
            ("duration_disagrees", "interventionDuration"),
        ),
        ("date-time + duration + end", ("2027-03-01 09:00", "", "10:30"), (D(2027, 3, 1, 9), 90)),
        ("date-time + duration + end", ("2027-03-01 09:00", "1.5", ""), (D(2027, 3, 1, 9), 90)),
    ],
)
def test_a_row_s_start_and_duration(shape, texts, expected):
    assert settle(shape, *texts) == expected


def test_a_date_format_without_a_time_part_starts_at_midnight():
    config = ImportConfig(date_format=date_pattern("DD/MM/YYYY"), date_format_source="DD/MM/YYYY")
    found = settle("date-time + duration", "01/03/2027", "2", config=config)
    assert found == (D(2027, 3, 1), 120)


def test_the_messages_say_what_is_wrong():
    columns = {"interventionDate": 0, "interventionStartTime": 1, "interventionEndTime": 2}
    moments = Moments(columns, HEADER_CONFIG, PARIS)
    parts = {
        "interventionDate": (
            moments.reader("interventionDate")("2027-03-01", "2027-03-01")[0],
            "2027-03-01",
        ),
        "interventionStartTime": (dt.time(22), "22:00"),
        "interventionEndTime": (dt.time(2), "02:00"),
    }
    _, [problem] = moments.settle(parts)
    assert problem.message == (
        "End 02:00 is not after the start (2027-03-01 22:00); an end on another day goes in"
        " interventionEndDate."
    )
    parts["interventionEndTime"] = (dt.time(12), "12:00")
    columns["interventionDuration"] = 3
    moments = Moments(columns, HEADER_CONFIG, PARIS)
    parts["interventionStartTime"] = (dt.time(9), "09:00")
    parts["interventionDuration"] = ((120, None), "2")
    _, [problem] = moments.settle(parts)
    assert problem.message == (
        "Duration 2 does not agree with the end: 2027-03-01 09:00 to 12:00 is 3:00."
    )
    date, problem = moments.reader("interventionDate")("2027-03-01", "2027-03-01")
    assert problem is None
    no_time = Moments({"interventionDate": 0, "interventionDuration": 1}, HEADER_CONFIG, UTC_ZONE)
    assert no_time.reader("interventionDate")("2027-03-01", "2027-03-01")[1] == (
        "Date 2027-03-01 has no time of day: the start time is in another column?"
    )


UTC_ZONE = ZoneInfo("UTC")
