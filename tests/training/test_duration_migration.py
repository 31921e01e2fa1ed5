"""Durations to the minute: the migrations keep every stored value (hours x 60), in the
interventions, in the undo journals and in the previews' rows, and go back while every
duration is a whole number of hours."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("training", "0002_intervention_guid_constraint"),
    ("imports", "0009_undo_mappings_fixes"),
]
AFTER = [
    ("training", "0003_intervention_duration_minutes"),
    ("imports", "0010_durations_in_minutes"),
]
START = dt.datetime(2027, 3, 1, 9, tzinfo=dt.UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_hours(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    migrate(executor_leaf_nodes())


def executor_leaf_nodes():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def stored_in_hours(apps):
    Training, Session = (
        apps.get_model("training", "Training"),
        apps.get_model("training", "Session"),
    )
    Room, Teacher = apps.get_model("training", "Room"), apps.get_model("training", "Teacher")
    Intervention = apps.get_model("training", "Intervention")
    session = Session.objects.create(guid="S", training=Training.objects.create(guid="T"))
    room, teacher = Room.objects.create(guid="R", label="R"), Teacher.objects.create(login="t")
    for guid, hours in (("IV-1", 3), ("IV-2", 1), ("IV-3", 8)):
        Intervention.objects.create(
            guid=guid,
            session=session,
            start=START,
            duration_hours=hours,
            room=room,
            teacher=teacher,
        )
    Journal, JournalBatch = (
        apps.get_model("imports", "Journal"),
        apps.get_model("imports", "JournalBatch"),
    )
    before = [session.pk, START.isoformat(), 2, room.pk, teacher.pk, "A", START.isoformat()]
    JournalBatch.objects.create(
        journal=Journal.objects.create(),
        written_at=START,
        created=["IV-9"],
        updated=[["IV-1", *before]],
    )
    ImportJob, ImportJobRow = (
        apps.get_model("imports", "ImportJob"),
        apps.get_model("imports", "ImportJobRow"),
    )
    job = ImportJob.objects.create(file_name="x.csv")
    ImportJobRow.objects.create(
        job=job, line=2, outcome="new", changes=["S", START.isoformat(), 4, "R", "t", "A"]
    )
    ImportJobRow.objects.create(
        job=job,
        line=3,
        outcome="updated",
        changes=[["duration_hours", "3", "5"], ["status", "A", "C"]],
    )


def test_every_stored_duration_is_kept_in_minutes_and_goes_back(at_hours):
    stored_in_hours(at_hours)
    apps = migrate(AFTER)
    Intervention = apps.get_model("training", "Intervention")
    assert dict(Intervention.objects.values_list("guid", "duration_minutes")) == {
        "IV-1": 180,
        "IV-2": 60,
        "IV-3": 480,
    }
    batch = apps.get_model("imports", "JournalBatch").objects.get()
    assert batch.updated[0][3] == 120 and batch.created == ["IV-9"]
    rows = apps.get_model("imports", "ImportJobRow").objects.order_by("line")
    assert [row.changes for row in rows] == [
        ["S", START.isoformat(), 240, "R", "t", "A"],
        [["duration_minutes", "180", "300"], ["status", "A", "C"]],
    ]
    apps = migrate(BEFORE)
    Intervention = apps.get_model("training", "Intervention")
    assert dict(Intervention.objects.values_list("guid", "duration_hours")) == {
        "IV-1": 3,
        "IV-2": 1,
        "IV-3": 8,
    }
    assert apps.get_model("imports", "JournalBatch").objects.get().updated[0][3] == 2
    rows = apps.get_model("imports", "ImportJobRow").objects.order_by("line")
    assert rows[1].changes[0] == ["duration_hours", "3", "5"]


def test_going_back_refuses_a_duration_that_is_not_whole_hours(at_hours):
    stored_in_hours(at_hours)
    apps = migrate(AFTER)
    apps.get_model("training", "Intervention").objects.filter(guid="IV-2").update(
        duration_minutes=90
    )
    with pytest.raises(RuntimeError, match="not whole hours .first: IV-2, 90 minutes"):
        migrate(BEFORE)
