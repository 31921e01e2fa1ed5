"""The number of queries of an import does not depend on the number of rows (within a batch).

These tests fail when per-row queries (lookups, savepoints, writes) come back.
"""

import datetime as dt
import math
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports.conf import import_settings
from imports.database.journal_models import JournalRoom
from imports.database.writer import WRITE_BATCH
from imports.engine import ImportOptions, run_import
from tests.conftest import csv_bytes, make_row
from training.models import Intervention, Room, Session, Teacher, Training

TRAININGS = 20
SESSIONS_PER_TRAINING = 10
TEACHERS = 100
ROOMS = 30
START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def references(demo):
    """The demo data plus generated trainings, sessions, teachers and rooms."""
    trainings = Training.objects.bulk_create(
        Training(guid=f"GT-{t}", path_code=f"GP-{t}", title=f"Generated {t}")
        for t in range(TRAININGS)
    )
    Session.objects.bulk_create(
        Session(guid=f"GS-{t}-{s}", training=training, title=f"Term {s}")
        for t, training in enumerate(trainings)
        for s in range(SESSIONS_PER_TRAINING)
    )
    Teacher.objects.bulk_create(Teacher(login=f"teacher{i}") for i in range(TEACHERS))
    Room.objects.bulk_create(
        Room(guid=f"GR-{i}", label=f"Room {i}", capacity=10) for i in range(ROOMS)
    )
    # An active intervention that no file gives, in the time span of both files, for a
    # teacher of both: the schedule check reads it (its second query) for the small file and
    # for the large one alike.
    Intervention.objects.create(
        guid="OTHER",
        session=Session.objects.get(guid="GS-0-0"),
        start=START + dt.timedelta(hours=5),
        duration_minutes=60,
        room=Room.objects.create(guid="GR-OTHER", label="Other room"),
        teacher=Teacher.objects.get(login="teacher1"),
        status="A",
    )


