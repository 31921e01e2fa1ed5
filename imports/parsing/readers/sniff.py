"""What a file is, by its leading bytes: kept apart from parsing.

A PDF, a Word or old Excel (OLE2) document, a zip that is not a workbook, or an image
renamed ``.csv`` is refused with a message in plain words before any decoding is tried.
"""

import io
import zipfile

from imports.parsing import messages

from .problems import FileProblem

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
)


def refuse_wrong_csv(data: bytes) -> None:
    """Raise ``FileProblem`` when ``data``, named as a CSV file, is plainly something else."""
    kind = _kind(data)
    if kind is not None:
        raise FileProblem(kind)


def _kind(data: bytes) -> messages.Message | None:
    if data.startswith(b"%PDF"):
        return messages.FILE_WRONG_KIND.format(kind="a PDF document", expected="CSV")
    if data.startswith(OLE2):
        return messages.FILE_OLE2_DOCUMENT
    if data.startswith(ZIP):
        return messages.FILE_WRONG_KIND.format(kind=_zip_kind(data), expected="CSV")
    for start, kind in IMAGES:
        if data.startswith(start):
            return messages.FILE_WRONG_KIND.format(kind=kind, expected="CSV")
    return None


def _zip_kind(data: bytes) -> str:
    """An xlsx or ods workbook by its parts (names only: nothing is inflated), else a zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return "a zip archive"
    if "xl/workbook.xml" in names:
        return "an Excel workbook (xlsx; choose the xlsx format)"
    if "content.xml" in names and "mimetype" in names:
        return "an OpenDocument spreadsheet (ods; choose the ods format)"
    return "a zip archive"
