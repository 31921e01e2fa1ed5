"""The fast path for clean rows gives what the checking path gives, row for row."""

from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imports.parsing.cells import as_text, checking_parser
from imports.parsing.config import HEADER_CONFIG, ImportConfig, date_pattern
from imports.parsing.date_order import DAY_FIRST
from imports.parsing.derived_keys import derived_guid, derives_guid
from imports.parsing.fields import FIELD_NAMES, SEED_FIELD_NAMES
from imports.parsing.formulas import may_be_quoted
from imports.parsing.rows import clean_row_parser, row_parser
from tests.conftest import VALID_ROW

ALL_COLUMNS = {name: index for index, name in enumerate(FIELD_NAMES)}  # a duration and an end
SOME_COLUMNS = {  # the seed's, but trainingPathCode, sessionTitle, roomCapacity; another order
    name: index
    for index, name in enumerate(
        name
        for name in reversed(SEED_FIELD_NAMES)
        if name not in ("trainingPathCode", "sessionTitle", "roomCapacity")
    )
}
SPLIT = "interventionStartTime", "interventionEndTime", "interventionEndDate"
# A date, a start time and an end time, no duration (a planning tool's export)
SPLIT_COLUMNS = {
    name: index
    for index, name in enumerate(
        [n for n in SEED_FIELD_NAMES if n != "interventionDuration"] + list(SPLIT[:2])
    )
}
# A date-time and an end (time or date-time) on its own date, no duration
END_COLUMNS = {
    name: index
    for index, name in enumerate(
        [n for n in SEED_FIELD_NAMES if n != "interventionDuration"] + list(SPLIT[1:])
    )
}
# A planning tool's export: no GUID, no room label (derived_keys), a date, start and end times
NO_KEYS_COLUMNS = {
    name: index
    for index, name in enumerate(
        n for n in SPLIT_COLUMNS if n not in ("interventionGuid", "roomLabel")
    )
}
CLEAN = {  # every cell valid, whichever columns are there
    **VALID_ROW,
    "interventionStartTime": "09:00",
    "interventionEndTime": "12:00",
    "interventionEndDate": "2027-03-01",
}
CLEAN_BY_COLUMNS = {  # a date without its time where the start time is in its own column
    id(SPLIT_COLUMNS): {**CLEAN, "interventionDate": "2027-03-01"},
    id(NO_KEYS_COLUMNS): {**CLEAN, "interventionDate": "2027-03-01"},
}
TRICKY = {  # per column: values a clean-looking row may hold that the checking path refuses
    "interventionGuid": [
        "",
        " IV-2 ",
        "I" * 40,
        "I" * 41,
        "IV\u200b3",
        "ÉV-4",
        "IV\x005",
        "'=IV-6",
        "=IV-7",
        "''-IV-8",
    ],
    "trainingGuid": ["", "T" * 41, "T\ufeff"],
    "trainingPathCode": ["", "PATH", "P" * 255, "P" * 256, "P\u00ad"],
    "sessionGuid": ["", "S" * 40, "S" * 41],
    "sessionTitle": ["", "Title", "T" * 256, "Ti\u2060tle"],
    "interventionDate": [
        "",
        "2027-03-01",  # no time of day
        "2027-03-01 09:00",
        "2027-03-01 9:00",
        "2027-03-01 00:00",
        "2027-03-01T09:00:30",
        "Mon 2027-03-01 09:00",
        "Tue 2027-03-01 09:00",  # not a Tuesday
        "lundi 01/03/2027 9h",
        "2027/03/01 9:00 AM",
        "01-03-2027 09:00",
        "25.03.2027 12:30 PM",
        "2027-03-28T02:30:00",  # skipped in Paris
        "2027-10-31T02:30:00",  # repeated in Paris
        "2027-03-01T09:00:00+05:30",
        "01/03/2027 09:00",
        "25/03/2027 09:00:30",
        "03/25/2027 09:00",
        "31/02/2027",
        "2027-13-01T09:00",
        "２０２７-03-01T09:00",
        "yesterday",
    ],
    "interventionDuration": [
        "",
        "0",
        "1",
        " 7 ",
        "1.9",
        "1.5",
        "1,5",
        "3,0",
        "1h30",
        "01h30",
        "3h",
        "1:30",
        "3:00",
        "90 min",
        "180 min",
        "25",
        "1.333",
        "1e3",
        "-2",
        "١٢",
        "99999999999",
        "NaN",
    ],
    "interventionStartTime": [
        "",
        "9:00",
        "9h",
        "09h30",
        "9:00 AM",
        "12:30 PM",
        "13:00",
        "09:00:30",
        "00:00",
        "24:00",
        "9",
        "13:00 PM",
        "２:00",
        "02:30",  # skipped in Paris on 2027-03-28 (with that date)
        "23:30",
    ],
    "interventionEndTime": [
        "",
        "12:00",
        "12h",
        "12:00 PM",
        "08:00",  # before the start
        "09:00",  # the start itself
        "11:59:30",
        "2027-03-01 12:00",
        "2027-03-01T12:00:00+01:00",
        "2027-03-02 02:00",  # the next day
        "2027-03-02 08:00",  # more than 24 hours
        "2027-03-28 03:30",  # skipped in Paris
        "2027-10-31 02:30",  # repeated in Paris
        "2027-03-01",
        "01/03/2027 12:00",
        "noon",
    ],
    "interventionEndDate": ["", "2027-03-01", "2027-03-02", "2027-02-28", "2027-03-01 10:00", "x"],
    "roomGuid": ["", "R" * 41, "R\u200e"],
    "roomLabel": [
        "",
        "L" * 255,
        "L" * 256,
        "Label\u200b",
        "La\x00bel",
        "'=SUM(A1)",
        "O'Brien",
        "'+33 1",
        "'@x\u200b",
        "Salle\ud800",  # a lone surrogate: no database can store it
        "Salle \udfff é",
    ],
    "roomCapacity": ["", "0", "15", "1.5", "-1", "2147483648"],
    "teacherLogin": ["", "login\u200b", "L" * 256, "jd\x00oe", "jd\udc80oe"],
    "interventionStatus": ["", "A", "C", "X", "a", "ACTIVE", "OFF", "'-", "-", "'A"],
}
CONFIGS = [
    HEADER_CONFIG,
    ImportConfig(active_code="ACTIVE", cancelled_code="OFF", date_format="%d/%m/%Y %H:%M"),
    ImportConfig(inferred_date_formats=DAY_FIRST),  # no date format: the file's slash dates
    ImportConfig(active_code="+", cancelled_code="-", duration_unit="minutes"),
    ImportConfig(date_format=date_pattern("WW DD/MM/YYYY hh:II AA")),
    ImportConfig(date_format=date_pattern("YYYY-MM-DD")),  # no time of day: 00:00
    ImportConfig(other_status_codes=(("a", "A"), ("OFF", "C"))),  # several codes per state
]
ZONES = [ZoneInfo("UTC"), ZoneInfo("Europe/Paris")]


