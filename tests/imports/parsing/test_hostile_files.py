"""Hostile files: damaged containers, XML tricks inside XLSX/ODS, odd CSVs, size limits.

Every refused file gives one of our own messages (with its line and column when known),
writes nothing and raises nothing.
"""

import codecs
import io
import struct
import zipfile

import openpyxl.xml
import pytest
import tablib
from defusedxml import EntitiesForbidden
from odf import opendocument
from openpyxl import load_workbook

from imports.engine import ImportOptions, run_import
from imports.parsing.results import ImportResult, RowError
from tests.conftest import HEADER, csv_bytes, make_row, xlsx_bytes
from training.models import Intervention, Room

BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
)
EXTERNAL = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
SHEET = "xl/worksheets/sheet1.xml"
NOT_A_ZIP = "The file cannot be read as {}: it is not a valid zip archive."
DECLARES = "The file cannot be read as {}: its part {} declares a DOCTYPE or entities"


def counts() -> tuple[int, int]:
    return Intervention.objects.count(), Room.objects.count()


def run(data: bytes, name: str, **options) -> ImportResult:
    return run_import(data, name, options=ImportOptions(**options))


def refused(data: bytes, name: str, **options) -> RowError:
    """Import ``data``; check nothing was written and return the one file error."""
    before = counts()
    result = run(data, name, **options)
    assert counts() == before
    assert result.committed is False
    assert len(result.file_errors) == 1, result.file_errors
    return result.file_errors[0]


def rows(count: int = 1) -> list[dict[str, str]]:
    return [make_row(interventionGuid=f"IV-{n}") for n in range(1, count + 1)]


def xlsx(count: int = 1) -> bytes:
    return xlsx_bytes([[row[name] for name in HEADER] for row in rows(count)])


def ods(count: int = 1) -> bytes:
    dataset = tablib.Dataset(headers=HEADER)
    for row in rows(count):
        dataset.append([row[name] for name in HEADER])
    return dataset.export("ods")


