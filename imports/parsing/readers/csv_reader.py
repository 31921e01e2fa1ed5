"""CSV: decode (UTF-8 with or without BOM by default), detect the delimiter, keep line numbers."""

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

from imports.conf import import_settings
from imports.parsing import messages

from .problems import FileProblem

CANDIDATE_DELIMITERS = (";", ",", "\t", "|")
LINE_BREAK = re.compile(r"\r\n|\r|\n")
STRAY_NUL_LINES_PER = 10  # more than one line in ten with a NUL: not a text file
UTF16_SAMPLE_BYTES = 65_536
SNIFF_LINES = 20  # the lines the delimiter is sniffed on
SNIFF_CHARS = 65_536


def csv_rows(
    data: bytes,
    *,
    encoding: str | None,
    delimiter: str | None,
    notes: list | None = None,
    found: dict[str, str] | None = None,
) -> Callable[[], Iterator[tuple[int, list[Any]]]]:
    """The rows of a CSV file; ``notes`` receives the file's warnings (the encoding chosen),
    ``found`` the encoding and the delimiter read with (what was found when not chosen)."""
    text = decode(data, encoding, notes, found)
    refuse_nul(data, text, encoding)
    chosen = delimiter or sniff_delimiter(text)
    if found is not None:
        found["delimiter"] = chosen
    csv.field_size_limit(import_settings.MAX_FIELD_CHARS)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=chosen, strict=True)
        last_line = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileProblem(
                    messages.FILE_CSV_ERROR.format(reason=exc), line=last_line + 1
                ) from None
            first_line, last_line = last_line + 1, reader.line_num
            if "".join(cells).strip():  # not a blank line (every cell blank)
                yield first_line, cells

    return rows


def decode(
    data: bytes,
    encoding: str | None,
    notes: list | None = None,
    found: dict[str, str] | None = None,
) -> str:
    """With no encoding: a BOM decides, valid UTF-8 is UTF-8, else Windows-1252 (the
    encoding of Excel's CSV on Windows in Western Europe), said in a warning in ``notes``;
    ``found`` receives the encoding read with."""
    said = found if found is not None else {}
    said["encoding"] = encoding or "UTF-8"
    if encoding is None:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = said["encoding"] = "utf-16"
        else:
            encoding = "utf-8-sig"
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                fallback = _fallback(data)
                if fallback is None:
                    pass  # neither: the UTF-8 error below
                else:
                    if notes is not None:
                        notes.append(messages.FILE_AUTO_ENCODING.format(encoding="Windows-1252"))
                    said["encoding"] = "Windows-1252"
                    return fallback
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        name = "UTF-8" if encoding.replace("-", "").lower().startswith("utf8") else encoding
        raise FileProblem(
            messages.FILE_NOT_DECODABLE.format(encoding=name, byte=data[exc.start]),
            line=line,
            column=str(column),
        ) from None
    except LookupError:
        raise FileProblem(messages.FILE_UNKNOWN_ENCODING.format(encoding=encoding)) from None


def _fallback(data: bytes) -> str | None:
    """``data`` as Windows-1252, None when it has a byte that code page leaves undefined
    or a NUL (not text: the UTF-8 error is the clearer message)."""
    if b"\x00" in data:
        return None
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return None


def refuse_nul(data: bytes, text: str, encoding: str | None) -> None:
    """Refuse a file that NUL characters show is not text: UTF-16 read without its byte order
    mark, or a binary file. A few stray NULs (on at most one line in ten) are left to the cells
    they are in: each is that row's error (an invisible character), the other rows import."""
    count = text.count("\x00")
    if not count:
        return
    expected = encoding or "UTF-8"
    utf16 = _utf16_byte_order(data)
    if utf16 is not None:
        message = messages.FILE_UTF16_WITHOUT_BOM.format(encoding=utf16, expected=expected)
        raise FileProblem(message, line=1)
    lines = LINE_BREAK.split(text)
    lines_with_nul = sum(1 for line in lines if "\x00" in line)
    if lines_with_nul <= max(1, len(lines) // STRAY_NUL_LINES_PER):
        return
    index = text.index("\x00")
    before = LINE_BREAK.split(text[:index])
    raise FileProblem(
        messages.FILE_BINARY.format(expected=expected, count=count),
        line=len(before),
        column=str(len(before[-1]) + 1),
    )


def _utf16_byte_order(data: bytes) -> str | None:
    """UTF-16-LE or UTF-16-BE when NUL bytes are a quarter or more of the bytes and nearly all
    at odd (LE) or even (BE) positions, as in mostly ASCII text saved as UTF-16; else None."""
    sample = data[:UTF16_SAMPLE_BYTES]
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if (odd + even) * 4 < len(sample):
        return None
    if odd >= 9 * even:
        return "UTF-16-LE"
    if even >= 9 * odd:
        return "UTF-16-BE"
    return None


def sniff_delimiter(text: str) -> str:
    """The candidate that gives the most columns consistently: counted on the first non-blank
    line outside quotes, then kept only when the next lines (up to ``SNIFF_LINES``) split
    into as many cells with it. Ties and no candidate at all: ``;`` (the configured default).
    """
    lines = [line for line in text[:SNIFF_CHARS].splitlines() if line.strip()][:SNIFF_LINES]
    if not lines:
        return ";"
    unquoted = lines[0].split('"')[::2]
    counts = {d: sum(part.count(d) for part in unquoted) for d in CANDIDATE_DELIMITERS}
    ranked = sorted(CANDIDATE_DELIMITERS, key=lambda d: -counts[d])  # stable: ";" first
    for candidate in ranked:
        if counts[candidate] and _consistent(lines, candidate, counts[candidate] + 1):
            return candidate
    best = ranked[0]
    return best if counts[best] else ";"


def _consistent(lines: list[str], delimiter: str, width: int) -> bool:
    """Every whole line after the header splits into ``width`` cells (the last sampled line
    may be cut, and a quoted line break may join lines: those are not held against it)."""
    try:
        widths = [len(row) for row in csv.reader(lines[1:-1] or lines[:1], delimiter=delimiter)]
    except csv.Error:
        return False
    return all(w == width for w in widths) if lines[1:-1] else True
