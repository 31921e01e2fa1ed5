"""Writers per format: rows of cells (``cells.py``) into CSV, XLSX or ODS bytes, in
bounded memory (each writes to a binary file as rows come).

Cells are never formulas. CSV: a text that a spreadsheet would run (``=``, ``+``, ``-``,
``@``) gets a leading apostrophe (``formulas.quote_csv``). XLSX and ODS: every text is a
string cell (an inline string, ``office:value-type="string"``: never a formula); whole
numbers are number cells. Both are written by hand as XML streamed into the zip (openpyxl's
write-only mode took nine times as long as an import: ``bench/``).
A value the file cannot hold raises ``ExportProblem``: a character the CSV's encoding lacks,
or a control character (XML, so XLSX and ODS, cannot hold them).
"""

import codecs
import csv
import re
import zipfile
from typing import BinaryIO, Protocol
from xml.sax.saxutils import escape

from imports.parsing import messages
from imports.parsing.config import ImportConfig
from imports.parsing.formulas import quote_csv, quote_sheet

from .cells import Cell, ExportProblem, Quote

FORMATS = ("csv", "xlsx", "ods")
CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
# What XML 1.0 cannot hold (as openpyxl's ILLEGAL_CHARACTERS_RE): XLSX and ODS cannot.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FLUSH_ROWS = 1000


class RowWriter(Protocol):
    def row(self, cells: list[Cell]) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


def quote_for(file_format: str) -> Quote:
    return quote_csv if file_format == "csv" else quote_sheet


def open_writer(
    file_format: str, sink: BinaryIO, config: ImportConfig, columns: list[str]
) -> RowWriter:
    """A writer of rows into ``sink``; ``columns``: the names a problem is reported with."""
    if file_format == "csv":
        return CsvWriter(sink, config, columns)
    if file_format == "xlsx":
        return XlsxWriter(sink, columns)
    if file_format == "ods":
        return OdsWriter(sink, columns)
    raise ValueError(f"Unknown export format {file_format!r}, one of {', '.join(FORMATS)}.")


class _Line:
    """What ``csv.writer`` writes for one row (it writes a row in one call)."""

    text = ""

    def write(self, text: str) -> None:
        self.text = text


class CsvWriter:
    def __init__(self, sink: BinaryIO, config: ImportConfig, columns: list[str]) -> None:
        self.sink, self.columns = sink, columns
        self.encoding = config.encoding or "utf-8"
        # one encoder for the whole file: a byte order mark (UTF-16, utf-8-sig) comes once
        self.encode = codecs.getincrementalencoder(self.encoding)().encode
        self.line = _Line()
        self.csv = csv.writer(self.line, delimiter=config.delimiter or ",", lineterminator="\r\n")
        self.pending: list[bytes] = []

    def row(self, cells: list[Cell]) -> None:
        self.csv.writerow(cells)
        try:
            self.pending.append(self.encode(self.line.text))
        except UnicodeEncodeError:
            raise self._problem(cells) from None
        if len(self.pending) >= FLUSH_ROWS:
            self.flush()

    def _problem(self, cells: list[Cell]) -> ExportProblem:
        for column, cell in zip(self.columns, cells, strict=False):
            try:
                str(cell).encode(self.encoding)
            except UnicodeEncodeError:
                template = messages.EXPORT_NOT_ENCODABLE
                return ExportProblem(template, column, str(cell), encoding=self.encoding)
        raise RuntimeError("a row that cannot be encoded has a cell that cannot be")

    def flush(self) -> None:
        self.sink.write(b"".join(self.pending))
        self.pending.clear()

    def close(self) -> None:
        self.flush()

    def abort(self) -> None:
        self.pending.clear()


