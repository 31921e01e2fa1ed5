"""Text from a file made storable on both databases: the one place every stored copy of a
file's text goes through (a job's rows and errors, its header and rooms, fixes, saved
mappings, and so the error report and the history that read them back).

A cell may hold what no database column takes: a NUL (PostgreSQL's text and jsonb refuse
it), a lone surrogate (neither database's driver can encode it as UTF-8), or more characters
than a ``CharField`` of the job holds. Such a cell is its row's error (``cells.py``), so none
of it reaches the data; but the job keeps the row as it was, and its error's value, to show
them. Here they become what can be stored and still be read by a person:

- NUL is shown as ``␀`` (U+2400 SYMBOL FOR NULL): one visible character for one invisible,
  which no file's literal text ``\\x00`` can be taken for;
- a lone surrogate is shown as ``�`` (U+FFFD REPLACEMENT CHARACTER), as a decoder shows
  bytes it cannot read;
- a value longer than its column is cut to fit and ends with ``…`` (the mark that it was
  cut; ``messages.shorten`` marks the values quoted in a message the same way).

Only the job's copy changes, never the data: the engine never stores what this makes (it
refuses a row whose cell holds ``NOT_STORABLE``, ``cells.py``).
"""

import re
from collections.abc import Iterable
from typing import Any

NUL_SHOWN = "\u2400"
SURROGATE_SHOWN = "\ufffd"
CUT_MARK = "…"
NOT_STORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(text: str, *, limit: int | None = None) -> str:
    """``text`` as it can be stored: NUL and lone surrogates shown, cut to ``limit``
    characters (the last one then ``…``) when it is longer."""
    if not text.isascii() or "\x00" in text:
        text = NOT_STORABLE.sub(_shown, text)
    if limit is not None and len(text) > limit:
        return text[: limit - len(CUT_MARK)] + CUT_MARK
    return text


def storable_texts(texts: Iterable[Any]) -> list[Any]:
    """Each text of ``texts`` storable (other values, such as numbers, kept as they are)."""
    return [storable_text(text) if isinstance(text, str) else text for text in texts]


def storable_json(value: Any) -> Any:
    """A JSON-ready value (lists, dicts, texts, numbers) with every text in it storable:
    ``json.dumps`` writes a NUL as ``\\u0000`` and a surrogate as ``\\ud800``, which
    PostgreSQL's jsonb refuses."""
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, list | tuple):
        return [storable_json(item) for item in value]
    if isinstance(value, dict):
        return {storable_text(str(key)): storable_json(item) for key, item in value.items()}
    return value


def _shown(match: re.Match[str]) -> str:
    return NUL_SHOWN if match.group() == "\x00" else SURROGATE_SHOWN
