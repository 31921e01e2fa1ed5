"""An undo and an import of the same rows at the same time (PostgreSQL, real threads).

The first import created the rows; a second one updates them while the first is undone.
Whichever starts first holds its row locks while the other one starts: the other waits, and
the end is one of the two serial orders, never a mix:

- undo, then import: the undo deleted every row, the import created them again;
- import, then undo: the import updated every row, the undo kept them all (changed since).
"""

import re
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from imports.batch.pipeline import record_job
from imports.engine import ImportOptions, run_import
from imports.jobs.undo import UndoOutcome, undo_import
from imports.parsing.results import ImportResult
from tests.conftest import csv_bytes, make_row
from tests.imports.engine.test_concurrency import pytestmark as concurrency_marks
from tests.imports.engine.test_concurrency import run_in_threads
from training.models import Intervention

# PostgreSQL only, real transactions: as the concurrent imports' tests.
pytestmark = concurrency_marks

COUNT = 6
HOLD = 1.0  # seconds the first one holds its locks, the other one started meanwhile
LOCKING_READ = re.compile(
    r"from\s+\"?training_intervention\"?.*\bfor\s+(no\s+key\s+)?update", re.I | re.S
)


def rows(duration: str) -> bytes:
    return csv_bytes(
        [
            make_row(interventionGuid=f"IV-U-{n}", interventionDuration=duration)
            for n in range(COUNT)
        ]
    )


@contextmanager
def holding_locks(started: threading.Event):
    """After this thread's first locking read of interventions, tell ``started`` and hold
    the locks a moment, so that the other thread's locking read comes while they are held."""
    seen = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not seen and LOCKING_READ.search(sql):
            seen.append(sql)
            started.set()
            time.sleep(HOLD)
        return result

    with connection.execute_wrapper(wrapper):
        yield seen


@pytest.mark.parametrize("first", ["undo", "import"])
def test_an_undo_and_an_import_of_the_same_rows_end_in_a_serial_order(demo, first):
    data = rows("3")
    result = run_import(data, "first.csv")
    job = record_job(Path("first.csv"), data, "0" * 64, result)
    started = threading.Event()
    held: list[str] = []

    def undo():
        if first == "undo":
            with holding_locks(started) as seen:
                outcome = undo_import(job)
            held.extend(seen)
            return outcome
        started.wait(timeout=10)
        return undo_import(job)

    def second_import():
        if first == "import":
            with holding_locks(started) as seen:
                outcome = run_import(rows("5"), "second.csv", options=ImportOptions())
            held.extend(seen)
            return outcome
        started.wait(timeout=10)
        return run_import(rows("5"), "second.csv", options=ImportOptions())

    outcomes = run_in_threads({"undo": undo, "import": second_import})
    undone, imported = outcomes["undo"], outcomes["import"]
    assert held, "the first one never locked the rows: the order was not forced"
    assert isinstance(undone, UndoOutcome), undone
    assert isinstance(imported, ImportResult), imported
    assert imported.committed and not imported.file_errors, imported.file_errors
    counts = undone.counts
    assert counts is not None, undone.message
    if first == "undo":
        assert (counts.deleted, counts.kept, imported.new, imported.updated) == (COUNT, 0, COUNT, 0)
    else:
        assert (counts.deleted, counts.kept, imported.new, imported.updated) == (0, COUNT, 0, COUNT)
    stored = Intervention.objects.filter(guid__startswith="IV-U-")
    assert sorted(stored.values_list("duration_minutes", flat=True)) == [300] * COUNT