def rezip(data: bytes, member: str, change) -> bytes:
    """Rewrite one member of a zip archive with ``change(bytes) -> bytes``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info.filename, change(body) if info.filename == member else body)
    return buffer.getvalue()


def with_prolog(prolog: bytes):
    def change(body: bytes) -> bytes:
        if body.startswith(b"<?xml"):
            body = body[body.index(b"?>") + 2 :]
        return prolog + body.lstrip()

    return change


# Containers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (csv_bytes(rows()), "renamed.xlsx", NOT_A_ZIP.format("xlsx")),
        (csv_bytes(rows()), "renamed.ods", NOT_A_ZIP.format("ods")),
        (xlsx()[:700], "truncated.xlsx", NOT_A_ZIP.format("xlsx")),
        (ods()[:-100], "truncated.ods", NOT_A_ZIP.format("ods")),
        (b"", "empty.xlsx", NOT_A_ZIP.format("xlsx")),
        (b"PK\x03\x04" + b"\x00" * 100, "header-only.xlsx", NOT_A_ZIP.format("xlsx")),
        (xlsx(), "sheet.pdf", "Unknown file format pdf, csv, xlsx or ods expected."),
    ],
    ids=["csv-as-xlsx", "csv-as-ods", "truncated-xlsx", "truncated-ods", "empty", "stub", "pdf"],
)
def test_unreadable_container_is_refused(demo, data, name, expected):
    assert refused(data, name).message == expected


def test_damaged_compressed_data_is_refused(demo):
    data = bytearray(xlsx())
    start = data.index(b"xl/worksheets/sheet1.xml") + len(SHEET)
    data[start + 20 : start + 60] = b"\xff" * 40  # inside the sheet's deflated bytes
    error = refused(bytes(data), "damaged.xlsx")
    assert error.message.startswith("The file cannot be read as xlsx:")


@pytest.mark.parametrize("prolog", [BOMB, EXTERNAL], ids=["entity-bomb", "external-entity"])
@pytest.mark.parametrize(
    ("builder", "name", "member"),
    [
        (xlsx, "f.xlsx", SHEET),
        (xlsx, "f.xlsx", "xl/workbook.xml"),
        (xlsx, "f.xlsx", "[Content_Types].xml"),
        (ods, "f.ods", "content.xml"),
        (ods, "f.ods", "styles.xml"),
        (ods, "f.ods", "META-INF/manifest.xml"),
    ],
)
def test_xml_declarations_inside_a_sheet_are_refused(demo, builder, name, member, prolog):
    data = rezip(builder(), member, with_prolog(prolog))
    fmt = name.rsplit(".", 1)[1]
    assert refused(data, name).message.startswith(DECLARES.format(fmt, member))


@pytest.mark.parametrize(
    "prolog",
    [
        b"<?xml version='1.0'?><!-- <a> hides nothing --><!DOCTYPE x>",
        b"<?xml version='1.0'?>" + b"<!--" + b" " * 200_000 + b"-->\n<!doctype x>",
        b"\n\n  <?pi data?>\n<!DOCTYPE x [<!ENTITY e 'e'>]>",
    ],
    ids=["comment-with-tag", "long-comment", "processing-instruction"],
)
def test_declarations_after_comments_are_found(demo, prolog):
    data = rezip(xlsx(), SHEET, with_prolog(prolog))
    assert refused(data, "f.xlsx").message.startswith(DECLARES.format("xlsx", SHEET))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_declarations_in_utf16_parts_are_found(demo, encoding):
    def to_utf16(body: bytes) -> bytes:
        text = BOMB.decode() + body.decode().split("?>", 1)[1]
        return text.replace('"1.0"?>', f'"1.0" encoding="{encoding}"?>').encode(encoding)

    data = rezip(ods(), "content.xml", to_utf16)
    assert refused(data, "f.ods").message.startswith(DECLARES.format("ods", "content.xml"))


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True
    data = rezip(xlsx(), SHEET, with_prolog(BOMB))
    with pytest.raises(ValueError, match="Unable to read workbook") as caught:
        load_workbook(io.BytesIO(data))
    assert isinstance(caught.value.__cause__, EntitiesForbidden)


@pytest.mark.parametrize("prolog", [BOMB, EXTERNAL], ids=["entity-bomb", "external-entity"])
def test_odfpy_parses_with_defusedxml(prolog):
    """Underneath our own check, odfpy refuses entities too (it uses defusedxml.sax)."""
    data = rezip(ods(), "content.xml", with_prolog(prolog))
    with pytest.raises(EntitiesForbidden):
        opendocument.load(io.BytesIO(data))


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["bomb.xlsx", "bomb.ods"])
def test_zip_bomb_is_refused_before_inflating(demo, settings, name):
    settings.INTERVENTION_IMPORT = {"MAX_UNCOMPRESSED_BYTES": 1_000_000}
    data = zip_of({"padding.bin": b"\x00" * 5_000_000})
    assert len(data) < 10_000
    fmt = name.rsplit(".", 1)[1]
    expected = (
        f"The file cannot be read as {fmt}: it expands to 5000000 bytes, over the limit of 1000000."
    )
    assert refused(data, name).message == expected


def lie_about_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size a zip declares for ``member`` (local and central)."""
    patched = bytearray(data)
    encoded = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        name_at = patched.index(signature)
        while True:
            name_start = name_at + (30 if signature == b"PK\x03\x04" else 46)
            if patched[name_start : name_start + len(encoded)] == encoded:
                break
            name_at = patched.index(signature, name_at + 4)
        patched[name_at + offset : name_at + offset + 4] = struct.pack("<I", size)
    return bytes(patched)


def test_archive_that_understates_its_size_is_refused(demo):
    """zipfile stops at the declared size and checks the CRC: a lie cannot inflate more."""
    data = lie_about_size(xlsx(3), SHEET, 100)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET).file_size == 100
    assert refused(data, "liar.xlsx").message == NOT_A_ZIP.format("xlsx")


def test_stale_xlsx_dimension_still_reads_every_row(demo):
    data = rezip(
        xlsx(3),
        SHEET,
        lambda body: body.replace(b'<dimension ref="A1:L4"/>', b'<dimension ref="A1:A1"/>'),
    )
    assert b'<dimension ref="A1:A1"/>' in zipfile.ZipFile(io.BytesIO(data)).read(SHEET)
    result = run(data, "stale.xlsx")
    assert (result.new, result.error_rows, result.file_errors) == (3, 0, [])
    assert Intervention.objects.get(guid="IV-3").teacher.login == "jdoe"


# CSV -------------------------------------------------------------------------------------

VALID = csv_bytes(rows())


