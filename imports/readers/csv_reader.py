"""CSV: decode (UTF-8 with or without BOM by default), detect the delimiter, keep line numbers."""

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterator
from typing import Any

from .. import messages
from ..conf import import_settings
from .problems import FileProblem

CANDIDATE_DELIMITERS = (";", ",", "\t", "|")
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def csv_rows(
    data: bytes, *, encoding: str | None, delimiter: str | None
) -> Callable[[], Iterator[tuple[int, list[Any]]]]:
    text = decode(data, encoding)
    refuse_nul(text, encoding)
    chosen = delimiter or sniff_delimiter(text)
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


def decode(data: bytes, encoding: str | None) -> str:
    if encoding is None:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        else:
            encoding = "utf-8-sig"
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
        raise FileProblem(f"Unknown encoding {encoding}.") from None


def refuse_nul(text: str, encoding: str | None) -> None:
    """A NUL character means a binary file or UTF-16 read as something else: refuse it."""
    index = text.find("\x00")
    if index < 0:
        return
    lines = LINE_BREAK.split(text[:index])
    raise FileProblem(
        messages.FILE_NUL_CHARACTER.format(encoding=encoding or "UTF-8"),
        line=len(lines),
        column=str(len(lines[-1]) + 1),
    )


def sniff_delimiter(text: str) -> str:
    """The candidate seen most often on the first non-blank line (outside quotes)."""
    for line in text.splitlines():
        if line.strip():
            unquoted = line.split('"')[::2]
            counts = {d: sum(part.count(d) for part in unquoted) for d in CANDIDATE_DELIMITERS}
            best = max(CANDIDATE_DELIMITERS, key=lambda d: counts[d])
            return best if counts[best] else ";"
    return ";"
