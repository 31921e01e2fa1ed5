"""Turn file bytes into a ``Table``: an optional header and rows with their physical line numbers.

The readers know nothing of interventions; they only read cells. A file that cannot be read
raises ``FileProblem`` (possibly while rows are iterated: the engine then writes nothing).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from imports.conf import import_settings
from imports.parsing import messages

from .problems import FileProblem
from .sheet_readers import HeaderTest

Cells = list[Any]
RowIterator = Iterator[tuple[int, Cells]]
FORMATS = ("csv", "xlsx", "ods")  # the readers (a job's format, the command's --format)
# Extensions of delimited text, read as CSV (the delimiter detected, or configured): what
# planning tools name their exports.
DELIMITED_TEXT = ("csv", "txt", "tsv", "tab")
EXTENSIONS = {**{extension: "csv" for extension in DELIMITED_TEXT}, "xlsx": "xlsx", "ods": "ods"}

__all__ = ["FORMATS", "FileProblem", "Table", "detect_format", "read_table"]


@dataclass
class Table:
    """A readable table. ``rows()`` can be iterated more than once (the engine reads twice)."""

    name: str
    format: str
    header: Cells | None
    header_line: int | None
    _rows: Callable[[], RowIterator]
    notes: list = field(default_factory=list)  # the file's warnings (Messages)
    sheet: str | None = None  # a workbook's sheet that was read
    sheets: tuple[str, ...] = ()  # every sheet of the workbook, in order
    # A CSV file's encoding and delimiter as read (found when not chosen): "Read with"
    read_with: dict[str, str] = field(default_factory=dict)

    def rows(self) -> RowIterator:
        limit = import_settings.MAX_ROWS
        for count, row in enumerate(self._rows(), start=1):
            if count > limit:
                raise FileProblem(messages.FILE_TOO_MANY_ROWS.format(limit=limit), line=row[0])
            yield row


def detect_format(name: str, requested: str | None = None) -> str:
    """The reader of the file ``name``: ``requested``, else its extension's (any case)."""
    value = (requested or PurePath(name).suffix.lstrip(".")).lower()
    if value not in EXTENSIONS:
        expected = ", ".join(DELIMITED_TEXT + FORMATS[1:-1]) + f" or {FORMATS[-1]}"
        raise FileProblem(
            messages.FILE_UNKNOWN_FORMAT.format(value=value or "(none)", expected=expected)
        )
    return EXTENSIONS[value]


def read_table(
    data: bytes,
    name: str,
    *,
    format: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    has_header: bool = True,
    sheet: str | None = None,
    is_header: HeaderTest | None = None,
) -> Table:
    """Read ``data`` (the bytes of the file called ``name``) into a ``Table``.

    A workbook's sheet: ``sheet``, else the first whose first row passes ``is_header``, else
    the first one."""
    limit = import_settings.MAX_FILE_BYTES
    if len(data) > limit:
        raise FileProblem(messages.FILE_TOO_LARGE.format(size=len(data), limit=limit))
    file_format = detect_format(name, format)
    if file_format == "csv":
        from .csv_reader import csv_rows
        from .sniff import refuse_wrong_csv

        refuse_wrong_csv(data)
        notes: list = []
        found: dict[str, str] = {}
        row_source = csv_rows(
            data, encoding=encoding, delimiter=delimiter, notes=notes, found=found
        )
    else:
        from .sheet_readers import sheet_rows

        notes = []
        row_source, choice = sheet_rows(data, file_format, sheet=sheet, is_header=is_header)
    table = _split_header(name, file_format, row_source, has_header)
    table.notes = notes
    if file_format == "csv":
        table.read_with = found
    else:
        table.sheet, table.sheets = choice.name, choice.names
    return table


def _split_header(
    name: str, file_format: str, row_source: Callable[[], RowIterator], has_header: bool
) -> Table:
    if not has_header:
        return Table(name, file_format, None, None, row_source)
    first = next(iter(row_source()), None)
    if first is None:
        raise FileProblem(messages.FILE_EMPTY)
    header_line, header = first

    def data_rows() -> RowIterator:
        rows = row_source()
        next(rows, None)
        yield from rows

    return Table(name, file_format, header, header_line, data_rows)