@pytest.mark.parametrize(
    ("data", "message", "line", "column"),
    [
        (
            VALID.decode().encode("utf-16-le"),  # UTF-16 without its BOM
            "The file looks like UTF-16-LE text without a byte order mark (every other byte is"
            " NUL), not UTF-8 text.",
            1,
            None,
        ),
        (
            VALID.decode().encode("utf-16-be"),
            "The file looks like UTF-16-BE text without a byte order mark (every other byte is"
            " NUL), not UTF-8 text.",
            1,
            None,
        ),
        (
            VALID + b"\n".join(b"IV-%d;\x00\x01\x00;\x00" % n for n in range(5)) + b"\n",
            "The file looks like a binary file, not UTF-8 text (15 NUL characters, the first at"
            " this line and column).",
            3,
            "6",
        ),
        (
            VALID + b'IV-2;"TR-1;;SE-1\nIV-3;TR-1\n',
            "The CSV is malformed: unexpected end of data.",
            3,
            None,
        ),
        (
            VALID.replace(b"Room 101", b"x" * 131_073),
            "The CSV is malformed: field larger than field limit (131072).",
            2,
            None,
        ),
        (
            VALID.replace(b"Room 101", b"Salle \x81"),  # 0x81: not Windows-1252 either
            "The file is not valid UTF-8 (byte 0x81).",
            2,
            "52",
        ),
        (b"", "The file has no data rows.", None, None),
        (b" \r\n\n\t\n", "The file has no data rows.", None, None),
        (VALID.split(b"\n")[0] + b"\n", "The file has no data rows.", None, None),
        (
            csv_bytes(rows(), header=[*HEADER, "roomGuid"]),
            "Column roomGuid appears twice in the header row.",
            1,
            "roomGuid",
        ),
        (
            csv_bytes(rows(), header=["" if n == "roomGuid" else n for n in HEADER]),
            "Column roomGuid is missing from the header row. The header row read: "
            + ", ".join(f'"{n}"' for n in HEADER if n != "roomGuid")
            + ".",
            1,
            "roomGuid",
        ),
    ],
    ids=[
        "utf16-le-without-bom",
        "utf16-be-without-bom",
        "binary",
        "unclosed-quote",
        "field-over-limit",
        "cp1252-read-as-utf8",
        "empty",
        "blank-lines-only",
        "header-only",
        "duplicate-header",
        "blank-header-name",
    ],
)
def test_bad_csv_is_refused_with_its_place(demo, data, message, line, column):
    error = refused(data, "bad.csv")
    assert (error.message, error.line, error.column) == (message, line, column)


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16", b""),  # Python writes its BOM
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
    ],
)
def test_unicode_files_with_a_bom_are_detected(demo, encoding, bom):
    data = bom + csv_bytes([make_row(roomLabel="Salle é ✓")]).decode().encode(encoding)
    result = run(data, "bom.csv")
    assert (result.new, result.file_errors) == (1, [])
    assert Room.objects.get(guid="R-101").label == "Salle é ✓"


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("cp1252", "Salle é – €"), ("iso-8859-1", "Salle é ½"), ("utf-16", "Salle é ✓")],
)
def test_encoding_option_reads_legacy_files(demo, encoding, label):
    data = csv_bytes([make_row(roomLabel=label)]).decode().encode(encoding)
    result = run(data, "legacy.csv", encoding=encoding)
    assert (result.new, result.file_errors) == (1, [])
    assert Room.objects.get(guid="R-101").label == label


def test_unknown_encoding_is_refused(demo):
    assert refused(VALID, "f.csv", encoding="no-such-codec").message == (
        "Unknown encoding no-such-codec."
    )


def csv_lines(*lines: str, ending: str = "\n") -> bytes:
    return ending.join(lines).encode() + ending.encode()


def bad_row(guid: str) -> str:
    return ";".join(make_row(interventionGuid=guid, interventionDuration="x")[n] for n in HEADER)


def good_row(guid: str) -> str:
    return ";".join(make_row(interventionGuid=guid)[n] for n in HEADER)


