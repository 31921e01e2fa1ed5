"""The error report of a job: the failing rows as they were, plus ``line``, ``error`` (the
messages, in the active language: the reader's), ``code`` (their machine codes,
``messages.Message``, the same in every language) and ``suggestion`` (for a key
not found, the existing value close to it: ``suggestions``).

The CSV is meant to be opened in a spreadsheet, fixed and uploaded again, so every cell that a
spreadsheet would run as a formula is neutralised with a leading single quote.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator

from imports.parsing.messages import render, stored_parts

from .models import ImportJob

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DELIMITER = ";"


def neutralise(cell: object) -> str:
    """The cell as text, prefixed with ``'`` when a spreadsheet would run it as a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def report_rows(job: ImportJob) -> Iterator[list[str]]:
    """The report's rows: the header, then one row per failing line (messages joined)."""
    messages: dict[int | None, list[str]] = defaultdict(list)
    codes: dict[int | None, list[str]] = defaultdict(list)
    suggestions: dict[int | None, list[str]] = defaultdict(list)
    errors = job.errors.filter(level="ERROR", file_level=False)
    for line, message, code, suggestion, params in errors.values_list(
        "line", "message", "code", "suggestion", "params"
    ):
        messages[line].append(render(stored_parts(params, code), message))
        codes[line].append(code)
        if suggestion:
            suggestions[line].append(suggestion)
    failing = job.rows.filter(cells__isnull=False).values_list("line", "cells")
    cells_by_line: dict[int | None, list] = {
        line: cells
        for line, cells in failing.iterator()
        if cells is not None  # always, by the filter; said again for the type
    }
    width = max([len(job.header)] + [len(cells) for cells in cells_by_line.values()])
    header = list(job.header) + [f"column{n}" for n in range(len(job.header) + 1, width + 1)]
    yield header + ["line", "error", "code", "suggestion"]
    for line in sorted(messages, key=lambda value: -1 if value is None else value):
        cells = list(cells_by_line.get(line, []))
        cells += [""] * (width - len(cells))
        where = "" if line is None else str(line)
        found = [where, " ".join(messages[line]), " ".join(codes[line])]
        yield cells + found + [" ".join(suggestions[line])]


def error_report_csv(job: ImportJob) -> bytes:
    """The report as UTF-8 CSV (with a BOM, so spreadsheets pick the encoding)."""
    return write_csv(report_rows(job))


def write_csv(rows: Iterable[list[str]], delimiter: str = DELIMITER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
