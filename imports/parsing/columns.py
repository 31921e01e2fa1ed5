"""Which file column holds which field: from the configuration, or from the header row.

A header cell names a column of the action when both are the same ignoring case, accents,
spaces, underscores and hyphens (``Intervention Guid``, ``intervention_guid``,
``INTERVENTION-GUID``: ``header_key``). A column missing from the header row is reported with
the cells that were read, and the one cell close to it (``difflib``'s ratio of the keys at
least ``CLOSE_ENOUGH``), if there is exactly one, as what was probably meant.
"""

import difflib
import re
from typing import Any

from . import messages
from .cells import as_text, folded
from .config import ImportConfig
from .fields import FIELD_NAMES, IGNORED_COLUMN, NEEDS, ONE_OF_PAIRS, REQUIRED_COLUMNS
from .moments import time_of_day_written
from .readers import FileProblem
from .results import RowError

IGNORED_IN_KEYS = str.maketrans("", "", " _-\t\u00a0")
CLOSE_ENOUGH = 0.8
MAX_CELLS_SHOWN = 20
# What no header cell is: a date (three groups of digits), a time of day
# (``moments.time_of_day_written``), a number.
DATE_LIKE = re.compile(r"\d{1,4}([-/.])\d{1,2}\1\d{1,4}")
NUMBER = re.compile(r"[0-9]+([.,][0-9]+)?")


def header_key(text: str) -> str:
    """A header cell as it is compared: no accents, case, spaces, underscores or hyphens."""
    return folded(text).translate(IGNORED_IN_KEYS)


FIELDS_BY_KEY = {header_key(name): name for name in FIELD_NAMES}


def looks_like_header(cells: list[Any]) -> bool:
    """Whether a first row names at least one of the action's columns (a workbook's sheets)."""
    return any(header_key(as_text(cell)) in FIELDS_BY_KEY for cell in cells)


def column_map(
    config: ImportConfig, header: list[Any] | None, header_line: int | None
) -> tuple[dict[str, int], list[RowError]]:
    """Return ``{field: column index}`` and warnings; raise ``FileProblem`` for a bad header."""
    if not config.uses_header:
        columns = config.columns or ()
        mapping = {n: i for i, n in enumerate(columns) if n is not None and n in config.fields}
        absent = [name for name, _ in config.defaults if name not in mapping]
        # A column given a default that the file does not have: a cell after the file's
        # columns, which the row parser fills (rows.defaults_filler).
        mapping.update({name: len(columns) + at for at, name in enumerate(absent)})
        return mapping, _skipped_data(header, header_line, columns)
    return _from_header(header or [], header_line)


def data_like(text: str) -> bool:
    """Whether a cell reads as a date, a time of day or a number, as no header cell does."""
    text = text.strip()
    return bool(DATE_LIKE.search(text) or NUMBER.fullmatch(text) or time_of_day_written(text))


def _skipped_data(
    header: list[Any] | None, line: int | None, columns: tuple[str | None, ...]
) -> list[RowError]:
    """A warning when the first row, skipped as the header (``skipFirstLine``), looks like
    data: a row is never left out without a word."""
    for index, text in enumerate(as_text(cell) for cell in header or ()):
        if data_like(text):
            column = columns[index] if index < len(columns) and columns[index] else ""
            message = messages.FIRST_LINE_SKIPPED_LOOKS_LIKE_DATA.format(
                line=line, value=messages.shorten(text), column=column or f"#{index + 1}"
            )
            return [RowError(line, message, column, text, level="WARNING")]
    return []


def _from_header(header: list[Any], line: int | None) -> tuple[dict[str, int], list[RowError]]:
    mapping: dict[str, int] = {}
    warnings: list[RowError] = []
    texts = [as_text(cell) for cell in header]
    for index, text in enumerate(texts):
        name = FIELDS_BY_KEY.get(header_key(text))
        if name is None:
            if text and text != IGNORED_COLUMN:
                message = messages.HEADER_UNKNOWN_COLUMN.format(value=text)
                warnings.append(RowError(line, message, text, text, level="WARNING"))
            continue
        if name in mapping:
            raise FileProblem(_twice(name, texts[mapping[name]], text), line, name)
        mapping[name] = index
    _check_complete(mapping, texts, line)
    return mapping, warnings


def _twice(name: str, first: str, second: str) -> str:
    if first == second:
        return messages.HEADER_DUPLICATE_COLUMN.format(field=name)
    return messages.HEADER_SAME_COLUMN.format(first=first, second=second, field=name)


def _check_complete(mapping: dict[str, int], texts: list[str], line: int | None) -> None:
    """Every missing column at once (the seed's message for each), then the cells read."""
    unused = [text for index, text in enumerate(texts) if text and index not in mapping.values()]
    missing: list[tuple[str, messages.Message, str | None]] = []
    for name in REQUIRED_COLUMNS:
        if name not in mapping:
            message = messages.HEADER_MISSING_COLUMN.format(field=name)
            missing.append((name, message, _close_to(name, unused)))
    for first, second in ONE_OF_PAIRS:
        if first not in mapping and second not in mapping:
            message = messages.HEADER_MISSING_ONE_OF.format(first=first, second=second)
            missing.append((first, message, _close_to(first, unused) or _close_to(second, unused)))
    for name, needed in NEEDS.items():
        if name in mapping and needed not in mapping:
            message = messages.HEADER_NEEDS_COLUMN.format(field=name, needed=needed)
            missing.append((name, message, _close_to(needed, unused)))
    if missing:
        name, first_message, _ = missing[0]
        said = messages.joined(*(m for _, m, _ in missing))
        meant = [cell for _, _, cell in missing if cell is not None]
        raise FileProblem(_with_cells(said, texts, meant, line), line, name)


def _close_to(name: str, cells: list[str]) -> str | None:
    """The one cell whose key is close to ``name``'s; None when none is, or several are."""
    key = header_key(name)
    close = [
        cell
        for cell in cells
        if difflib.SequenceMatcher(None, key, header_key(cell)).ratio() >= CLOSE_ENOUGH
    ]
    return close[0] if len(close) == 1 else None


def _with_cells(
    message: messages.Message, texts: list[str], meant: list[str], line: int | None
) -> str:
    """The missing columns' messages (the seed's), then the cells that were read, the cells
    probably meant, and whether line 1 looks like data."""
    shown = [f'"{messages.shorten(text)}"' for text in texts[:MAX_CELLS_SHOWN] if text]
    more = len([text for text in texts if text]) - len(shown)
    cells = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
    said = [message, messages.HEADER_CELLS_READ.format(cells=cells or "no cell")]
    said += [messages.HEADER_PROBABLY_MEANT.format(cell=messages.shorten(cell)) for cell in meant]
    data = next((cell for cell in texts if data_like(cell)), None)
    if data is not None:
        value = messages.shorten(data)
        said.append(messages.HEADER_LOOKS_LIKE_DATA.format(line=line, value=value))
    return messages.joined(*said)
