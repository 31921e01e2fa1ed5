"""Two imports of overlapping files at the same moment count what each one did (PostgreSQL).

File A holds the rows 0-9, file B the rows 5-14 with other values. The overlap is forced: A
writes its rows, then holds its commit (in its progress callback, after its last batch) until
B waits on A's rows (B's backend waits on a lock, seen in ``pg_locks``); then A commits and B
goes on. A therefore commits first, and the serial order to compare with is A then B:

- new rows (none of them stored before): A 10 new; B 5 new and 5 updated (rows 5-9);
- existing rows (5-9 stored before with a third value): A 5 new and 5 updated; B 5 new and
  5 updated, the updated ones changed from A's values, not from those B's preview read.

Each row has its own room, labelled by its file: the rooms count the same way.

Before, B counted (and its job stored) the rows A inserted meanwhile as new: 10 new. Through
the jobs door, B's confirm finds that its outcome differs from its preview: it is refused
with a new preview ("The data changed since the preview…"), which a second confirm imports
with the serial order's counts; through the engine (the command), B's counts are those of the
serial order at once, with the warning ``written_meanwhile``.
"""

import threading
import time

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from imports import jobs
from imports.engine import ImportOptions, run_import
from imports.jobs.verdicts import VERDICT_MESSAGES, verdict_text
from imports.parsing.messages import WRITTEN_MEANWHILE
from imports.parsing.results import ImportResult
from tests.conftest import csv_bytes, make_row
from tests.imports.background_support import slot
from tests.imports.engine.test_concurrency import run_in_threads
from training.models import Intervention, Room

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent writers need PostgreSQL (SQLite serialises writers)",
    ),
    pytest.mark.django_db(transaction=True),
]

WAIT = 20  # seconds: the longest A holds its commit waiting for B to wait
DURATION = {"A": 2, "B": 4, "before": 1}
ROWS = {"A": range(0, 10), "B": range(5, 15), "before": range(5, 10)}


def file_of(name: str) -> bytes:
    return csv_bytes(
        [
            make_row(
                interventionGuid=f"IV-O-{n}",
                interventionDate=slot(n),
                roomGuid=f"R-O-{n}",
                roomLabel=f"{name} {n}",
                interventionDuration=str(DURATION[name]),
            )
            for n in ROWS[name]
        ]
    )


def durations() -> dict[int, int]:
    rows = Intervention.objects.filter(guid__startswith="IV-O-")
    found = rows.values_list("guid", "duration_minutes")
    return {int(guid[5:]): minutes // 60 for guid, minutes in found}


def serial_state(existing: bool, names: tuple[str, ...] = ("A", "B")) -> dict[int, int]:
    """The durations stored after the imports ``names``, one after the other."""
    state = {n: DURATION["before"] for n in ROWS["before"]} if existing else {}
    for name in names:
        state.update({n: DURATION[name] for n in ROWS[name]})
    return state


class Overlap:
    """A's progress callback holds A's commit until B waits on a lock."""

    def __init__(self) -> None:
        self.a_wrote = threading.Event()
        self.b_pid: int | None = None
        self.b_waited = False

    def hold_a(self, done: int, total: int) -> None:
        if done < total:
            return
        self.a_wrote.set()
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline and not self.b_waited:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted", [self.b_pid]
                )
                self.b_waited = cursor.fetchone() is not None
            time.sleep(0.05)

    def start_b(self) -> None:
        connection.ensure_connection()
        self.b_pid = connection.connection.info.backend_pid
        assert self.a_wrote.wait(WAIT)


def counts(result: ImportResult) -> tuple[int, int, int]:
    return (result.new, result.updated, result.unchanged)


def rooms(result: ImportResult) -> tuple[int, int]:
    return (result.rooms_created, result.rooms_updated)


def room_labels() -> dict[int, str]:
    rows = Room.objects.filter(guid__startswith="R-O-").values_list("guid", "label")
    return {int(guid[4:]): label for guid, label in rows}


