"""Empty files with the header row a configuration expects, for users to fill in."""

import io

from .config import ImportConfig
from .error_report import write_csv
from .fields import FIELD_NAMES, IGNORED_COLUMN

TEMPLATE_FORMATS = ("csv", "xlsx")


def header_row(config: ImportConfig) -> list[str]:
    """Column names in the configuration's order (every field when it reads a header row)."""
    if config.columns is None:
        return [name for name in FIELD_NAMES if name in config.fields]
    return [name or IGNORED_COLUMN for name in config.columns]


def template_file(config: ImportConfig, file_format: str) -> bytes:
    header = header_row(config)
    if file_format == "csv":
        return write_csv([header], delimiter=config.delimiter or ";")
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(header)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
