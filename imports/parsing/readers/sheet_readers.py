"""XLSX (openpyxl, read-only) and ODS (odfpy, as binary) sheets: one sheet of the workbook.

The sheet read is the one named (``sheet``), else the first whose first row is a header
(``is_header``), else the first. Both keep the row numbers a person sees in the spreadsheet
and read every row even when the stored dimension is stale. ``archive.check_archive`` vets
the zip container first.
"""

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from imports.conf import import_settings
from imports.parsing import messages

from .archive import check_archive
from .problems import FileProblem

MAX_COLUMNS = 1024
RowSource = Callable[[], Iterator[tuple[int, list[Any]]]]
HeaderTest = Callable[[list[Any]], bool]


@dataclass(frozen=True)
class SheetChoice:
    """The sheet read, and every sheet of the workbook in its order."""

    name: str
    names: tuple[str, ...]


def sheet_rows(
    data: bytes, file_format: str, *, sheet: str | None = None, is_header: HeaderTest | None = None
) -> tuple[RowSource, SheetChoice]:
    """The rows of the chosen sheet, and which it is; an unknown ``sheet`` is a file problem."""
    check_archive(data, file_format)
    reader = _xlsx_rows if file_format == "xlsx" else _ods_rows
    with _reading(file_format):
        names = _sheet_names(data, file_format)
    index = _chosen_index(names, sheet, is_header, first_row=_first_rows(reader, data, file_format))
    rows = _guarded(reader, data, file_format, index)
    next(rows(), None)  # fail now, not while the engine iterates, when the container is unreadable
    return rows, SheetChoice(names[index] if names else "", tuple(names))


def _chosen_index(
    names: list[str],
    sheet: str | None,
    is_header: HeaderTest | None,
    *,
    first_row: Callable[[int], list[Any] | None],
) -> int:
    if sheet:
        if sheet not in names:
            shown = ", ".join(names)
            raise FileProblem(messages.SHEET_NOT_FOUND.format(sheet=sheet, sheets=shown))
        return names.index(sheet)
    if is_header is not None and len(names) > 1:
        for index in range(len(names)):
            cells = first_row(index)
            if cells is not None and is_header(cells):
                return index
    return 0


def _first_rows(reader: Callable, data: bytes, file_format: str) -> Callable[[int], list | None]:
    def first_row(index: int) -> list[Any] | None:
        first = next(_guarded(reader, data, file_format, index)(), None)
        return first[1] if first is not None else None

    return first_row


def _sheet_names(data: bytes, file_format: str) -> list[str]:
    if file_format == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return list(workbook.sheetnames)
        finally:
            workbook.close()
    return [str(table.getAttribute("name")) for table in _ods_tables(data)]


@contextmanager
def _reading(file_format: str) -> Iterator[None]:
    """Any parser failure as a file problem."""
    try:
        yield
    except FileProblem:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure is a file problem
        reason = f"{type(exc).__name__}: {exc}"[:200].rstrip(".") + "."
        raise FileProblem(
            messages.FILE_NOT_READABLE.format(format=file_format, reason=reason)
        ) from None


def _guarded(reader: Callable, data: bytes, file_format: str, index: int) -> RowSource:
    def rows() -> Iterator[tuple[int, list[Any]]]:
        with _reading(file_format):
            yield from reader(data, index)

    return rows


def _trim(cells: list[Any]) -> list[Any]:
    values = ["" if value is None else value for value in cells[:MAX_COLUMNS]]
    while values and values[-1] == "":
        values.pop()
    return values


def _xlsx_rows(data: bytes, index: int) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        if index >= len(workbook.worksheets):
            return
        sheet = workbook.worksheets[index]
        sheet.reset_dimensions()  # the stored dimension may lie: read every row
        for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = _trim(list(values))
            if any(str(cell).strip() for cell in cells):
                yield line, cells
    finally:
        workbook.close()


def _ods_tables(data: bytes) -> list[Any]:
    from odf import opendocument

    document = opendocument.load(io.BytesIO(data))
    return [n for n in document.spreadsheet.childNodes if n.qname[1] == "table"]


def _ods_rows(data: bytes, index: int) -> Iterator[tuple[int, list[Any]]]:
    tables = _ods_tables(data)
    if index >= len(tables):
        return
    line = 0
    for row in _ods_table_rows(tables[index]):
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
