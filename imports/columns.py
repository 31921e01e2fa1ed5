"""Which file column holds which field: from the configuration, or from the header row."""

from typing import Any

from . import messages
from .cells import as_text
from .config import ImportConfig
from .fields import FIELD_NAMES, IGNORED_COLUMN, MANDATORY_FIELDS, ONE_OF_PAIRS
from .readers import FileProblem
from .results import RowError

FIELDS_BY_LOWER_NAME = {name.lower(): name for name in FIELD_NAMES}


def looks_like_header(cells: list[Any]) -> bool:
    """Whether a first row names at least one of the action's columns (a workbook's sheets)."""
    return any(as_text(cell).lower() in FIELDS_BY_LOWER_NAME for cell in cells)


def column_map(
    config: ImportConfig, header: list[Any] | None, header_line: int | None
) -> tuple[dict[str, int], list[RowError]]:
    """Return ``{field: column index}`` and warnings; raise ``FileProblem`` for a bad header."""
    if not config.uses_header:
        columns = config.columns or ()
        return {n: i for i, n in enumerate(columns) if n is not None and n in config.fields}, []
    return _from_header(header or [], header_line)


def _from_header(header: list[Any], line: int | None) -> tuple[dict[str, int], list[RowError]]:
    mapping: dict[str, int] = {}
    warnings: list[RowError] = []
    for index, cell in enumerate(header):
        text = as_text(cell)
        name = FIELDS_BY_LOWER_NAME.get(text.lower())
        if name is None:
            if text and text != IGNORED_COLUMN:
                message = messages.HEADER_UNKNOWN_COLUMN.format(value=text)
                warnings.append(RowError(line, message, text, text, level="WARNING"))
            continue
        if name in mapping:
            raise FileProblem(messages.HEADER_DUPLICATE_COLUMN.format(field=name), line, name)
        mapping[name] = index
    _check_complete(mapping, line)
    return mapping, warnings


def _check_complete(mapping: dict[str, int], line: int | None) -> None:
    for name in MANDATORY_FIELDS:
        if name not in mapping:
            raise FileProblem(messages.HEADER_MISSING_COLUMN.format(field=name), line, name)
    for first, second in ONE_OF_PAIRS:
        if first not in mapping and second not in mapping:
            message = messages.HEADER_MISSING_ONE_OF.format(first=first, second=second)
            raise FileProblem(message, line, first)
