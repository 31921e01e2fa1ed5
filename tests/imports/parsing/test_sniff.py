"""Files as they come: a wrong file told by its leading bytes, the encoding chosen when none is."""

import io
import zipfile

import pytest

from imports.engine import ImportOptions, run_import
from imports.parsing.readers import FileProblem, read_table
from tests.conftest import csv_bytes, make_row, xlsx_bytes
from training.models import Room


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected", "code"),
    [
        (b"%PDF-1.7\n...", "This is a PDF document, not a CSV file.", "file_wrong_kind"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50,
            "This is a Word or old Excel (.xls) document, not a CSV file: save it as .xlsx or CSV.",
            "file_ole2_document",
        ),
        (_zip(["a.txt"]), "This is a zip archive, not a CSV file.", "file_wrong_kind"),
        (
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
            "This is a PNG image, not a CSV file.",
            "file_wrong_kind",
        ),
        (
            b"\xff\xd8\xff\xe0" + b"\x00" * 20,
            "This is a JPEG image, not a CSV file.",
            "file_wrong_kind",
        ),
        (b"GIF89a" + b"\x00" * 20, "This is a GIF image, not a CSV file.", "file_wrong_kind"),
        (
            _zip(["[Content_Types].xml", "word/document.xml"]),
            "This is a Word document (docx), not a CSV file.",
            "file_wrong_kind",
        ),
        (
            _zip(["[Content_Types].xml", "ppt/presentation.xml"]),
            "This is a PowerPoint presentation (pptx), not a CSV file.",
            "file_wrong_kind",
        ),
        (
            bytes(range(256)) * 4,  # every byte value: what random bytes hold
            "This is not a text file: 112 of its first 1024 bytes are control characters, which"
            " no CSV file holds. Choose the file the planning tool exported as CSV (or as"
            " xlsx/ods).",
            "file_not_text",
        ),
    ],
)
def test_a_wrong_file_named_csv_is_told_in_plain_words(data, expected, code):
    with pytest.raises(FileProblem) as caught:
        read_table(data, "export.csv")
    assert (caught.value.message, caught.value.code) == (expected, code)


def test_a_workbook_named_csv_says_which_format_to_choose():
    with pytest.raises(FileProblem) as caught:
        read_table(xlsx_bytes([list(make_row().values())]), "export.csv")
    assert caught.value.message.startswith("This is an Excel workbook (xlsx")


def test_an_excel_csv_from_windows_imports_with_no_option(demo):
    data = csv_bytes([make_row(roomGuid="R-9", roomLabel="Salle é")]).decode().encode("cp1252")
    result = run_import(data, "export.csv")
    assert (result.new, result.file_errors) == (1, [])
    assert Room.objects.get(guid="R-9").label == "Salle é"
    (warning,) = [w for w in result.warnings if w.code == "file_auto_encoding"]
    assert "Windows-1252" in warning.message and warning.level == "WARNING"


def test_valid_utf8_and_an_explicit_encoding_give_no_encoding_warning(demo):
    utf8 = csv_bytes([make_row(roomLabel="Salle é")])
    assert not [w for w in run_import(utf8, "f.csv").warnings if w.code == "file_auto_encoding"]
    latin = utf8.decode().encode("latin-1")
    result = run_import(latin, "f.csv", options=ImportOptions(encoding="latin-1", dry_run=True))
    assert not [w for w in result.warnings if w.code == "file_auto_encoding"]


@pytest.mark.parametrize("sep", [";", ",", "\t", "|"])
def test_the_delimiter_is_sniffed_with_no_option(demo, sep):
    result = run_import(
        csv_bytes([make_row(), make_row(interventionGuid="IV-2")], sep=sep), "f.csv"
    )
    assert (result.new, result.file_errors) == (2, [])


def test_a_header_count_that_the_rows_contradict_is_not_taken():
    from imports.parsing.readers.csv_reader import sniff_delimiter

    # The header has two commas but one semicolon; the rows split into two cells only by ";".
    text = 'a,b,c;d\\n"x,y,z";1\\n"p,q,r";2\\nlast;3\\n'
    assert sniff_delimiter(text) == ";"
    assert sniff_delimiter("a;b,c\\n") == ";"  # a tie: the default
    assert sniff_delimiter("a|b|c\\n1|2|3\\n") == "|"


@pytest.mark.parametrize(
    "data",
    [
        "Intitulé;Salle\r\nCafé;Réunion\f\r\n".encode("cp1252"),  # text, a form feed
        b"a;b\n\x07c;d\n",  # one stray bell: the reader's to tell, not "not text"
        "a;b\nc;d\n".encode("utf-16"),  # UTF-16: half NULs, read as such
    ],
)
def test_text_with_few_control_characters_is_not_refused_as_binary(data):
    read_table(data, "export.csv")  # no FileProblem
