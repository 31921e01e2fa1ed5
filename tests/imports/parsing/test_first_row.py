"""The first row and the file's name as planning tools export them (issue 27): delimited text
named .txt, .tsv or .tab, a file without a header row, and a first row that looks like data is
never left out without a word."""

import pytest

from imports.engine import ImportOptions, run_import
from imports.parsing.columns import data_like
from imports.parsing.config import parse_config
from imports.parsing.readers import detect_format, read_table
from tests.conftest import HEADER, csv_bytes, make_row
from training.models import Intervention

FIELDS = "".join(f"<{name}/>" for name in HEADER)
UNKNOWN = "Unknown file format {}: csv, txt, tsv, tab, xlsx or ods expected."


def actions(skip_first_line: str | None = None) -> str:
    """The seed's bare <actions> block, or a full configuration saying skipFirstLine."""
    block = f"<actions><createOrUpdateInterventionAction><fields>{FIELDS}</fields>"
    block += "</createOrUpdateInterventionAction></actions>"
    if skip_first_line is None:
        return block
    provider = f"<skipFirstLine>{skip_first_line}</skipFirstLine>"
    return (
        "<import-config><import><providers><fileSystemSourceProvider>"
        f"<fileName>*.csv</fileName>{provider}</fileSystemSourceProvider></providers>"
        f"{block}</import></import-config>"
    )


def without_header(*rows: dict[str, str], sep: str = ";") -> bytes:
    return csv_bytes(list(rows), sep=sep).split(b"\n", 1)[1]


ROWS = (make_row(), make_row(interventionGuid="IV-2", interventionDate="2027-03-02T09:00:00"))


@pytest.mark.parametrize(
    ("name", "requested", "expected"),
    [
        ("planning.csv", None, "csv"),
        ("planning.txt", None, "csv"),
        ("PLANNING.TXT", None, "csv"),
        ("planning.tsv", None, "csv"),
        ("planning.Tab", None, "csv"),
        ("planning.XLSX", None, "xlsx"),
        ("planning.ods", None, "ods"),
        ("planning.dat", "csv", "csv"),
    ],
)
def test_delimited_text_is_read_as_csv_whatever_its_extension(name, requested, expected):
    assert detect_format(name, requested) == expected


@pytest.mark.parametrize(("name", "value"), [("sheet.pdf", "pdf"), ("planning", "(none)")])
def test_an_unknown_format_names_every_format_read(name, value):
    with pytest.raises(Exception, match="Unknown file format") as raised:
        detect_format(name)
    assert str(raised.value) == UNKNOWN.format(value)


@pytest.mark.parametrize(("name", "sep"), [("export.TXT", ";"), ("export.tsv", "\t")])
def test_a_txt_or_tsv_export_imports_with_its_delimiter_detected(demo, name, sep):
    result = run_import(csv_bytes(list(ROWS), sep=sep), name, None, ImportOptions(dry_run=True))
    assert (result.file_errors, result.new, result.error_rows) == ([], 2, 0)


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ("2027-03-01T09:00:00", True),
        ("01/03/2027", True),
        ("Jeudi 22/02/2018", True),
        ("14.04.2027", True),
        ("09:00", True),
        ("9h30", True),
        ("3", True),
        ("1,5", True),
        ("interventionDate", False),
        ("Date de début", False),
        ("Heure", False),
        ("Salle 101", False),
        ("R-101", False),
        ("", False),
    ],
)
def test_what_looks_like_data(text, data):
    assert data_like(text) is data


def test_a_first_row_skipped_as_the_header_that_looks_like_data_is_said(demo):
    """The seed's bare <actions> block skips line 1 (skipFirstLine defaults to yes): when it
    is data, the result says so with the line; nothing is dropped without a word."""
    (config,) = parse_config(actions())
    result = run_import(without_header(*ROWS), "planning.csv", config, ImportOptions())
    assert (result.new, result.error_rows) == (1, 0)
    [warning] = [w for w in result.warnings if w.code == "first_line_looks_like_data"]
    assert warning.line == 1
    assert warning.column == "interventionGuid" or warning.column == "interventionDate"
    assert warning.message.startswith("Line 1 is skipped as the header row, but it looks like")
    assert "<skipFirstLine>no</skipFirstLine>" in warning.message


def test_skip_first_line_no_reads_line_1_as_data(demo):
    (config,) = parse_config(actions("no"))
    result = run_import(without_header(*ROWS), "planning.csv", config, ImportOptions())
    assert (result.new, result.error_rows, result.warnings) == (2, 0, [])
    assert Intervention.objects.filter(guid__in=["IV-1", "IV-2"]).count() == 2


def test_a_header_row_skipped_says_nothing(demo):
    (config,) = parse_config(actions("yes"))
    result = run_import(csv_bytes(list(ROWS)), "planning.csv", config, ImportOptions())
    assert (result.new, result.warnings) == (2, [])


def test_a_file_without_header_read_by_its_header_says_line_1_looks_like_data(demo):
    result = run_import(without_header(*ROWS), "planning.csv", None, ImportOptions())
    [problem] = result.file_errors
    assert problem.line == 1
    assert problem.message.startswith("Column interventionDate is missing from the header row.")
    assert "Line 1 looks like data, not a header row (" in problem.message
    assert "<skipFirstLine>no</skipFirstLine> (docs/configuration.md)." in problem.message


def test_a_workbook_without_header_is_read_with_skip_first_line_no(demo):
    from tests.conftest import xlsx_bytes

    cells = [[row[name] for name in HEADER] for row in ROWS]
    content = xlsx_bytes(cells[1:], header=cells[0])
    (config,) = parse_config(actions("no"))
    table = read_table(content, "planning.xlsx", has_header=False)
    assert [line for line, _ in table.rows()] == [1, 2]
    result = run_import(content, "planning.xlsx", config, ImportOptions(dry_run=True))
    assert (result.new, result.error_rows) == (2, 0)


def test_the_first_row_is_data_wins_over_the_configuration(demo):
    (config,) = parse_config(actions())  # skips line 1
    options = ImportOptions(first_row_is_data=True)
    result = run_import(without_header(*ROWS), "planning.csv", config, options)
    assert (result.new, result.error_rows, result.warnings) == (2, 0, [])


def test_the_first_row_is_data_without_a_configuration_asks_for_the_columns(demo):
    options = ImportOptions(first_row_is_data=True)
    result = run_import(without_header(*ROWS), "planning.csv", None, options)
    [problem] = result.file_errors
    assert (problem.line, problem.code) == (1, "first_row_data_needs_columns")
    assert problem.message.startswith("The first row is data, so no header row names")


def test_the_command_reads_the_first_row_as_data(demo, tmp_path):
    from tests.imports.command_support import run_command

    (tmp_path / "planning.txt").write_bytes(without_header(*ROWS))
    (tmp_path / "actions.xml").write_text(actions())
    files = [str(tmp_path / "planning.txt"), "--config", str(tmp_path / "actions.xml")]
    status, out, err = run_command("import_interventions", *files, "--first-row-is-data")
    assert (status, err) == (0, "")
    assert "2 new, 0 updated" in out