def _check_xml(columns: list[str], cells: list[Cell]) -> None:
    for column, cell in zip(columns, cells, strict=False):
        if isinstance(cell, str) and NOT_IN_XML.search(cell):
            raise ExportProblem(messages.EXPORT_NOT_WRITABLE, column, cell)


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
XLSX_PARTS = {
    "[Content_Types].xml": XML_HEAD
    + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels"'
    ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>",
    "_rels/.rels": XML_HEAD + f'<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1"'
    f' Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": XML_HEAD + f'<workbook xmlns="{MAIN_NS}" xmlns:r="{DOC_RELS}"><sheets>'
    '<sheet name="interventions" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": XML_HEAD
    + f'<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1"'
    f' Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}


class XlsxWriter:
    """An Office Open XML workbook written as a stream: the sheet row by row into the zip.
    Texts are inline string cells (``t="inlineStr"``), never formulas; whole numbers are
    number cells; empty cells are left out."""

    def __init__(self, sink: BinaryIO, columns: list[str]) -> None:
        self.columns = columns
        self.letters = [_column_letters(index) for index in range(len(columns))]
        self.zip = zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED)
        for name, text in XLSX_PARTS.items():
            self.zip.writestr(name, text)
        self.sheet = self.zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        self.sheet.write(f'{XML_HEAD}<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode())
        self.pending: list[str] = []
        self.number = 0

    def row(self, cells: list[Cell]) -> None:
        _check_xml(self.columns, cells)
        self.number += 1
        number = self.number
        parts = [f'<row r="{number}">']
        for letters, cell in zip(self.letters, cells, strict=False):
            if cell == "":
                continue
            if isinstance(cell, int | float):
                parts.append(f'<c r="{letters}{number}"><v>{cell}</v></c>')
            else:
                parts.append(
                    f'<c r="{letters}{number}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{escape(cell)}</t></is></c>"
                )
        parts.append("</row>")
        self.pending.append("".join(parts))
        if len(self.pending) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        self.sheet.write("".join(self.pending).encode())
        self.pending.clear()

    def close(self) -> None:
        self.flush()
        self.sheet.write(b"</sheetData></worksheet>")
        self.sheet.close()
        self.zip.close()

    def abort(self) -> None:
        self.pending.clear()
        self.sheet.close()
        self.zip.close()


def _column_letters(index: int) -> str:
    """A, B, … Z, AA, AB, …: the column of a cell reference."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="interventions">'
)
ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"
ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
    ' manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2"'
    f' manifest:media-type="{CONTENT_TYPES["ods"]}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


class OdsWriter:
    """An OpenDocument spreadsheet written as a stream: content.xml row by row into the zip."""

    def __init__(self, sink: BinaryIO, columns: list[str]) -> None:
        self.columns = columns
        self.zip = zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED)
        self.zip.writestr(zipfile.ZipInfo("mimetype"), CONTENT_TYPES["ods"], zipfile.ZIP_STORED)
        self.zip.writestr("META-INF/manifest.xml", ODS_MANIFEST)
        self.content = self.zip.open("content.xml", "w", force_zip64=True)
        self.content.write(ODS_HEAD.encode())
        self.pending: list[str] = []

    def row(self, cells: list[Cell]) -> None:
        _check_xml(self.columns, cells)
        self.pending.append(
            "<table:table-row>" + "".join(map(_ods_cell, cells)) + "</table:table-row>"
        )
        if len(self.pending) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        self.content.write("".join(self.pending).encode())
        self.pending.clear()

    def close(self) -> None:
        self.flush()
        self.content.write(ODS_TAIL.encode())
        self.content.close()
        self.zip.close()

    def abort(self) -> None:
        self.pending.clear()
        self.content.close()
        self.zip.close()


def _ods_cell(cell: Cell) -> str:
    if cell == "":
        return "<table:table-cell/>"
    if isinstance(cell, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{cell}">'
            f"<text:p>{cell}</text:p></table:table-cell>"
        )
    return (
        '<table:table-cell office:value-type="string">'
        f"<text:p>{escape(cell)}</text:p></table:table-cell>"
    )
