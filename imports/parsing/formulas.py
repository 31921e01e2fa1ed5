"""Cells that a spreadsheet would run as formulas, and how an export keeps them text.

A value beginning with ``=``, ``+``, ``-`` or ``@`` is a formula to a spreadsheet. The export
writes it so that it stays text, and the importer reads it back as the original value:

- CSV (``quote_csv``): one leading apostrophe ``'``, the OWASP-recommended prefix, before a
  value that begins with one of those characters, or with apostrophes followed by one of them.
- XLSX/ODS: every text is a string cell (never a formula); only a value that already looks
  quoted (apostrophes, then one of those characters) gets one more apostrophe
  (``quote_sheet``).
- Import (``unquote``): a text made of one or more apostrophes followed by one of those
  characters loses its first apostrophe. No other text is changed: ``O'Brien``, ``'quoted'``
  or ``'5`` are read as they are.

So ``unquote(quote_csv(v)) == unquote(quote_sheet(v)) == v`` for every value ``v``.
"""

import re

FORMULA_STARTS = ("=", "+", "-", "@")
_QUOTED = re.compile(r"'+[=+\-@]")  # what an export may have quoted
_FORMULA = re.compile(r"'*[=+\-@]")  # what a CSV export quotes


def quote_csv(text: str) -> str:
    """A CSV cell's text that a spreadsheet shows as text, never runs."""
    return "'" + text if _FORMULA.match(text) else text


def quote_sheet(text: str) -> str:
    """A string cell's text (a string cell is never a formula): only quoted-looking values
    get one more apostrophe, so that ``unquote`` gives them back whole."""
    return "'" + text if _QUOTED.match(text) else text


def unquote(text: str) -> str:
    """A cell's text as it was before an export quoted it."""
    if text[:1] == "'" and _QUOTED.match(text):
        return text[1:]
    return text


def may_be_quoted(texts: str) -> bool:
    """Whether some cell among ``texts`` (joined) may have been quoted: a cheap test that the
    fast path uses to hand such rows to the checking path."""
    return "'" in texts and _QUOTED.search(texts) is not None
