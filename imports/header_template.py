"""Empty files with the header row a configuration expects, for users to fill in."""

import io

from .config import ImportConfig
from .error_report import write_csv
from .export_cells import header_row

__all__ = ["TEMPLATE_FORMATS", "header_row", "template_file"]
TEMPLATE_FORMATS = ("csv", "xlsx")


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
