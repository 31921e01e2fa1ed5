"""Schedule conflicts in an import: a teacher or a room booked twice at overlapping times."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.engine import ImportOptions, run_import
from tests.conftest import csv_bytes, make_row
from training.models import Intervention, Room, Session, Teacher

pytestmark = pytest.mark.django_db
PARIS = "Europe/Paris"


def run(rows, **options):
    options.setdefault("time_zone", PARIS)
    return run_import(csv_bytes(rows), "schedule.csv", options=ImportOptions(**options))


def conflicts(result, level="WARNING"):
    problems = result.warnings if level == "WARNING" else result.errors
    return [
        (p.line, p.column, p.conflicts_with, p.conflicts_with_line)
        for p in problems
        if p.code in ("teacher_booked", "room_booked")
    ]


def slot(guid, start, hours="3", **cells):
    return make_row(
        interventionGuid=guid, interventionDate=start, interventionDuration=hours, **cells
    )


def stored(guid, start, hours=3, status="A", teacher="jdoe", room="R-101"):
    Intervention.objects.create(
        guid=guid,
        session=Session.objects.get(guid="SE-1"),
        start=dt.datetime.fromisoformat(start),
        duration_minutes=hours * 60,
        room=Room.objects.get(guid=room),
        teacher=Teacher.objects.get(login=teacher),
        status=status,
    )


OTHER_ROOM = {"roomGuid": "R-102", "roomLabel": "Room 102"}


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (  # overlap: same teacher, same room; both rows, each naming the other
            [slot("A", "2027-03-01T09:00"), slot("B", "2027-03-01T11:00", "2")],
            [
                (2, "teacherLogin", "B", 3),
                (2, "roomGuid", "B", 3),
                (3, "teacherLogin", "A", 2),
                (3, "roomGuid", "A", 2),
            ],
        ),
        ([slot("A", "2027-03-01T09:00"), slot("B", "2027-03-01T12:00")], []),  # back-to-back
        (  # containment, the same teacher in two rooms
            [slot("A", "2027-03-01T08:00", "8"), slot("B", "2027-03-01T10:00", "1", **OTHER_ROOM)],
            [(2, "teacherLogin", "B", 3), (3, "teacherLogin", "A", 2)],
        ),
        (  # two teachers in one room
            [slot("A", "2027-03-01T09:00"), slot("B", "2027-03-01T10:00", teacherLogin="asmith")],
            [(2, "roomGuid", "B", 3), (3, "roomGuid", "A", 2)],
        ),
        (  # a cancelled row never conflicts
            [slot("A", "2027-03-01T09:00"), slot("B", "2027-03-01T10:00", interventionStatus="C")],
            [],
        ),
        (  # a row with an error takes no part
            [slot("A", "2027-03-01T09:00"), slot("B", "2027-03-01T10:00", sessionGuid="SE-404")],
            [],
        ),
    ],
    ids=["overlap", "back-to-back", "containment", "one-room", "cancelled", "row-with-error"],
)
def test_conflicts_inside_the_file(demo, rows, expected):
    result = run(rows)
    assert sorted(conflicts(result)) == sorted(expected)
    assert result.new == len([r for r in rows if r["sessionGuid"] != "SE-404"])  # warn: imported


def test_the_messages_name_the_other_intervention_and_its_local_times(demo):
    result = run([slot("A", "2027-03-01T09:00"), slot("B", "2027-03-01T11:00", "2")])
    messages = [(w.line, w.message, w.level, w.value) for w in result.warnings]
    assert messages == [
        (
            2,
            "Teacher with login jdoe is already booked by intervention B"
            " (2027-03-01 11:00 to 2027-03-01 13:00).",
            "WARNING",
            "jdoe",
        ),
        (
            2,
            "Room with guid R-101 is already booked by intervention B"
            " (2027-03-01 11:00 to 2027-03-01 13:00).",
            "WARNING",
            "R-101",
        ),
        (
            3,
            "Teacher with login jdoe is already booked by intervention A"
            " (2027-03-01 09:00 to 2027-03-01 12:00).",
            "WARNING",
            "jdoe",
        ),
        (
            3,
            "Room with guid R-101 is already booked by intervention A"
            " (2027-03-01 09:00 to 2027-03-01 12:00).",
            "WARNING",
            "R-101",
        ),
    ]


def test_a_conflict_with_the_database_is_reported_once_on_the_row(demo):
    stored("DB-1", "2027-03-01T10:00:00+01:00", room="R-102")
    result = run([slot("A", "2027-03-01T09:00")])
    assert conflicts(result) == [(2, "teacherLogin", "DB-1", None)]
    assert "intervention DB-1 (2027-03-01 10:00 to 2027-03-01 13:00)" in result.warnings[0].message


def test_a_cancelled_intervention_in_the_database_never_conflicts(demo):
    stored("DB-1", "2027-03-01T10:00:00+01:00", status="C")
    assert conflicts(run([slot("A", "2027-03-01T09:00")])) == []


def test_a_row_that_moves_an_intervention_away_no_longer_conflicts(demo):
    stored("DB-1", "2027-03-01T09:00:00+01:00")
    rows = [slot("A", "2027-03-01T09:00"), slot("DB-1", "2027-03-01T14:00")]
    assert conflicts(run(rows)) == []


def test_a_row_that_cancels_an_intervention_frees_its_slot(demo):
    stored("DB-1", "2027-03-01T09:00:00+01:00")
    rows = [slot("A", "2027-03-01T09:00"), slot("DB-1", "2027-03-01T09:00", interventionStatus="C")]
    assert conflicts(run(rows)) == []


def test_an_update_in_place_does_not_conflict_with_its_old_version(demo):
    stored("DB-1", "2027-03-01T09:00:00+01:00")
    result = run([slot("DB-1", "2027-03-01T10:00")])
    assert (result.updated, conflicts(result)) == (1, [])


def test_an_invalid_row_leaves_its_stored_version_in_place(demo):
    stored("DB-1", "2027-03-01T09:00:00+01:00")  # the file's row for it fails: it stays
    rows = [slot("A", "2027-03-01T09:00"), slot("DB-1", "2027-03-01T14:00", sessionGuid="SE-404")]
    assert sorted(conflicts(run(rows))) == [
        (2, "roomGuid", "DB-1", None),
        (2, "teacherLogin", "DB-1", None),
    ]


def test_policy_error_makes_both_rows_errors_and_writes_the_others(demo):
    rows = [
        slot("A", "2027-03-01T09:00"),
        slot("B", "2027-03-01T10:00"),
        slot("C", "2027-03-02T09:00"),
    ]
    result = run(rows, conflicts="error")
    assert (result.new, result.error_rows, result.committed) == (1, 2, True)
    assert {line for line, *_ in conflicts(result, level="ERROR")} == {2, 3}
    assert list(Intervention.objects.values_list("guid", flat=True)) == ["C"]
    assert result.warnings == []


def test_policy_error_in_a_dry_run_counts_the_same(demo):
    rows = [slot("A", "2027-03-01T09:00"), slot("B", "2027-03-01T10:00")]
    result = run(rows, conflicts="error", dry_run=True, keep_rows=True)
    assert (result.new, result.error_rows) == (0, 2)
    assert [row.outcome.value for row in result.rows] == ["error", "error"]
    assert Intervention.objects.count() == 0


def test_policy_ignore_checks_nothing(demo, settings):
    rows = [slot("A", "2027-03-01T09:00"), slot("B", "2027-03-01T10:00")]
    assert conflicts(run(rows, conflicts="ignore")) == []
    settings.INTERVENTION_IMPORT = {"CONFLICTS": "ignore"}
    assert conflicts(run(rows)) == []


def test_an_unknown_policy_is_a_file_problem(demo):
    result = run([slot("A", "2027-03-01T09:00")], conflicts="maybe")
    assert [p.code for p in result.file_errors] == ["unknown_conflict_policy"]


@pytest.mark.parametrize(
    ("first", "hours", "second", "expected"),
    [
        # 2027-03-28: 02:00 -> 03:00 in Paris. 01:30 CET + 2 h = 04:30 CEST
        ("2027-03-28T01:30", "2", "2027-03-28T04:00", "2027-03-28 01:30 to 2027-03-28 04:30"),
        # 2027-10-31: 03:00 -> 02:00. 01:30 CEST + 2 h = 02:30 CET
        ("2027-10-31T01:30", "2", "2027-10-31T02:15+01:00", "2027-10-31 01:30 to 2027-10-31 02:30"),
    ],
    ids=["spring-forward", "fall-back"],
)
def test_durations_count_real_hours_on_daylight_saving_days(demo, first, hours, second, expected):
    result = run([slot("A", first, hours), slot("B", second, "1", **OTHER_ROOM)])
    teacher = [w.message for w in result.warnings if w.line == 3]
    assert teacher == [f"Teacher with login jdoe is already booked by intervention A ({expected})."]


def test_a_row_lists_five_conflicts_then_counts_the_rest(demo):
    rows = [slot(f"G{n}", "2027-03-01T09:00", **OTHER_ROOM) for n in range(8)]
    rows[0] = slot("G0", "2027-03-01T09:00")  # the one row in R-101: teacher conflicts only
    result = run(rows)
    first = [w for w in result.warnings if w.line == 2]
    assert [w.code for w in first] == ["teacher_booked"] * 5 + ["more_conflicts"]
    assert first[-1].message == "2 more conflicts of this row (teacher) are not listed."


@st.composite
def small_schedules(draw):
    rows = []
    for n in range(draw(st.integers(0, 6))):
        rows.append(
            slot(
                f"G{n}",
                f"2027-03-01T{draw(st.integers(8, 16)):02d}:00",
                str(draw(st.integers(1, 4))),
                teacherLogin=draw(st.sampled_from(["jdoe", "asmith", "ghost"])),
                roomGuid=draw(st.sampled_from(["R-101", "R-102"])),
                interventionStatus=draw(st.sampled_from(["A", "A", "C"])),
            )
        )
    return rows


def naive_conflicts(rows):
    """Pairwise, from the cells: the valid (known teacher) active rows that overlap."""
    slots = []
    for line, row in enumerate(rows, start=2):
        if row["teacherLogin"] == "ghost" or row["interventionStatus"] != "A":
            continue
        start = dt.datetime.fromisoformat(row["interventionDate"])
        end = start + dt.timedelta(hours=int(row["interventionDuration"]))
        slots.append((line, row, start, end))
    found = set()
    for line, row, start, end in slots:
        for _, other, other_start, other_end in slots:
            if other is row or not (start < other_end and other_start < end):
                continue
            if row["teacherLogin"] == other["teacherLogin"]:
                found.add((line, "teacherLogin", other["interventionGuid"]))
            if row["roomGuid"] == other["roomGuid"]:
                found.add((line, "roomGuid", other["interventionGuid"]))
    return found


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=small_schedules())
def test_the_engine_reports_what_a_pairwise_check_finds(demo, rows):
    result = run(rows, dry_run=True, time_zone="UTC")
    assert {
        (line, column, other) for line, column, other, _ in conflicts(result)
    } == naive_conflicts(rows)
