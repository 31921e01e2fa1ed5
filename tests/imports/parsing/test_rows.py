"""The fast path for clean rows gives what the checking path gives, row for row."""

from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imports.parsing.cells import as_text, checking_parser
from imports.parsing.config import HEADER_CONFIG, ImportConfig
from imports.parsing.date_order import DAY_FIRST
from imports.parsing.fields import FIELD_NAMES
from imports.parsing.formulas import may_be_quoted
from imports.parsing.rows import clean_row_parser, row_parser
from tests.conftest import VALID_ROW

ALL_COLUMNS = {name: index for index, name in enumerate(FIELD_NAMES)}
SOME_COLUMNS = {  # no trainingPathCode, sessionTitle, roomCapacity; another order
    name: index
    for index, name in enumerate(
        name
        for name in reversed(FIELD_NAMES)
        if name not in ("trainingPathCode", "sessionTitle", "roomCapacity")
    )
}
CLEAN = VALID_ROW  # every cell valid
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
        "2027-03-01 09:00",
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
    "interventionDuration": ["", "0", "1", " 7 ", "1.9", "1e3", "-2", "١٢", "99999999999", "NaN"],
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
    ImportConfig(active_code="+", cancelled_code="-"),
]
ZONES = [ZoneInfo("UTC"), ZoneInfo("Europe/Paris")]


@st.composite
def rows(draw, columns: dict[str, int]) -> list[str]:
    cells = [""] * len(columns)
    for name, index in columns.items():
        kind = draw(st.integers(0, 9))  # mostly clean cells: the fast path must see doubts alone
        if kind < 7:
            cells[index] = CLEAN[name]
        elif kind < 9:
            cells[index] = draw(st.sampled_from(TRICKY[name]))
        else:
            cells[index] = draw(st.text(max_size=5))
    cut = draw(st.sampled_from([len(cells), len(cells), len(cells) - 1, 3]))
    extra = draw(st.lists(st.text(max_size=3), max_size=2))
    return cells[:cut] + extra


@pytest.mark.parametrize("columns", [ALL_COLUMNS, SOME_COLUMNS], ids=["all", "some"])
@pytest.mark.parametrize("config", CONFIGS, ids=["iso", "custom", "day-first", "signs"])
@pytest.mark.parametrize("zone", ZONES, ids=str)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_fast_and_checking_paths_agree(columns, config, zone, data):
    cells = data.draw(rows(columns))
    checking = checking_parser(columns, config, zone)
    expected = checking(7, cells, [as_text(cell) for cell in cells])
    assert row_parser(columns, config, zone)(7, cells) == expected


@pytest.mark.parametrize("columns", [ALL_COLUMNS, SOME_COLUMNS], ids=["all", "some"])
def test_a_clean_row_takes_the_fast_path(columns):
    cells = [""] * len(columns)
    for name, index in columns.items():
        cells[index] = CLEAN[name]
    parsed = clean_row_parser(columns, HEADER_CONFIG, ZONES[1])(3, [*cells, ""])
    assert parsed is not None
    assert (parsed.line, parsed.guid, parsed.duration, parsed.status) == (3, "IV-1", 180, "A")
    assert parsed.start.isoformat() == "2027-03-01T08:00:00+00:00"
    assert parsed.room_capacity == (20 if "roomCapacity" in columns else None)


@pytest.mark.parametrize(
    "name, value",
    [(name, value) for name, values in TRICKY.items() for value in values if value != CLEAN[name]],
)
def test_the_fast_path_gives_up_on_any_doubt(name, value):
    cells = [CLEAN[field] for field in FIELD_NAMES]
    cells[ALL_COLUMNS[name]] = value
    texts = [cell.strip() for cell in cells]
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
