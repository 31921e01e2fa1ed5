"""XLSX (openpyxl, read-only) and ODS (odfpy, as binary) sheets, first sheet only.

Both keep the row numbers a person sees in the spreadsheet and read every row even when the
stored dimension is stale. ``archive.check_archive`` vets the zip container first.
"""

import io
from collections.abc import Callable, Iterator
from typing import Any

from .. import messages
from ..conf import import_settings
from .archive import check_archive
from .problems import FileProblem

MAX_COLUMNS = 1024
RowSource = Callable[[], Iterator[tuple[int, list[Any]]]]


def sheet_rows(data: bytes, file_format: str) -> RowSource:
    check_archive(data, file_format)
    reader = _xlsx_rows if file_format == "xlsx" else _ods_rows
    rows = _guarded(reader, data, file_format)
    next(rows(), None)  # fail now, not while the engine iterates, when the container is unreadable
    return rows


def _guarded(reader: Callable, data: bytes, file_format: str) -> RowSource:
    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            yield from reader(data)
        except FileProblem:
            raise
        except Exception as exc:  # noqa: BLE001 - any parser failure is a file problem
            reason = f"{type(exc).__name__}: {exc}"[:200].rstrip(".") + "."
            raise FileProblem(
                messages.FILE_NOT_READABLE.format(format=file_format, reason=reason)
            ) from None

    return rows


def _trim(cells: list[Any]) -> list[Any]:
    values = ["" if value is None else value for value in cells[:MAX_COLUMNS]]
    while values and values[-1] == "":
        values.pop()
    return values


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the stored dimension may lie: read every row
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = _trim(list(values))
            if any(str(cell).strip() for cell in cells):
                yield line, cells
    finally:
        workbook.close()


def _ods_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from odf import opendocument

    document = opendocument.load(io.BytesIO(data))
    tables = [n for n in document.spreadsheet.childNodes if n.qname[1] == "table"]
    if not tables:
        return
    line = 0
    for row in _ods_table_rows(tables[0]):
        repeat = int(row.getAttribute("numberrowsrepeated") or 1)
        cells = _ods_cells(row)
        if not any(str(cell).strip() for cell in cells):
            line += repeat
            continue
        for _ in range(min(repeat, import_settings.MAX_ROWS + 1)):
            line += 1
            yield line, list(cells)


def _ods_table_rows(node: Any) -> Iterator[Any]:
    for child in node.childNodes:
        kind = child.qname[1] if hasattr(child, "qname") else ""
        if kind == "table-row":
            yield child
        elif kind in {"table-header-rows", "table-rows", "table-row-group"}:
            yield from _ods_table_rows(child)


def _ods_cells(row: Any) -> list[Any]:
    from tablib.formats._ods import ODSFormat

    cells: list[Any] = []
    for cell in row.childNodes:
        if getattr(cell, "qname", ("", ""))[1] not in {"table-cell", "covered-table-cell"}:
            continue
        repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
        value = ODSFormat.read_cell(cell)
        cells.extend([value] * min(repeat, MAX_COLUMNS - len(cells)))
        if len(cells) >= MAX_COLUMNS:
            break
    return _trim(cells)
