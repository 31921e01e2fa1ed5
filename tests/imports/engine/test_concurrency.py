"""Two imports of the same GUIDs at the same time (PostgreSQL, real threads and transactions).

Both files create the same new rooms and interventions with different values. Whatever the
interleaving, no database error reaches the caller, nothing is lost, and the final state is the
one of a serial order: every row comes from the same file, the one that committed last.

The threads are held at a barrier after their first intervention write, so both transactions
hold row locks at once; in the reversed order case each then waits for the other (a deadlock
that PostgreSQL breaks by failing one of them: the engine must retry that one).
"""

import re
import threading
from contextlib import contextmanager, suppress

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection

from imports import jobs
from imports.engine import ImportOptions, run_import
from imports.parsing.results import ImportResult
from tests.conftest import csv_bytes, make_row
from training.models import Intervention, Room

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent writers need PostgreSQL (SQLite serialises writers)",
    ),
    pytest.mark.django_db(transaction=True),
]

COUNT = 6
WAIT = 3  # seconds: a thread never waits longer than this at the barrier
VERSIONS = {
    # name: (duration, status, teacher, label prefix)
    "first": ("2", "A", "jdoe", "First"),
    "second": ("4", "C", "asmith", "Second"),
}
INSERT_INTERVENTION = re.compile(r"insert\s+into\s+\"?training_intervention\b", re.IGNORECASE)


def file_of(version: str, reverse: bool) -> bytes:
    duration, status, teacher, prefix = VERSIONS[version]
    rows = [
        make_row(
            interventionGuid=f"IV-C-{n}",
            roomGuid=f"R-C-{n}",
            roomLabel=f"{prefix} {n}",
            roomCapacity=str(10 + n),
            interventionDuration=duration,
            interventionStatus=status,
            teacherLogin=teacher,
        )
        for n in range(COUNT)
    ]
    return csv_bytes(rows[::-1] if reverse else rows)


def expected_state(version: str) -> dict[str, tuple]:
    duration, status, teacher, prefix = VERSIONS[version]
    return {
        f"IV-C-{n}": (int(duration) * 60, status, teacher, f"R-C-{n}", f"{prefix} {n}")
        for n in range(COUNT)
    }


def final_state() -> dict[str, tuple]:
    rows = Intervention.objects.filter(guid__startswith="IV-C-").values_list(
        "guid", "duration_minutes", "status", "teacher__login", "room__guid", "room__label"
    )
    return {guid: tuple(values) for guid, *values in rows}


@contextmanager
def held_after_first_write(barrier: threading.Barrier, failures: list[str]):
    """Wait at ``barrier`` once, right after this thread's first intervention write.

    The SQLSTATE of every statement that failed is added to ``failures``.
    """
    held = []

    def wrapper(execute, sql, params, many, context):
        try:
            result = execute(sql, params, many, context)
        except DatabaseError as exc:
            failures.append(getattr(exc.__cause__, "sqlstate", None) or "?")
            raise
        if not held and INSERT_INTERVENTION.search(sql):
            held.append(sql)
            with suppress(threading.BrokenBarrierError):  # the other one is blocked: go on
                barrier.wait(timeout=WAIT)
        return result

    with connection.execute_wrapper(wrapper):
        yield held


def run_in_threads(targets: dict[str, object]) -> dict[str, object]:
    """Run each callable in its own thread (own connection); return results or exceptions."""
    outcomes: dict[str, object] = {}

    def run(name, target):
        try:
            outcomes[name] = target()
        except Exception as exc:  # the test reports whatever escaped
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in targets.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def import_with_engine(data: bytes, version: str) -> ImportResult:
    return run_import(data, f"{version}.csv", None, ImportOptions())


def import_with_jobs(data: bytes, version: str) -> ImportResult:
    """The admin's door: preview, then confirm (the engine runs in a savepoint there)."""
    user = User.objects.get(username=version)
    job = jobs.create_job(SimpleUploadedFile(f"{version}.csv", data), user)
    jobs.preview_job(job)
    confirmation = jobs.confirm_job(job, user)
    assert confirmation.verdict in (jobs.Verdict.IMPORTED, jobs.Verdict.CHANGED)
    if confirmation.verdict is jobs.Verdict.CHANGED:  # the other import changed the outcome
        confirmation = jobs.confirm_job(job, user)
    return confirmation.result


@pytest.mark.parametrize("door", [import_with_engine, import_with_jobs], ids=["engine", "jobs"])
@pytest.mark.parametrize("reverse_second", [False, True], ids=["same-order", "reversed-order"])
def test_concurrent_imports_of_the_same_guids_end_in_a_serial_state(
    demo, settings, tmp_path, reverse_second, door
):
    settings.INTERVENTION_IMPORT = {"BATCH_SIZE": 2}
    settings.MEDIA_ROOT = tmp_path / "media"
    barrier = threading.Barrier(2)
    files = {"first": file_of("first", False), "second": file_of("second", reverse_second)}
    for version in files:
        User.objects.create_user(version, is_staff=True)
    rooms_before = Room.objects.count()
    failures: list[str] = []

    def importer(version):
        def target():
            with held_after_first_write(barrier, failures):
                return door(files[version], version)

        return target

    outcomes = run_in_threads({version: importer(version) for version in files})

    if reverse_second:  # each waited for the other: PostgreSQL failed one, which ran again
        assert "40P01" in failures
    for version, outcome in outcomes.items():
        assert isinstance(outcome, ImportResult), (version, outcome)
        assert outcome.file_errors == [], (version, [e.message for e in outcome.file_errors])
        assert (outcome.committed, outcome.error_rows) == (True, 0), version
        assert outcome.new + outcome.updated + outcome.unchanged == COUNT
    state = final_state()
    assert state in (expected_state("first"), expected_state("second"))
    assert Room.objects.count() == rooms_before + COUNT
    assert Intervention.objects.filter(guid__startswith="IV-C-").count() == COUNT


def test_control_one_import_alone_writes_its_version(demo, settings):
    """Without a competitor the same file gives its own values: the check above is not void."""
    settings.INTERVENTION_IMPORT = {"BATCH_SIZE": 2}
    result = run_import(file_of("second", True), "second.csv", None, ImportOptions())
    assert (result.committed, result.new) == (True, COUNT)
    assert final_state() == expected_state("second")


def test_two_confirms_of_one_job_at_once_import_it_once(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    uploader = User.objects.create_user("uploader", is_staff=True)
    job = jobs.create_job(SimpleUploadedFile("f.csv", file_of("first", False)), uploader)
    jobs.preview_job(job)
    barrier = threading.Barrier(2)
    reviewers = {name: User.objects.create_user(name, is_staff=True) for name in ("ann", "bob")}

    def confirmer(user):
        def target():
            barrier.wait(timeout=WAIT)
            return jobs.confirm_job(job, user)

        return target

    outcomes = run_in_threads({name: confirmer(user) for name, user in reviewers.items()})

    verdicts = sorted(outcome.verdict for outcome in outcomes.values())
    assert verdicts == sorted([jobs.Verdict.IMPORTED, jobs.Verdict.NOT_OPEN])
    job.refresh_from_db()
    winner = next(n for n, o in outcomes.items() if o.verdict is jobs.Verdict.IMPORTED)
    assert (job.status, job.confirmed_by.username, job.new) == ("imported", winner, COUNT)
    assert final_state() == expected_state("first")
