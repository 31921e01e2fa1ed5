"""What a file is, by its leading bytes: kept apart from parsing.

A PDF, a Word or old Excel (OLE2) document, a zip that is not a workbook (a Word document,
a PowerPoint presentation, another zip), an image renamed ``.csv``, or bytes that are no text
at all (control characters that no text file holds) is refused with a message in plain words
before any decoding is tried.
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


# The first bytes looked at for control characters, and how many of them make "not text":
# a text file holds none but tabs, line ends and form feeds; random or binary bytes hold about
# one in nine. A stray one or two in an export is left to the reader (which names its place).
TEXT_SAMPLE = 4096
# NUL apart: UTF-16 text is half NULs (the reader tells it), and NULs in text have their own
# message (``file_binary``, with their place).
CONTROL_BYTES = frozenset(set(range(1, 32)) - {9, 10, 12, 13}) | {127}
MOST_CONTROLS = 0.05


def refuse_wrong_csv(data: bytes) -> None:
    """Raise ``FileProblem`` when ``data``, named as a CSV file, is plainly something else."""
    kind = _kind(data) or _not_text(data)
    if kind is not None:
        raise FileProblem(kind)


def _not_text(data: bytes) -> messages.Message | None:
    sample = data[:TEXT_SAMPLE]
    controls = sum(1 for byte in sample if byte in CONTROL_BYTES)
    if not sample or controls < 8 or controls < MOST_CONTROLS * len(sample):
        return None
    return messages.FILE_NOT_TEXT.format(count=controls, size=len(sample))


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
    if "word/document.xml" in names:
        return "a Word document (docx)"
    if "ppt/presentation.xml" in names:
        return "a PowerPoint presentation (pptx)"
    return "a zip archive"
