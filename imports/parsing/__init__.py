"""Parsing: a file and its configuration as data, no query, no model.

The readers (``readers/``: bytes to a ``Table``), the configuration (``config*.py``), the one
description of the columns (``fields.py``), the header (``columns.py``), the cells and rows
(``date_order.py``, ``cells.py``, ``rows.py``, ``formulas.py``), a header's own names
(``mapping.py``), a job's fixes applied on read (``fixes.py``), a file's text as a job stores
it (``storable.py``), and the words and outcomes every layer uses (``messages.py``,
``results.py``). The lowest layer but the settings.
"""