@pytest.mark.parametrize(
    ("data", "error_lines"),
    [
        (csv_lines(";".join(HEADER), "", "", bad_row("IV-1"), "", bad_row("IV-2")), [4, 6]),
        (b";".join(h.encode() for h in HEADER) + b"\r\n\r\n" + bad_row("IV-1").encode(), [3]),
        (
            ";".join(HEADER).encode()
            + b"\r"
            + good_row("IV-1").encode()
            + b"\n"
            + bad_row("IV-2").encode()
            + b"\r\n\n"
            + bad_row("IV-3").encode()
            + b"\r",
            [3, 5],
        ),
        (
            csv_lines(
                ";".join(HEADER),
                good_row("IV-1").replace("R-101;Room 101", 'R-9;"Room\n9\n"'),
                bad_row("IV-2"),
            ),
            [5],
        ),
    ],
    ids=["blank-lines", "crlf", "mixed-endings", "newlines-in-quotes"],
)
def test_line_numbers_stay_physical(demo, data, error_lines):
    result = run(data, "lines.csv", dry_run=True)
    assert result.file_errors == []
    assert sorted({e.line for e in result.errors}) == error_lines
    assert all(e.column == "interventionDuration" for e in result.errors)


def test_short_row_reports_each_missing_field(demo):
    short = ";".join(make_row()[n] for n in HEADER[:-2])
    before = counts()
    result = run(csv_lines(";".join(HEADER), short), "short.csv")
    assert counts() == before
    assert [(e.line, e.column, e.message) for e in result.errors] == [
        (2, "teacherLogin", "Field teacherLogin is empty."),
        (2, "interventionStatus", "Field interventionStatus is empty."),
    ]


def test_long_row_extra_cells_are_ignored(demo):
    result = run(csv_lines(";".join(HEADER), good_row("IV-1") + ";extra;cells"), "long.csv")
    assert (result.new, result.errors, result.file_errors) == (1, [], [])


def test_blank_extra_header_name_is_ignored(demo):
    header = [*HEADER[:3], "", *HEADER[3:]]
    row = make_row()
    data = csv_lines(";".join(header), ";".join(row.get(n, "junk") for n in header))
    result = run(data, "blank.csv")
    assert (result.new, result.file_errors) == (1, [])


# Size ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["big.csv", "big.xlsx", "big.ods"])
def test_byte_limit_is_checked_before_parsing(demo, settings, name):
    settings.INTERVENTION_IMPORT = {"MAX_FILE_BYTES": 1_000}
    data = b"\x00garbage that no parser could read" * 100
    assert refused(data, name).message == "The file is too large (3400 bytes, 1000 at most)."


@pytest.mark.parametrize(
    ("builder", "name", "line"),
    [(lambda n: csv_bytes(rows(n)), "rows.csv", 5), (xlsx, "rows.xlsx", 5), (ods, "rows.ods", 5)],
)
def test_row_limit_stops_reading(demo, settings, builder, name, line):
    settings.INTERVENTION_IMPORT = {"MAX_ROWS": 3}
    error = refused(builder(6), name)
    assert (error.message, error.line) == ("The file has more than 3 data rows.", line)


def test_repeated_ods_row_counts_against_the_row_limit(demo, settings):
    """One ODS row repeated a million times is not expanded past the limit."""
    settings.INTERVENTION_IMPORT = {"MAX_ROWS": 10}

    def repeat(body: bytes) -> bytes:
        marker = b"<table:table-row "
        last = body.rindex(marker)
        repeated = b'<table:table-row table:number-rows-repeated="1000000" '
        return body[:last] + repeated + body[last + len(marker) :]

    error = refused(rezip(ods(1), "content.xml", repeat), "repeat.ods")
    assert (error.message, error.line) == ("The file has more than 10 data rows.", 12)


@pytest.mark.parametrize("field", ["interventionGuid", "roomLabel", "teacherLogin", "sessionTitle"])
def test_a_stray_nul_is_the_error_of_its_row_alone(demo, field):
    cells = rows(3)
    cells[1][field] = (
        cells[1][field][:2] + "\x00" + cells[1][field][2:] if cells[1][field] else "\x00"
    )
    result = run(csv_bytes(cells), "stray.csv")
    assert result.file_errors == []
    assert (result.new, result.error_rows) == (2, 1)
    assert [(e.line, e.column, e.message, e.code) for e in result.errors] == [
        (3, field, f"Field {field} contains invisible characters.", "field_invisible_characters")
    ]
    assert sorted(Intervention.objects.values_list("guid", flat=True)) == ["IV-1", "IV-3"]


def test_a_nul_in_a_date_or_number_is_that_cell_s_error(demo):
    cells = rows(2)
    cells[0]["interventionDuration"] = "3\x00"
    result = run(csv_bytes(cells), "stray.csv")
    assert (result.new, result.error_rows) == (1, 1)
    assert result.errors[0].code == "duration_not_valid"
