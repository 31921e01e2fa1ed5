"""Starts, ends and durations to the minute, through the engine: every shape of file (a date
and a start time, an end instead of a duration, an end on another day), by configuration and by
header names; their row errors and warnings; the notes that say what was derived; and a
hypothesis property: whatever the start (to the minute), the duration and the shape, the
stored start and duration are the same."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from imports.engine import ImportOptions, run_import
from imports.parsing.config import ConfigError, parse_config
from imports.parsing.durations import hours_text
from imports.parsing.results import ImportResult
from tests.conftest import VALID_ROW
from training.models import Intervention

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
UTC = dt.UTC
KEYS = [
    "interventionGuid",
    "trainingGuid",
    "sessionGuid",
    "roomGuid",
    "roomLabel",
    "teacherLogin",
    "interventionStatus",
]
ONE_CELL = ["interventionDate", "interventionDuration"]
DATE_TIME = ["interventionDate", "interventionStartTime", "interventionDuration"]
DATE_TIME_END = ["interventionDate", "interventionStartTime", "interventionEndTime"]
WITH_END_DATE = [
    "interventionDate",
    "interventionStartTime",
    "interventionEndDate",
    "interventionEndTime",
]
BOTH = ["interventionDate", "interventionStartTime", "interventionDuration", "interventionEndTime"]


def xml(columns: list[str], provider: str = "") -> str:
    mapped = "".join(f"<{name}/>" for name in KEYS + columns)
    return f"""<import-config><import><providers><fileSystemSourceProvider>
      <columnsMapping>{mapped}</columnsMapping>{provider}
    </fileSystemSourceProvider></providers>
    <actions><createOrUpdateInterventionAction><fields>{mapped}</fields>
    </createOrUpdateInterventionAction></actions></import></import-config>"""


def config_of(columns: list[str], provider: str = ""):
    return parse_config(xml(columns, provider))[0]


def csv(columns: list[str], *rows: tuple[str, ...], header: bool = True) -> bytes:
    lines = [";".join(KEYS + columns)] if header else []
    for n, values in enumerate(rows, start=1):
        keys = [f"IV-{n}" if k == "interventionGuid" else VALID_ROW[k] for k in KEYS]
        lines.append(";".join(keys + list(values)))
    return ("\n".join(lines) + "\n").encode()


def run(data: bytes, config=None, **options) -> ImportResult:
    options.setdefault("time_zone", "Europe/Paris")
    return run_import(data, "times.csv", config, ImportOptions(**options))


def stored() -> dict[str, tuple[str, int]]:
    return {
        guid: (start.astimezone(PARIS).strftime("%Y-%m-%d %H:%M"), minutes)
        for guid, start, minutes in Intervention.objects.values_list(
            "guid", "start", "duration_minutes"
        )
    }


@pytest.mark.parametrize(
    ("columns", "cells", "start", "minutes"),
    [
        (ONE_CELL, ("2027-03-01 09:00", "1.5"), "2027-03-01 09:00", 90),
        (ONE_CELL, ("2027-03-01 09:00", "1,5"), "2027-03-01 09:00", 90),
        (ONE_CELL, ("2027-03-01 09:00", "3,0"), "2027-03-01 09:00", 180),
        (ONE_CELL, ("2027-03-01 09:00", "01h30"), "2027-03-01 09:00", 90),
        (ONE_CELL, ("2027-03-01 09:00", "1:30"), "2027-03-01 09:00", 90),
        (ONE_CELL, ("2027-03-01 09:00", "45 min"), "2027-03-01 09:00", 45),
        (ONE_CELL, ("2027/03/01 9:00 AM", "2"), "2027-03-01 09:00", 120),
        (ONE_CELL, ("Thu 2027-03-04 14h", "2"), "2027-03-04 14:00", 120),
        (ONE_CELL, ("Jeudi 22/02/2018 9h30", "2"), "2018-02-22 09:30", 120),
        (ONE_CELL, ("14.04.2027 12:30 PM", "2"), "2027-04-14 12:30", 120),
        (ONE_CELL, ("25-10-2027 13:00", "2"), "2027-10-25 13:00", 120),
        (DATE_TIME, ("2027-03-01", "09:00", "3"), "2027-03-01 09:00", 180),
        (DATE_TIME, ("2027-03-01", "9h", "1h30"), "2027-03-01 09:00", 90),
        (DATE_TIME, ("2027-03-01", "2:15 PM", "0.75"), "2027-03-01 14:15", 45),
        (DATE_TIME_END, ("2027-03-01", "09:00", "12:00"), "2027-03-01 09:00", 180),
        (DATE_TIME_END, ("2027-03-01", "09:00", "10:30"), "2027-03-01 09:00", 90),
        (DATE_TIME_END, ("2027-03-01", "09:00", "09:45"), "2027-03-01 09:00", 45),
        (DATE_TIME_END, ("2027-03-01", "22:00", "2027-03-02 01:00"), "2027-03-01 22:00", 180),
        (WITH_END_DATE, ("2027-03-01", "22:00", "2027-03-02", "06:30"), "2027-03-01 22:00", 510),
        (WITH_END_DATE, ("2027-03-01", "09:00", "", "10:00"), "2027-03-01 09:00", 60),
        (BOTH, ("2027-03-01", "09:00", "1.5", "10:30"), "2027-03-01 09:00", 90),
        (BOTH, ("2027-03-01", "09:00", "", "10:30"), "2027-03-01 09:00", 90),
        (BOTH, ("2027-03-01", "09:00", "1.5", ""), "2027-03-01 09:00", 90),
    ],
)
def test_each_shape_stores_its_start_and_duration_to_the_minute(
    demo, columns, cells, start, minutes
):
    result = run(csv(columns, cells), config_of(columns))
    assert (result.file_errors, result.errors, result.new) == ([], [], 1)
    assert stored() == {"IV-1": (start, minutes)}


@pytest.mark.parametrize(
    ("columns", "cells", "column", "message"),
    [
        (
            ONE_CELL,
            ("2027-03-01", "2"),
            "interventionDate",
            "Date 2027-03-01 has no time of day: the start time is in another column?",
        ),
        (
            DATE_TIME_END,
            ("2027-03-01", "09:00", "08:00"),
            "interventionEndTime",
            "End 08:00 is not after the start (2027-03-01 09:00); an end on another day goes in"
            " interventionEndDate.",
        ),
        (
            DATE_TIME_END,
            ("2027-03-01", "09:00", "09:00"),
            "interventionEndTime",
            "End 09:00 is not after the start (2027-03-01 09:00); an end on another day goes in"
            " interventionEndDate.",
        ),
        (
            WITH_END_DATE,
            ("2027-03-01", "09:00", "2027-02-28", "10:00"),
            "interventionEndTime",
            "End 2027-02-28 10:00 is not after the start (2027-03-01 09:00).",
        ),
        (
            BOTH,
            ("2027-03-01", "09:00", "2", "10:30"),
            "interventionDuration",
            "Duration 2 does not agree with the end: 2027-03-01 09:00 to 10:30 is 1:30.",
        ),
        (
            BOTH,
            ("2027-03-01", "09:00", "", ""),
            "interventionDuration",
            "Field interventionDuration or interventionEndTime is empty.",
        ),
        (
            DATE_TIME,
            ("2027-03-01", "", "2"),
            "interventionStartTime",
            "Field interventionStartTime is empty.",
        ),
        (
            DATE_TIME,
            ("2027-03-01", "9", "2"),
            "interventionStartTime",
            "Time 9 not valid, 09:00, 9h30 or 9:00 AM expected.",
        ),
        (
            ONE_CELL,
            ("Jeudi 23/02/2018 09:00", "2"),
            "interventionDate",
            "Date Jeudi 23/02/2018 09:00 not valid: 2018-02-23 is a Friday (vendredi).",
        ),
        (
            ONE_CELL,
            ("2027-03-01 09:00", "0"),
            "interventionDuration",
            "Duration 0 not valid, more than 0 expected.",
        ),
        (
            ONE_CELL,
            ("2027-03-01 09:00", "1.333"),
            "interventionDuration",
            "Duration 1.333 not valid, a whole number of minutes expected.",
        ),
    ],
)
def test_row_errors_say_what_is_wrong(demo, columns, cells, column, message):
    result = run(csv(columns, cells), config_of(columns))
    assert result.error_rows == 1
    assert [(e.line, e.column, e.message) for e in result.errors] == [(2, column, message)]
    assert Intervention.objects.count() == 0


def test_a_file_without_a_duration_column_keeps_the_seed_s_message(demo):
    result = run(csv(ONE_CELL, ("2027-03-01 09:00", "")), config_of(ONE_CELL))
    assert [e.message for e in result.errors] == ["Field interventionDuration is empty."]


@pytest.mark.parametrize(
    ("cells", "unit", "minutes", "warning"),
    [
        (
            ("2027-03-01 09:00", "90"),
            "",
            5400,
            "Duration 90 is read as 90 hours; if it is"
            " minutes, set <durationUnit>minutes</durationUnit>.",
        ),
        (("2027-03-01 09:00", "90"), "<durationUnit>minutes</durationUnit>", 90, None),
        (("2027-03-01 09:00", "1h30"), "<durationUnit>MINUTES</durationUnit>", 90, None),
        (
            ("2027-03-01 09:00", "2000"),
            "<durationUnit>minutes</durationUnit>",
            2000,
            "Duration 2000 is read as 2000 minutes, more than 24 hours.",
        ),
    ],
)
def test_a_duration_over_a_day_is_imported_with_a_warning_that_names_the_unit(
    demo, cells, unit, minutes, warning
):
    result = run(csv(ONE_CELL, cells), config_of(ONE_CELL, unit))
    assert (result.errors, result.new) == ([], 1)
    assert Intervention.objects.get().duration_minutes == minutes
    row_warnings = [(w.line, w.column, w.message) for w in result.warnings if w.line]
    assert row_warnings == ([(2, "interventionDuration", warning)] if warning else [])
    if warning:
        assert result.warning_cells[2][-1] == cells[1]
        assert json.loads(json.dumps(result.as_dict()))["warnings"][-1]["message"] == warning


def test_derived_values_are_said_once_with_the_cells_they_came_from(demo):
    rows = [("2027-03-01", "09:00", "12:00"), ("2027-03-02", "14:00", "15:30"), ("x", "9", "1")]
    result = run(csv(DATE_TIME_END, *rows), config_of(DATE_TIME_END))
    assert (result.new, result.error_rows) == (2, 1)
    notes = {w.code: w for w in result.warnings if w.line is None}
    assert notes["starts_joined"].message == (
        "Starts joined from interventionDate and interventionStartTime on 2 rows (line 2:"
        ' "2027-03-01" and "09:00" give 2027-03-01 09:00).'
    )
    assert notes["durations_from_end"].message == (
        "Durations derived from the end (interventionEndTime) minus the start on 2 rows (line 2:"
        ' start 2027-03-01 09:00 and end "12:00" give 3:00, 180 minutes).'
    )
    assert notes["starts_joined"].column == "interventionStartTime"
    listed = {w["code"] for w in result.as_dict()["warnings"]}
    assert {"starts_joined", "durations_from_end"} <= listed


def test_an_end_date_is_named_in_the_note_and_a_given_duration_is_not_derived(demo):
    rows = [("2027-03-01", "22:00", "2027-03-02", "06:00")]
    result = run(csv(WITH_END_DATE, *rows), config_of(WITH_END_DATE))
    [note] = [w for w in result.warnings if w.code == "durations_from_end"]
    assert "(interventionEndTime, interventionEndDate)" in note.message
    assert 'end "2027-03-02" "06:00" give 8:00, 480 minutes' in note.message
    result = run(csv(BOTH, ("2027-03-05", "09:00", "1.5", "10:30")), config_of(BOTH))
    assert "durations_from_end" not in {w.code for w in result.warnings}


def test_the_seed_s_shape_has_no_note(demo):
    result = run(csv(ONE_CELL, ("2027-03-01 09:00", "2")), config_of(ONE_CELL))
    assert result.warnings == []


def test_a_date_format_without_a_time_says_so_once(demo):
    provider = "<dateFormat>DD/MM/YYYY</dateFormat>"
    rows = [("01/03/2027", "2"), ("02/03/2027", "2")]
    result = run(csv(ONE_CELL, *rows), config_of(ONE_CELL, provider))
    assert (result.errors, result.new) == ([], 2)
    [note] = result.warnings
    assert (note.code, note.line, note.column) == ("dates_without_time", None, "interventionDate")
    assert note.message.startswith(
        "Dates without a time: 00:00. dateFormat DD/MM/YYYY has no time of day"
    )
    assert stored()["IV-1"] == ("2027-03-01 00:00", 120)
    with_time = config_of(DATE_TIME, provider)
    result = run(csv(DATE_TIME, ("03/03/2027", "10:00", "2")), with_time)
    assert "dates_without_time" not in {w.code for w in result.warnings}


def test_a_date_option_without_a_time_is_said_too(demo):
    result = run(csv(ONE_CELL, ("01/03/2027", "2")), date_format="DD/MM/YYYY")
    assert [w.code for w in result.warnings] == ["dates_without_time"]


@pytest.mark.parametrize(
    "names",
    [
        ["Intervention Date", "Intervention Start Time", "Intervention End Time"],
        ["intervention_date", "INTERVENTION-START-TIME", "intervention_end_time"],
    ],
)
def test_the_new_columns_are_read_by_their_header_names(demo, names):
    data = csv(DATE_TIME_END, ("2027-03-01", "09:00", "12:00"), header=False)
    data = (";".join(KEYS + names) + "\n").encode() + data
    result = run(data)
    assert (result.file_errors, result.errors, result.new) == ([], [], 1)
    assert stored() == {"IV-1": ("2027-03-01 09:00", 180)}


def test_a_header_without_duration_nor_end_says_so(demo):
    result = run(csv(["interventionDate"], ("2027-03-01 09:00",)))
    [problem] = result.file_errors
    assert problem.message.startswith(
        "Column interventionDuration or interventionEndTime is missing from the header row."
    )
    result = run(
        csv(["interventionDate", "interventionEndDate", "interventionDuration"], ("a", "b", "c"))
    )
    [problem] = result.file_errors
    assert problem.code == "header_needs_column"
    assert problem.message.startswith(
        "Column interventionEndDate needs column interventionEndTime, missing from the header row."
    )


@pytest.mark.parametrize(
    ("columns", "provider", "expected"),
    [
        (
            ["interventionDate"],
            "",
            (
                "imports.E014",
                "One of the fields interventionDuration or interventionEndTime is needed.",
            ),
        ),
        (
            ["interventionDate", "interventionDuration", "interventionEndDate"],
            "",
            ("imports.E028", "Field interventionEndDate needs field interventionEndTime."),
        ),
        (
            ONE_CELL,
            "\n<durationUnit>seconds</durationUnit>",
            ("imports.E027", "Unknown duration unit seconds, hours or minutes expected."),
        ),
    ],
)
def test_configuration_problems_have_their_line_hint_and_id(columns, provider, expected):
    with pytest.raises(ConfigError) as raised:
        parse_config(xml(columns, provider))
    [problem] = raised.value.problems
    assert (problem.id, problem.message) == expected
    assert problem.line is not None
    if problem.id == "imports.E027":
        assert problem.line == 3 and "90 min" in problem.hint


def test_a_configuration_reads_its_duration_unit():
    assert config_of(ONE_CELL, "<durationUnit>Minutes</durationUnit>").duration_unit == "minutes"
    assert config_of(ONE_CELL).duration_unit is None


# -- the property ------------------------------------------------------------------------------

STARTS = st.datetimes(min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2028, 12, 31))
SHAPES = ["one cell", "date + time", "date + time + end"]


def written(start: dt.datetime, minutes: int, shape: str, form: int) -> tuple[list[str], list[str]]:
    """The columns and cells that say ``start`` (local, naive) and ``minutes`` in ``shape``."""
    duration = [hours_text(minutes), f"{minutes} min", f"{minutes // 60}h{minutes % 60:02d}"][form]
    if shape == "one cell":
        return ONE_CELL, [start.strftime("%Y-%m-%d %H:%M"), duration]
    date, time = (
        start.strftime("%Y-%m-%d"),
        [start.strftime("%H:%M"), start.strftime("%Hh%M")][form % 2],
    )
    if shape == "date + time":
        return DATE_TIME, [date, time, duration]
    end = (start.replace(tzinfo=PARIS).astimezone(UTC) + dt.timedelta(minutes=minutes)).astimezone(
        PARIS
    )
    same_day = end.date() == start.date()
    return DATE_TIME_END, [date, time, end.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M")]


def exists_once(local: dt.datetime) -> bool:
    """A local time in Paris that no daylight saving change skips or repeats."""
    earlier, later = local.replace(tzinfo=PARIS, fold=0), local.replace(tzinfo=PARIS, fold=1)
    round_trip = earlier.astimezone(UTC).astimezone(PARIS).replace(tzinfo=None)
    return earlier.utcoffset() == later.utcoffset() and round_trip == local


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=STARTS.map(lambda moment: moment.replace(second=0, microsecond=0)),
    minutes=st.integers(1, 3 * 24 * 60),
    shape=st.sampled_from(SHAPES),
    form=st.integers(0, 2),
)
def test_any_start_duration_and_shape_stores_the_same_start_and_duration(
    demo, start, minutes, shape, form
):
    assume(exists_once(start))
    end = start.replace(tzinfo=PARIS).astimezone(UTC) + dt.timedelta(minutes=minutes)
    assume(exists_once(end.astimezone(PARIS).replace(tzinfo=None)))
    columns, cells = written(start, minutes, shape, form)
    Intervention.objects.all().delete()
    result = run(csv(columns, tuple(cells)), config_of(columns))
    assert (result.file_errors, result.errors, result.new) == ([], [], 1), cells
    intervention = Intervention.objects.get()
    assert intervention.start == start.replace(tzinfo=PARIS).astimezone(UTC)
    assert intervention.duration_minutes == minutes


def test_an_empty_end_without_a_duration_column_is_a_row_error(demo):
    columns = ["interventionDate", "interventionEndTime"]
    result = run(csv(columns, ("2027-03-01 09:00", "")), config_of(columns))
    assert [(e.column, e.message) for e in result.errors] == [
        ("interventionEndTime", "Field interventionEndTime is empty.")
    ]
