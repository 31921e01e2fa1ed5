"""Header cells as people type them: one column whatever the case, accents, spaces,
underscores and hyphens; two spellings of one column, a missing column and what was meant."""

import pytest

from imports.parsing.columns import column_map, header_key, looks_like_header
from imports.parsing.config import HEADER_CONFIG
from imports.parsing.readers import FileProblem
from tests.conftest import HEADER


def with_guid_as(spelling: str) -> list[str]:
    return [spelling if name == "interventionGuid" else name for name in HEADER]


def with_date_as(spelling: str) -> list[str]:
    return [spelling if name == "interventionDate" else name for name in HEADER]


@pytest.mark.parametrize(
    "spelling",
    [
        "interventionGuid",
        "InterventionGuid",
        "Intervention Guid",
        "intervention_guid",
        "INTERVENTION-GUID",
        " intervention guid ",
        "Intervéntion Guid",
        "intervention\u00a0guid",
    ],
)
def test_each_spelling_names_the_column(spelling):
    mapping, warnings = column_map(HEADER_CONFIG, with_guid_as(spelling), 1)
    assert mapping["interventionGuid"] == 0
    assert warnings == []


@pytest.mark.parametrize("other", ["interventionGuid", "Date"])
def test_the_other_spellings_are_not_the_column(other):
    assert header_key("Intervention Gid") != header_key(other)


def test_two_spellings_of_one_column_are_an_error_naming_both():
    header = [*with_guid_as("Intervention Guid"), "intervention_guid"]
    with pytest.raises(FileProblem) as caught:
        column_map(HEADER_CONFIG, header, 1)
    problem = caught.value
    assert (problem.code, problem.line, problem.column) == (
        "header_same_column",
        1,
        "interventionGuid",
    )
    assert problem.message == (
        'Columns "Intervention Guid" and "intervention_guid" of the header row are both'
        " interventionGuid."
    )


def test_the_same_cell_twice_keeps_the_seed_message():
    with pytest.raises(FileProblem) as caught:
        column_map(HEADER_CONFIG, [*HEADER, "roomGuid"], 1)
    assert caught.value.message == "Column roomGuid appears twice in the header row."


@pytest.mark.parametrize(
    ("header", "meant"),
    [
        (with_date_as("Intervention Dat"), '"Intervention Dat" is probably meant.'),
        (with_date_as("interventionDates"), '"interventionDates" is probably meant.'),
        (with_date_as("Day"), None),  # nothing close
        ([*with_date_as("Intervention Dat"), "Intervention Dte"], None),  # two: no guess
    ],
)
def test_a_missing_column_names_the_cells_read_and_what_was_probably_meant(header, meant):
    with pytest.raises(FileProblem) as caught:
        column_map(HEADER_CONFIG, header, 3)
    problem = caught.value
    assert (problem.code, problem.line, problem.column) == (
        "header_missing_column",
        3,
        "interventionDate",
    )
    seed, read = problem.message.split(" The header row read: ")
    assert seed == "Column interventionDate is missing from the header row."
    assert read.startswith('"interventionGuid", "trainingGuid", ')
    if meant is None:
        assert "probably meant" not in read
    else:
        assert read.endswith(f'"interventionStatus". {meant}')


def test_a_long_header_shows_its_first_cells_and_how_many_more():
    header = [f"Column {n}" for n in range(30)]
    with pytest.raises(FileProblem) as caught:
        column_map(HEADER_CONFIG, header, 1)
    assert caught.value.message.endswith('"Column 19" and 10 more.')


def test_an_empty_header_says_so():
    with pytest.raises(FileProblem) as caught:
        column_map(HEADER_CONFIG, ["", ""], 1)
    assert caught.value.message.endswith("The header row read: no cell.")


@pytest.mark.parametrize(
    ("cells", "expected"),
    [(["Notes", "Intervention Guid"], True), (["Planning exported"], False), ([], False)],
)
def test_a_sheet_whose_first_row_names_a_column_looks_like_a_header(cells, expected):
    assert looks_like_header(cells) is expected


def test_every_missing_column_is_listed_at_once():
    """A planning tool's export misses several columns: one message names them all."""
    header = [name for name in HEADER if name not in ("roomGuid", "interventionStatus")]
    with pytest.raises(FileProblem) as raised:
        column_map(HEADER_CONFIG, header, 1)
    seed, _ = raised.value.message.split(" The header row read: ")
    assert seed == (
        "Column roomGuid is missing from the header row."
        " Column interventionStatus is missing from the header row."
    )
    assert (raised.value.code, raised.value.column) == ("header_missing_column", "roomGuid")


def test_the_guid_and_the_room_label_may_be_left_out_of_the_header():
    header = [name for name in HEADER if name not in ("interventionGuid", "roomLabel")]
    mapping, warnings = column_map(HEADER_CONFIG, header, 1)
    assert (warnings, "interventionGuid" in mapping, "roomLabel" in mapping) == ([], False, False)