def clean(columns: dict[str, int]) -> dict[str, str]:
    return CLEAN_BY_COLUMNS.get(id(columns), CLEAN)


@st.composite
def rows(draw, columns: dict[str, int]) -> list[str]:
    cells = [""] * len(columns)
    for name, index in columns.items():
        kind = draw(st.integers(0, 9))  # mostly clean cells: the fast path must see doubts alone
        if kind < 7:
            cells[index] = clean(columns)[name]
        elif kind < 9:
            cells[index] = draw(st.sampled_from(TRICKY[name]))
        else:
            cells[index] = draw(st.text(max_size=5))
    cut = draw(st.sampled_from([len(cells), len(cells), len(cells) - 1, 3]))
    extra = draw(st.lists(st.text(max_size=3), max_size=2))
    return cells[:cut] + extra


SHAPES = [ALL_COLUMNS, SOME_COLUMNS, SPLIT_COLUMNS, END_COLUMNS, NO_KEYS_COLUMNS]
SHAPE_IDS = ["all", "some", "split", "end", "no-keys"]


@pytest.mark.parametrize("columns", SHAPES, ids=SHAPE_IDS)
@pytest.mark.parametrize(
    "config",
    CONFIGS,
    ids=["iso", "custom", "day-first", "minutes", "weekday-12h", "date-only", "codes"],
)
@pytest.mark.parametrize("zone", ZONES, ids=str)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_fast_and_checking_paths_agree(columns, config, zone, data):
    cells = data.draw(rows(columns))
    checking = checking_parser(columns, config, zone)
    expected = checking(7, cells, [as_text(cell) for cell in cells])
    if derives_guid(columns):
        expected[0].guid = derived_guid(expected[0])
    assert row_parser(columns, config, zone)(7, cells) == expected


@pytest.mark.parametrize("columns", SHAPES, ids=SHAPE_IDS)
def test_a_clean_row_takes_the_fast_path(columns):
    cells = [""] * len(columns)
    for name, index in columns.items():
        cells[index] = clean(columns)[name]
    parsed = clean_row_parser(columns, HEADER_CONFIG, ZONES[1])(3, [*cells, ""])
    assert parsed is not None
    guid = "IV-1" if "interventionGuid" in columns else ""  # else derived by row_parser
    assert (parsed.line, parsed.guid, parsed.duration, parsed.status) == (3, guid, 180, "A")
    assert parsed.start.isoformat() == "2027-03-01T08:00:00+00:00"
    assert parsed.room_capacity == (20 if "roomCapacity" in columns else None)
    if "interventionEndTime" in columns:
        assert parsed.end.isoformat() == "2027-03-01T11:00:00+00:00"


@pytest.mark.parametrize(
    "name, value",
    [(name, value) for name, values in TRICKY.items() for value in values if value != CLEAN[name]],
)
def test_the_fast_path_gives_up_on_any_doubt(name, value):
    cells = [CLEAN[field] for field in FIELD_NAMES]
    cells[ALL_COLUMNS[name]] = value
    texts = [cell.strip() for cell in cells]
    if name == "interventionStartTime" and value == "02:30":  # a time Paris skips on that day
        cells[ALL_COLUMNS["interventionDate"]] = texts[ALL_COLUMNS["interventionDate"]] = (
            "2027-03-28"
        )
    expected, errors = checking_parser(ALL_COLUMNS, HEADER_CONFIG, ZONES[1])(2, cells, texts)
    parsed = clean_row_parser(ALL_COLUMNS, HEADER_CONFIG, ZONES[1])(2, [*texts, ""])
    # it gives up on a row with errors, and on a text an export quoted (formulas.py)
    assert (parsed is None) == (bool(errors) or may_be_quoted(value))
    if parsed is not None:
        assert parsed == expected


@pytest.mark.parametrize(
    "cell, value",
    [("'=SUM(A1)", "=SUM(A1)"), ("''-x", "'-x"), ("'+33 1", "+33 1"), ("O'Brien", "O'Brien")],
)
def test_a_quoted_text_is_read_as_it_was_before_the_export_quoted_it(cell, value):
    cells = [CLEAN[field] for field in FIELD_NAMES]
    cells[ALL_COLUMNS["roomLabel"]] = cell
    row, errors = row_parser(ALL_COLUMNS, HEADER_CONFIG, ZONES[1])(2, cells)
    assert (row.room_label, errors) == (value, [])
