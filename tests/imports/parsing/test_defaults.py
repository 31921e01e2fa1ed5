"""The action's <defaults> (issue 27): a value for the columns a planning tool's export does not
have (8 of 9 have no status), or for its empty cells; the result says which were used."""

import pytest

from imports.engine import ImportOptions, run_import
from imports.parsing.config import ConfigError, parse_config
from tests.conftest import HEADER, csv_bytes, make_row
from training.models import Intervention

WITHOUT_STATUS = [name for name in HEADER if name != "interventionStatus"]


def actions(fields: list[str], defaults: str) -> str:
    listed = "".join(f"<{name}/>" for name in fields)
    return (
        f"<actions><createOrUpdateInterventionAction><fields>{listed}</fields>"
        f"<defaults>{defaults}</defaults></createOrUpdateInterventionAction></actions>"
    )


def run(rows: list[dict[str, str]], fields: list[str], defaults: str, **options):
    (config,) = parse_config(actions(fields, defaults))
    content = csv_bytes(rows, header=fields)
    return run_import(content, "planning.csv", config, ImportOptions(**options))


def test_a_column_the_file_does_not_have_takes_its_default(demo):
    rows = [make_row(), make_row(interventionGuid="IV-2", interventionDate="2027-03-02T09:00")]
    status = "<interventionStatus>C</interventionStatus>"
    result = run(rows, WITHOUT_STATUS, status)
    assert (result.new, result.error_rows, result.errors) == (2, 0, [])
    assert set(Intervention.objects.values_list("status", flat=True)) == {"C"}
    [note] = [w for w in result.warnings if w.code.startswith("default_for_")]
    assert (note.line, note.column, note.value) == (None, "interventionStatus", "C")
    assert note.message == (
        "The file has no column interventionStatus: every row takes the configuration's default C."
    )


def test_an_empty_cell_takes_the_default_and_the_result_counts_them(demo):
    rows = [
        make_row(trainingGuid=""),
        make_row(interventionGuid="IV-2", trainingGuid="", interventionDate="2027-03-02T09:00"),
        make_row(interventionGuid="IV-3", interventionDate="2027-03-03T09:00"),
    ]
    result = run(rows, HEADER, "<trainingGuid>TR-1</trainingGuid>", dry_run=True)
    assert (result.new, result.error_rows) == (3, 0)
    [note] = [w for w in result.warnings if w.code.startswith("default_for_")]
    expected = "2 rows with an empty trainingGuid take the configuration's default TR-1."
    assert note.message == expected


def test_a_default_never_used_is_not_said(demo):
    result = run([make_row()], HEADER, "<trainingGuid>TR-1</trainingGuid>", dry_run=True)
    assert [w for w in result.warnings if w.code.startswith("default_for_")] == []


def test_a_wrong_default_is_each_rows_error_with_the_seeds_message(demo):
    result = run([make_row()], WITHOUT_STATUS, "<interventionStatus>X</interventionStatus>")
    assert (result.new, result.error_rows) == (0, 1)
    [error] = result.errors
    assert error.message == "Status has invalid value X, A or C expected."


def test_a_default_fills_a_mandatory_column_the_fields_do_not_list(demo):
    """Without the default, the configuration is refused: the column is mandatory."""
    with pytest.raises(ConfigError):
        parse_config(actions(WITHOUT_STATUS, ""))
    (config,) = parse_config(actions(WITHOUT_STATUS, "<interventionStatus>A</interventionStatus>"))
    assert "interventionStatus" in config.fields


@pytest.mark.parametrize(
    ("defaults", "problem"),
    [
        ("<nope>1</nope>", ("imports.E009", "Unknown field <nope> in <defaults>.")),
        (
            "<interventionGuid>IV</interventionGuid>",
            (
                "imports.E029",
                "Field interventionGuid cannot have a default: it identifies each row.",
            ),
        ),
        ("<roomLabel></roomLabel>", ("imports.E024", "<roomLabel> is empty.")),
        (
            "<roomLabel>A</roomLabel><roomLabel>B</roomLabel>",
            ("imports.E012", "<roomLabel> is given twice."),
        ),
    ],
)
def test_a_wrong_default_is_refused_with_its_line(defaults, problem):
    with pytest.raises(ConfigError) as raised:
        parse_config(actions(HEADER, defaults))
    [found] = raised.value.problems
    assert (found.id, found.message) == problem
    assert found.line == 1


def test_defaults_and_a_long_row(demo):
    """A long row's extra cells are still said, and take no default's place."""
    content = csv_bytes([make_row()], header=WITHOUT_STATUS).replace(b"jdoe\n", b"jdoe;extra\n")
    (config,) = parse_config(actions(WITHOUT_STATUS, "<interventionStatus>A</interventionStatus>"))
    result = run_import(content, "planning.csv", config, ImportOptions(dry_run=True))
    assert (result.new, result.error_rows) == (1, 0)
    assert [w.code for w in result.warnings if w.line == 2] == ["row_too_long"]
