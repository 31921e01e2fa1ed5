"""Hostile cell values: each bad cell gives its own row error (line, column, value, message),
the row is not written, and values that only look odd are kept as data."""

import csv
import dataclasses
import datetime as dt
import io

import pytest

from imports.engine import ImportOptions, run_import
from imports.parsing.config import HEADER_CONFIG, date_pattern
from imports.parsing.messages import DATE_WITHOUT_TIME
from imports.parsing.results import ImportResult, RowError
from tests.conftest import HEADER, csv_bytes, make_row, xlsx_bytes
from training.models import Intervention, Room

UTC = dt.UTC
DURATION = "Duration {} not valid, hours (2, 1.5, 1h30, 1:30) or minutes (90 min) expected."
NOT_POSITIVE = "Duration {} not valid, more than 0 expected."
NOT_WHOLE_MINUTES = "Duration {} not valid, a whole number of minutes expected."
CAPACITY = "Capacity {} not valid, a whole number expected."
PARIS = "Europe/Paris"
DAY_FIRST = dataclasses.replace(
    HEADER_CONFIG, date_format=date_pattern("DD/MM/YYYY HH:II"), date_format_source="DD/MM/YYYY"
)


def counts() -> tuple[int, int]:
    return Intervention.objects.count(), Room.objects.count()


def import_csv(row: dict[str, str], config=None, **options) -> ImportResult:
    return run_import(csv_bytes([row]), "values.csv", config, ImportOptions(**options))


def only_error(result: ImportResult) -> RowError:
    assert (result.new, result.error_rows, result.file_errors) == (0, 1, [])
    [error] = result.errors
    return error


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("interventionDuration", "1.999", NOT_WHOLE_MINUTES.format("1.999")),  # 1.9 is 114 min
        ("interventionDuration", "1e3", DURATION.format("1e3")),
        ("interventionDuration", "-2", NOT_POSITIVE.format("-2")),
        ("interventionDuration", "0", NOT_POSITIVE.format("0")),
        ("interventionDuration", "+3", DURATION.format("+3")),
        ("interventionDuration", "١٢٣", DURATION.format("١٢٣")),
        ("interventionDuration", "３", DURATION.format("３")),
        ("interventionDuration", "NaN", DURATION.format("NaN")),
        ("interventionDuration", "inf", DURATION.format("inf")),
        ("interventionDuration", "1_000", DURATION.format("1_000")),
        ("interventionDuration", "9" * 400, DURATION.format("9" * 79 + "…")),
        ("interventionDuration", "2147483648", DURATION.format("2147483648")),
        ("roomCapacity", "-2", CAPACITY.format("-2")),
        ("roomCapacity", "12.5", CAPACITY.format("12.5")),
        ("roomCapacity", "1e3", CAPACITY.format("1e3")),
        ("interventionDate", "2027-02-30T09:00:00", "Date 2027-02-30T09:00:00 not valid."),
        ("interventionDate", "46447.375", "Date 46447.375 not valid."),
        ("interventionDate", "２０２７-03-01", "Date ２０２７-03-01 not valid."),
        # read as the site's language writes dates (en-us: month first), then no time of day
        ("interventionDate", "01/03/2027", DATE_WITHOUT_TIME.format(value="01/03/2027")),
        ("interventionDate", "01.03.2027", DATE_WITHOUT_TIME.format(value="01.03.2027")),
        ("interventionDate", "2027-03-01", DATE_WITHOUT_TIME.format(value="2027-03-01")),
        (
            "interventionGuid",
            "G" * 41,
            "Field interventionGuid is too long (41 characters, 40 at most).",
        ),
        ("roomLabel", "L" * 256, "Field roomLabel is too long (256 characters, 255 at most)."),
        ("interventionGuid", "IV\u200b-1", "Field interventionGuid contains invisible characters."),
        ("roomGuid", "\ufeffR-101", "Field roomGuid contains invisible characters."),
        ("teacherLogin", "jdoe\u2060", "Field teacherLogin contains invisible characters."),
        ("sessionGuid", "SE\u202e-1", "Field sessionGuid contains invisible characters."),
        (
            "interventionDuration",
            "<script>alert(1)</script>",
            DURATION.format("<script>alert(1)</script>"),
        ),
        (
            "teacherLogin",
            "<img src=x onerror=alert(1)>",
            "Teacher with login <img src=x onerror=alert(1)> is not found.",
        ),
        ("interventionStatus", "a", "Status has invalid value a, A or C expected."),
    ],
)
def test_bad_value_is_a_row_error(demo, field, value, message):
    before = counts()
    error = only_error(import_csv(make_row(**{field: value})))
    assert counts() == before
    assert (error.line, error.column, error.message) == (2, field, message)
    assert error.value in {value, ""}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2027-03-28T02:30:00", "it does not exist in time zone Europe/Paris"),
        ("2027-10-31T02:30:00", "it is ambiguous in time zone Europe/Paris"),
    ],
    ids=["dst-gap", "dst-fold"],
)
def test_daylight_saving_gap_and_fold_are_refused(demo, value, message):
    error = only_error(import_csv(make_row(interventionDate=value), time_zone=PARIS))
    assert error.message.startswith(f"Date {value} not valid: {message}")
    assert (error.line, error.column, error.value) == (2, "interventionDate", value)


