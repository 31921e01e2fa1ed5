"""Checks on an XLSX/ODS zip archive made before any XML parser sees it.

* the uncompressed size declared by the archive is capped (zip bomb); Python's ``zipfile``
  never inflates a member past its declared size, so the declared total is a true bound;
* no XML part may declare a DOCTYPE or entities (billion laughs, external entities). The
  parsers underneath are safe already (openpyxl through lxml ``resolve_entities=False`` and
  defusedxml, odfpy through ``defusedxml.sax``); refusing here gives one clear message.
"""

import codecs
import io
import zipfile
import zlib

from imports.conf import import_settings
from imports.parsing import messages

from .problems import FileProblem

XML_SUFFIXES = (".xml", ".rels")
CHUNK = 64 * 1024
MAX_PROLOG_CHARS = 1024 * 1024
DECLARED = "declares a DOCTYPE or entities, which are not allowed"
# What a damaged or unusual archive raises while it is opened or read.
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    NotImplementedError,  # a compression method zipfile does not know
    RuntimeError,  # an encrypted member
    ValueError,
    OSError,
    EOFError,
)
# How an XML document starts, per the XML specification's appendix F.
ENCODINGS_BY_START = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
)


def check_archive(data: bytes, file_format: str) -> None:
    """Raise ``FileProblem`` unless ``data`` is a zip within the size limit with plain XML."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_size(members, file_format)
            for member in members:
                reason = _prolog_problem(archive, member)
                if reason:
                    raise _problem(file_format, f"its part {member.filename} {reason}.")
    except ZIP_ERRORS:
        raise _problem(file_format, "it is not a valid zip archive.") from None


def _problem(file_format: str, reason: str) -> FileProblem:
    return FileProblem(messages.FILE_NOT_READABLE.format(format=file_format, reason=reason))


def _check_size(members: list[zipfile.ZipInfo], file_format: str) -> None:
    total = sum(info.file_size for info in members)
    limit = import_settings.MAX_UNCOMPRESSED_BYTES
    if total > limit:
        raise _problem(file_format, f"it expands to {total} bytes, over the limit of {limit}.")


def _prolog_problem(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> str | None:
    """Read an XML member up to its first element; say what is wrong with its prolog."""
    if not member.filename.lower().endswith(XML_SUFFIXES):
        return None
    with archive.open(member) as stream:
        head = stream.read(CHUNK)
        decoder = codecs.getincrementaldecoder(_encoding(head))(errors="replace")
        text = decoder.decode(head)
        while True:
            text, verdict = _scan_prolog(text)
            if verdict is not None:
                return verdict or None
            if len(text) > MAX_PROLOG_CHARS:
                return "has an XML prolog that is too long"
            chunk = stream.read(CHUNK)
            if not chunk:
                return None
            text += decoder.decode(chunk)


def _scan_prolog(text: str) -> tuple[str, str | None]:
    """Skip the prolog's XML declaration, processing instructions and comments.

    Return the unread text and a verdict: None (read more), "" (the first element is reached
    with no declaration before it) or the problem found.
    """
    while True:
        text = text.lstrip(" \t\r\n\ufeff")
        if len(text) < len("<!--"):
            return text, None
        rest = _skip_markup(text)
        if rest is None:
            return text, None
        if rest is text:
            return text, (DECLARED if text.startswith("<!") else "")
        text = rest


def _skip_markup(text: str) -> str | None:
    """The text after a leading processing instruction or comment; ``text`` itself when it
    starts with neither; None when it is not closed yet."""
    for opening, closing in (("<?", "?>"), ("<!--", "-->")):
        if text.startswith(opening):
            end = text.find(closing, len(opening))
            return None if end < 0 else text[end + len(closing) :]
    return text


def _encoding(start: bytes) -> str:
    for prefix, name in ENCODINGS_BY_START:
        if start.startswith(prefix):
            return name
    return "utf-8"
