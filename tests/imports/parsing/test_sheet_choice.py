"""Which sheet of a workbook is read: the one asked for, else the first with a header row."""

import io

import pytest
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook

from imports.engine import ImportOptions, run_import
from tests.conftest import HEADER, make_row
from training.models import Intervention

pytestmark = pytest.mark.django_db


def row(guid: str) -> list[str]:
    return [make_row(interventionGuid=guid)[name] for name in HEADER]


SHEETS = {
    "Notes": [["Planning exported on 2027-02-01"], ["by the training office"]],
    "Planning": [HEADER, row("IV-1"), row("IV-2")],
    "Archive": [HEADER, row("IV-9")],
}


def xlsx(sheets: dict[str, list[list[str]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for cells in rows:
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ods(sheets: dict[str, list[list[str]]]) -> bytes:
    document = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for cells in rows:
            table_row = TableRow()
            for value in cells:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
                table_row.addElement(cell)
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


BUILDERS = {"xlsx": xlsx, "ods": ods}


def run(kind: str, sheets: dict, **options):
    data = BUILDERS[kind](sheets)
    return run_import(data, f"planning.{kind}", options=ImportOptions(**options))


@pytest.mark.parametrize("kind", BUILDERS)
def test_the_first_sheet_with_a_header_row_is_read_and_the_others_named(demo, kind):
    result = run(kind, SHEETS)
    assert (result.file_errors, result.errors, result.new) == ([], [], 2)
    [note] = [w for w in result.warnings if w.code == "sheet_read"]
    assert note.message == (
        "Sheet Planning was read; the workbook's other sheets were not: Notes, Archive."
    )
    assert sorted(Intervention.objects.values_list("guid", flat=True)) == ["IV-1", "IV-2"]


@pytest.mark.parametrize("kind", BUILDERS)
def test_the_sheet_asked_for_is_read(demo, kind):
    result = run(kind, SHEETS, sheet="Archive")
    assert (result.file_errors, result.new) == ([], 1)
    assert Intervention.objects.get().guid == "IV-9"


@pytest.mark.parametrize("kind", BUILDERS)
def test_an_unknown_sheet_names_the_sheets_there_are(demo, kind):
    result = run(kind, SHEETS, sheet="Planing")
    assert [(e.code, e.message) for e in result.file_errors] == [
        (
            "sheet_not_found",
            "The workbook has no sheet Planing; its sheets: Notes, Planning, Archive.",
        )
    ]
    assert Intervention.objects.count() == 0


@pytest.mark.parametrize("kind", BUILDERS)
def test_a_workbook_of_one_sheet_says_nothing_about_sheets(demo, kind):
    result = run(kind, {"Feuil1": SHEETS["Planning"]})
    assert result.new == 2
    assert "sheet_read" not in {w.code for w in result.warnings}


@pytest.mark.parametrize("kind", BUILDERS)
def test_no_sheet_with_a_header_reads_the_first_and_says_what_is_missing(demo, kind):
    result = run(kind, {"Notes": SHEETS["Notes"], "Other": [["a", "b"]]})
    assert [e.code for e in result.file_errors] == ["header_missing_column"]
