"""Durations to the minute (``imports/parsing/durations.py``): every form read, every message,
and the export's writing, which reads back as the same minutes."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imports.parsing.durations import (
    duration_cell,
    hours_text,
    read_duration,
    read_duration_text,
)
from imports.parsing.rows import WHOLE_HOURS

NOT_VALID = "Duration {} not valid, hours (2, 1.5, 1h30, 1:30) or minutes (90 min) expected."
NOT_VALID_MINUTES = "Duration {} not valid, minutes (90, 1h30, 1:30) expected."
NOT_POSITIVE = "Duration {} not valid, more than 0 expected."
NOT_WHOLE = "Duration {} not valid, a whole number of minutes expected."
AS_HOURS = (
    "Duration {0} is read as {0} hours; if it is minutes, set <durationUnit>minutes</durationUnit>."
)
OVER_A_DAY = "Duration {} is read as {} minutes, more than 24 hours."


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("2", 120),
        ("1.5", 90),
        ("1,5", 90),
        ("3,0", 180),
        ("0.75", 45),
        ("1.9", 114),  # the seed refused it; 1 h 54 min is a whole number of minutes
        ("0.5", 30),
        ("09", 540),
        ("1h30", 90),
        ("01h30", 90),
        ("1H30", 90),
        ("1 h 30", 90),
        ("3h", 180),
        ("0h45", 45),
        ("1:30", 90),
        ("0:50", 50),
        ("24:00", 1440),
        ("90 min", 90),
        ("90min", 90),
        ("90 mn", 90),
        ("45 minutes", 45),
        ("1 minute", 1),
        ("24", 1440),  # a day: no warning
    ],
)
def test_every_form_is_read_to_the_minute(text, minutes):
    assert read_duration_text(text) == (minutes, None, None)


@pytest.mark.parametrize(
    ("text", "unit", "minutes"),
    [
        ("90", "minutes", 90),
        ("45", "minutes", 45),
        ("1h30", "minutes", 90),  # an explicit unit wins
        ("1:30", "minutes", 90),
        ("90 min", "minutes", 90),
        ("2", "hours", 120),
    ],
)
def test_a_bare_number_is_in_the_configured_unit(text, unit, minutes):
    assert read_duration_text(text, unit) == (minutes, None, None)


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("0", "hours", NOT_POSITIVE.format("0")),
        ("0.0", "hours", NOT_POSITIVE.format("0.0")),
        ("-2", "hours", NOT_POSITIVE.format("-2")),
        ("-1h30", "hours", NOT_POSITIVE.format("-1h30")),
        ("0 min", "hours", NOT_POSITIVE.format("0 min")),
        ("0:00", "hours", NOT_POSITIVE.format("0:00")),
        ("1.333", "hours", NOT_WHOLE.format("1.333")),
        ("0.01", "hours", NOT_WHOLE.format("0.01")),
        ("1.5", "minutes", NOT_WHOLE.format("1.5")),
        ("1h60", "hours", NOT_VALID.format("1h60")),
        ("1:5", "hours", NOT_VALID.format("1:5")),
        ("1h5", "hours", NOT_VALID.format("1h5")),
        ("+3", "hours", NOT_VALID.format("+3")),
        ("1e3", "hours", NOT_VALID.format("1e3")),
        ("NaN", "hours", NOT_VALID.format("NaN")),
        ("1.5.2", "hours", NOT_VALID.format("1.5.2")),
        ("١٢", "hours", NOT_VALID.format("١٢")),
        ("2 hours", "hours", NOT_VALID.format("2 hours")),
        ("99999999999", "hours", NOT_VALID.format("99999999999")),
        ("2147483648", "hours", NOT_VALID.format("2147483648")),  # its minutes: no integer
        ("abc", "minutes", NOT_VALID_MINUTES.format("abc")),
    ],
)
def test_what_is_not_a_duration_says_why(text, unit, message):
    assert read_duration_text(text, unit) == (None, message, None)


@pytest.mark.parametrize(
    ("text", "unit", "minutes", "warning"),
    [
        ("90", "hours", 5400, AS_HOURS.format("90")),
        ("25", "hours", 1500, AS_HOURS.format("25")),
        ("24.5", "hours", 1470, AS_HOURS.format("24.5")),
        ("30h", "hours", 1800, OVER_A_DAY.format("30h", 1800)),
        ("25:00", "hours", 1500, OVER_A_DAY.format("25:00", 1500)),
        ("1500 min", "hours", 1500, OVER_A_DAY.format("1500 min", 1500)),
        ("2000", "minutes", 2000, OVER_A_DAY.format("2000", 2000)),
    ],
)
def test_over_24_hours_is_read_with_a_warning_that_names_the_unit(text, unit, minutes, warning):
    found, problem, said = read_duration_text(text, unit)
    assert (found, problem, said) == (minutes, None, warning)
    assert said.code in ("duration_read_as_hours", "duration_over_a_day")


@pytest.mark.parametrize(
    ("raw", "text", "minutes", "problem"),
    [
        (2, "2", 120, None),
        (2.0, "2", 120, None),
        (1.5, "1.5", 90, None),
        (0.75, "0.75", 45, None),
        (1.55, "1.55", 93, None),  # as written, not its binary value
        (dt.time(1, 30), "01:30:00", 90, None),
        (dt.timedelta(hours=2, minutes=15), "2:15:00", 135, None),
        (dt.time(1, 30, 10), "01:30:10", None, NOT_WHOLE.format("01:30:10")),
        (True, "True", None, NOT_VALID.format("True")),
        (float("nan"), "nan", None, NOT_VALID.format("nan")),
        (-1.0, "-1", None, NOT_POSITIVE.format("-1")),
    ],
)
def test_spreadsheet_cells(raw, text, minutes, problem):
    assert read_duration(raw, text)[:2] == (minutes, problem)


@pytest.mark.parametrize(
    ("minutes", "text", "cell", "in_minutes"),
    [
        (120, "2", 2, 120),
        (90, "1.5", 1.5, 90),
        (45, "0.75", 0.75, 45),
        (93, "1.55", 1.55, 93),
        (50, "0:50", "0:50", 50),
        (100, "1:40", "1:40", 100),
        (1, "0:01", "0:01", 1),
        (1500, "25", 25, 1500),
    ],
)
def test_the_export_writes_hours_as_a_number_when_two_decimals_hold_them(
    minutes, text, cell, in_minutes
):
    assert hours_text(minutes) == text
    assert duration_cell(minutes, None) == cell
    assert duration_cell(minutes, "minutes") == in_minutes


@given(st.integers(1, 100_000), st.sampled_from([None, "hours", "minutes"]))
def test_what_the_export_writes_reads_back_as_the_same_minutes(minutes, unit):
    cell = duration_cell(minutes, unit)
    read_unit = "minutes" if unit == "minutes" else "hours"
    assert read_duration(cell, str(cell), read_unit)[0] == minutes
    assert read_duration_text(str(cell), read_unit)[0] == minutes


def test_the_fast_path_s_table_of_whole_hours_reads_as_the_reader_does():
    for text, minutes in WHOLE_HOURS.items():
        assert read_duration_text(text) == (minutes, None, None)
    assert set(WHOLE_HOURS) >= {"1", "8", "24", "09"} and not {"0", "00", "25"} & set(WHOLE_HOURS)