@pytest.fixture
def before(demo, settings, tmp_path, request):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INTERVENTION_IMPORT = {"BATCH_SIZE": 100, "CONFLICTS": "ignore"}
    if request.param:
        run_import(file_of("before"), "before.csv", None, ImportOptions())
    return request.param


SCENARIOS = pytest.mark.parametrize("before", [False, True], ids=["new", "existing"], indirect=True)


@SCENARIOS
def test_engine_counts_what_each_import_did(before):
    overlap = Overlap()

    def a():
        return run_import(file_of("A"), "A.csv", None, ImportOptions(), progress=overlap.hold_a)

    def b():
        overlap.start_b()
        return run_import(file_of("B"), "B.csv", None, ImportOptions())

    outcomes = run_in_threads({"A": a, "B": b})

    assert overlap.b_waited  # the two transactions did overlap
    result_a, result_b = outcomes["A"], outcomes["B"]
    assert isinstance(result_a, ImportResult) and isinstance(result_b, ImportResult), outcomes
    assert (result_a.committed, result_b.committed) == (True, True)
    assert counts(result_a) == ((5, 5, 0) if before else (10, 0, 0))
    assert counts(result_b) == (5, 5, 0)  # the serial order A then B
    assert rooms(result_a) == ((5, 5) if before else (10, 0))
    assert rooms(result_b) == (5, 5)
    assert durations() == serial_state(before)
    assert room_labels() == {n: f"B {n}" if n in ROWS["B"] else f"A {n}" for n in range(15)}
    meanwhile = [w for w in result_b.warnings if w.code == WRITTEN_MEANWHILE.code]
    if before:  # B waited for A's locked rows before reading them: it planned right
        assert meanwhile == []
    else:
        assert [w.message for w in meanwhile] == [WRITTEN_MEANWHILE.format(count=5)]


@SCENARIOS
def test_confirms_count_what_each_import_did(before):
    users = {name: User.objects.create_user(name, is_staff=True) for name in ("A", "B")}
    job = {
        name: jobs.create_job(SimpleUploadedFile(f"{name}.csv", file_of(name)), users[name])
        for name in ("A", "B")
    }
    for name in ("A", "B"):
        jobs.preview_job(job[name])
    assert (job["B"].new, job["B"].updated) == ((5, 5) if before else (10, 0))
    overlap = Overlap()

    def a():
        return jobs.confirm_job(job["A"], users["B"], progress=overlap.hold_a)

    def b():
        overlap.start_b()
        return jobs.confirm_job(job["B"], users["A"])

    outcomes = run_in_threads({"A": a, "B": b})

    assert overlap.b_waited
    done_a, done_b = outcomes["A"], outcomes["B"]
    assert isinstance(done_a, jobs.Confirmation) and isinstance(done_b, jobs.Confirmation)
    assert done_a.verdict is jobs.Verdict.IMPORTED
    assert counts(done_a.result) == ((5, 5, 0) if before else (10, 0, 0))
    # B's preview no longer says what B would do: refused, with a new preview.
    assert done_b.verdict is jobs.Verdict.CHANGED
    job["B"].refresh_from_db()
    assert (job["B"].status, job["B"].new, job["B"].updated) == ("previewed", 5, 5)
    assert str(verdict_text(done_b)) == VERDICT_MESSAGES[jobs.Verdict.CHANGED].format(
        counts="5 new, 5 updated, 0 unchanged, 0 rows with errors"
    )
    assert durations() == serial_state(before, ("A",))  # B wrote nothing

    again = jobs.confirm_job(job["B"], users["A"])  # the user confirms the new preview

    assert again.verdict is jobs.Verdict.IMPORTED
    assert counts(again.result) == (5, 5, 0)  # the serial order A then B
    job["B"].refresh_from_db()
    assert (job["B"].status, job["B"].new, job["B"].updated) == ("imported", 5, 5)
    assert durations() == serial_state(before)