def _cells(prefix: str, i: int) -> dict[str, str]:
    """Row ``i`` of a generated file; every fourth row names its session by title."""
    training, session = i % TRAININGS, i % SESSIONS_PER_TRAINING
    by_title = i % 4 == 3
    return make_row(
        interventionGuid=f"{prefix}-{i}",
        trainingGuid="" if by_title else f"GT-{training}",
        trainingPathCode=f"GP-{training}" if by_title else "",
        sessionGuid="" if by_title else f"GS-{training}-{session}",
        sessionTitle=f"Term {session}" if by_title else "",
        interventionDate=(START + dt.timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%S"),
        interventionDuration=str(1 + i % 7),
        # Mostly existing rooms, some new ones, some relabelled ones.
        roomGuid=f"GR-{i % ROOMS}" if i % 10 else f"NEW-{prefix}-{i}",
        roomLabel=f"Room {i % ROOMS}" if i % 20 else f"Room {i % ROOMS} (renamed {prefix})",
        teacherLogin=f"teacher{i % TEACHERS}",
        interventionStatus="C" if i % 5 == 0 else "A",
    )


def _existing(prefix: str, rows: list[dict[str, str]]) -> None:
    """Store two thirds of the rows: one third as in the file, one third differently."""
    sessions = dict(Session.objects.values_list("guid", "id"))
    teachers = dict(Teacher.objects.values_list("login", "id"))
    rooms = dict(Room.objects.values_list("guid", "id"))
    stored = []
    for i, row in enumerate(rows):
        if i % 3 == 0:
            continue  # new
        changed = i % 3 == 1
        stored.append(
            Intervention(
                guid=row["interventionGuid"],
                session_id=sessions[f"GS-{i % TRAININGS}-{i % SESSIONS_PER_TRAINING}"],
                start=START + dt.timedelta(hours=i),
                duration_minutes=(1 + i % 7 + (1 if changed else 0)) * 60,
                room_id=rooms.get(row["roomGuid"], rooms["GR-1"]),
                teacher_id=teachers[f"teacher{i % TEACHERS}"],
                status="C" if i % 5 == 0 else "A",
            )
        )
    Intervention.objects.bulk_create(stored)


def _file(prefix: str, count: int, *, existing: bool = True) -> bytes:
    rows = [_cells(prefix, i) for i in range(count)]
    if existing:
        _existing(prefix, rows)
    return csv_bytes(rows)


def _queries(data: bytes, dry_run: bool) -> tuple[list[str], object]:
    with CaptureQueriesContext(connection) as captured:
        result = run_import(data, "file.csv", options=ImportOptions(dry_run=dry_run))
    assert result.usable, result.file_errors
    return [q["sql"] for q in captured.captured_queries], result


@pytest.mark.django_db
@pytest.mark.parametrize("dry_run", [False, True], ids=["real", "dry-run"])
def test_query_count_does_not_grow_with_rows(references, settings, dry_run):
    settings.INTERVENTION_IMPORT = {"BATCH_SIZE": 2_000}
    small, small_result = _queries(_file("S", 10), dry_run)
    large, large_result = _queries(_file("L", 1_000), dry_run)
    for result in (small_result, large_result):
        assert result.error_rows == 0, result.errors[:3]
        assert result.new and result.updated and result.unchanged
    assert _without_inserts(large) == _without_inserts(small)
    assert _inserts(large) <= _write_statements(large_result)


def _without_inserts(queries: list[str]) -> list[str]:
    """Every statement but the bulk INSERTs, reduced to its verb and table."""
    shapes = (re.sub(r'"s\w+_x\d+"', "<savepoint>", sql) for sql in queries)
    return [" ".join(sql.split()[:4]) for sql in shapes if not sql.startswith("INSERT")]


def _inserts(queries: list[str]) -> int:
    return sum(sql.startswith("INSERT") for sql in queries)


def _write_statements(result) -> int:
    """The INSERT statements that the backend's parameter limit imposes, at least one per table
    (the undo journal's included).

    SQLite allows 999 parameters per statement: 111 interventions or 333 rooms per INSERT.
    """
    written, rooms = result.new + result.updated, result.rooms_created + result.rooms_updated
    batches = math.ceil(result.total_rows / import_settings.BATCH_SIZE)
    needed = 1 + batches  # the undo journal: itself and one row per batch written
    for model, count in (
        (Intervention, written),
        (Room, rooms),
        (JournalRoom, rooms),  # the undo journal's rooms
    ):
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        per_statement = min(WRITE_BATCH, connection.ops.bulk_batch_size(fields, [None] * count))
        needed += math.ceil(count / per_statement)
    return needed


@pytest.mark.django_db
@pytest.mark.parametrize("dry_run", [False, True], ids=["real", "dry-run"])
def test_query_count_grows_by_batches_only(references, settings, dry_run):
    settings.INTERVENTION_IMPORT = {"BATCH_SIZE": 100}
    one_batch, _ = _queries(_file("O", 10), dry_run)  # one batch with few rows
    ten_batches, _ = _queries(_file("T", 1_000), dry_run)
    assert len(ten_batches) <= 10 * len(one_batch)


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, 1_000])
def test_dry_run_issues_no_more_queries_than_the_real_run(references, count):
    data = _file("D", count)
    dry, _ = _queries(data, dry_run=True)
    real, _ = _queries(data, dry_run=False)
    assert len(dry) <= len(real)
    assert not [sql for sql in dry if sql.startswith(("INSERT", "UPDATE", "DELETE"))]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, 1_000])
def test_unchanged_reimport_writes_nothing(references, count):
    data = _file("U", count, existing=False)
    first, first_result = _queries(data, dry_run=False)
    assert first_result.new == count
    again, result = _queries(data, dry_run=False)
    assert (result.unchanged, result.new, result.updated) == (count, 0, 0)
    assert (result.rooms_created, result.rooms_updated) == (0, 0)
    assert not [sql for sql in again if sql.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(again) < len(first)
