"""The orchestrator: one import run, above parsing, planning and the database layer it calls.

``run_import(data, name, config, options)`` and ``import_table(table, …)`` (``run.py``) are
the one entry point of every door, one transaction each; ``facts.py`` (the file-wide facts
without the rows wrong on their own) and ``schedule.py`` (the run's schedule conflicts) are
the two steps that read the database between planning and writing; ``heap.py`` keeps the
garbage collector off the run's objects. ``from imports.engine import run_import,
ImportOptions`` is the public name (README).
"""

from .run import ImportOptions, Progress, RowSink, import_table, run_import

__all__ = ["ImportOptions", "Progress", "RowSink", "import_table", "run_import"]