@pytest.mark.parametrize(
    ("value", "zone", "expected"),
    [
        ("2027-10-31T02:30:00+02:00", PARIS, dt.datetime(2027, 10, 31, 0, 30, tzinfo=UTC)),
        ("2027-10-31T02:30:00+01:00", PARIS, dt.datetime(2027, 10, 31, 1, 30, tzinfo=UTC)),
        ("2027-03-01T09:00:00-05:00", PARIS, dt.datetime(2027, 3, 1, 14, 0, tzinfo=UTC)),
        ("2027-03-01T09:00:00Z", PARIS, dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC)),
        ("2027-03-01T09:00:00", PARIS, dt.datetime(2027, 3, 1, 8, 0, tzinfo=UTC)),
        ("2027-07-01 09:00", PARIS, dt.datetime(2027, 7, 1, 7, 0, tzinfo=UTC)),
        ("2027-03-01T09:00:00", "UTC", dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC)),
    ],
)
def test_offsets_and_zones_give_the_right_instant(demo, value, zone, expected):
    result = import_csv(make_row(interventionDate=value), time_zone=zone)
    assert (result.new, result.errors) == (1, [])
    assert Intervention.objects.get(guid="IV-1").start == expected


def test_unknown_time_zone_is_a_file_problem(demo):
    result = import_csv(make_row(), time_zone="Mars/Olympus")
    assert [e.message for e in result.file_errors] == ["Unknown time zone Mars/Olympus."]
    assert Intervention.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("01/03/2027 09:00", dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC)),
        ("13/01/2027 09:00", dt.datetime(2027, 1, 13, 9, 0, tzinfo=UTC)),
        ("01/13/2027 09:00", None),
        ("2027-03-01T09:00:00", None),
    ],
    ids=["day-first", "day-13", "month-13", "iso-when-a-format-is-set"],
)
def test_date_format_decides_day_and_month_order(demo, value, expected):
    result = import_csv(make_row(interventionDate=value), DAY_FIRST, time_zone="UTC")
    if expected is None:
        assert only_error(result).message == f"Date {value} not valid."
    else:
        assert (result.new, result.errors) == (1, [])
        assert Intervention.objects.get(guid="IV-1").start == expected


def xlsx_row(**cells) -> list:
    row = make_row()
    row.update(cells)
    return [row[name] for name in HEADER]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"interventionDate": 46447.375}, {"start": dt.datetime(2027, 3, 1, 9, tzinfo=UTC)}),
        (
            {"interventionDate": dt.datetime(2027, 3, 1, 10, 30)},
            {"start": dt.datetime(2027, 3, 1, 10, 30, tzinfo=UTC)},
        ),
        ({"interventionDuration": 4.0}, {"duration_minutes": 240}),
        ({"interventionDuration": 5}, {"duration_minutes": 300}),
        ({"interventionDuration": 1.9}, {"duration_minutes": 114}),
        ({"interventionDuration": dt.time(1, 30)}, {"duration_minutes": 90}),
    ],
    ids=["excel-serial", "excel-datetime", "float-whole", "int", "float-hours", "time-cell"],
)
def test_typed_spreadsheet_cells_are_accepted(demo, cells, expected):
    result = run_import(xlsx_bytes([xlsx_row(**cells)]), "typed.xlsx", None, ImportOptions())
    assert (result.new, result.errors, result.file_errors) == (1, [], [])
    stored = Intervention.objects.get(guid="IV-1")
    assert {name: getattr(stored, name) for name in expected} == expected


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (
            {"interventionDuration": 1.999},
            "interventionDuration",
            NOT_WHOLE_MINUTES.format("1.999"),
        ),
        ({"interventionDuration": True}, "interventionDuration", DURATION.format("True")),
        ({"interventionDuration": -2}, "interventionDuration", NOT_POSITIVE.format("-2")),
        (
            {"interventionDate": dt.date(2027, 3, 2)},  # a date cell: no time of day
            "interventionDate",
            DATE_WITHOUT_TIME.format(value="2027-03-02"),
        ),
        (
            {"interventionDate": dt.datetime(2027, 3, 2)},  # a date-time cell at 00:00: the same
            "interventionDate",
            DATE_WITHOUT_TIME.format(value="2027-03-02"),
        ),
        ({"roomCapacity": 10**12}, "roomCapacity", CAPACITY.format(str(10**12))),
        ({"interventionDate": 10**9}, "interventionDate", f"Date {10**9} not valid."),
        ({"interventionDate": -5}, "interventionDate", "Date -5 not valid."),
    ],
    ids=[
        "float",
        "bool",
        "negative",
        "date-cell",
        "midnight-cell",
        "huge",
        "serial-out-of-range",
        "serial-negative",
    ],
)
def test_bad_typed_spreadsheet_cells_are_row_errors(demo, cells, column, message):
    before = counts()
    result = run_import(xlsx_bytes([xlsx_row(**cells)]), "typed.xlsx", None, ImportOptions())
    error = only_error(result)
    assert counts() == before
    assert (error.line, error.column, error.message) == (2, column, message)


def test_surrounding_spaces_are_trimmed(demo):
    row = make_row(interventionGuid="  IV-1\t", roomGuid=" R-101 ", teacherLogin=" jdoe ")
    result = import_csv(row)
    assert (result.new, result.errors) == (1, [])
    assert Intervention.objects.filter(guid="IV-1", room__guid="R-101").exists()


@pytest.mark.parametrize(
    "label",
    [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        '=HYPERLINK("http://evil")',
        "Robert'); DROP TABLE training_room;--",
    ],
    ids=["script", "attribute-breakout", "formula", "sql"],
)
def test_markup_and_code_in_cells_are_kept_as_data(demo, label):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_ALL)
    writer.writerows([HEADER, xlsx_row(roomGuid="R-NEW", roomLabel=label)])
    result = run_import(buffer.getvalue().encode(), "markup.csv", None, ImportOptions())
    assert (result.new, result.errors) == (1, [])
    assert Room.objects.get(guid="R-NEW").label == label
