"""A fix acts on exactly the rows its group names (issue 25, defect 2), through the service.

With schedule conflicts as errors, each conflict is a group of one row; other rows share its
room GUID. Moving that row to another room changes that row only, and renames no room;
skipping it skips that row only. A key not found keeps its fix of every row with the value.
The property: after any fix of any group, the rows read differently are the group's rows.
"""

import datetime as dt
from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from imports import jobs
from imports.jobs import fixes as fix_jobs
from imports.jobs import service
from imports.jobs.models import ImportJob
from imports.parsing.columns import column_map
from imports.parsing.config import HEADER_CONFIG
from imports.parsing.fixes import Fix, fixed_table
from imports.parsing.readers import read_table
from tests.conftest import csv_bytes, make_row
from training.models import Intervention, Room

pytestmark = pytest.mark.usefixtures("demo", "media")

HALL = {"roomGuid": "R-201", "roomLabel": "Lecture hall", "roomCapacity": "40"}
# Lines 2 and 3 book the room R-201 at overlapping times (two teachers); line 4 books it
# another day: three rows with R-201, two conflict groups of one row each.
CONFLICTS = [
    make_row(interventionGuid="IV-1", teacherLogin="jdoe", **HALL),
    make_row(
        interventionGuid="IV-2",
        teacherLogin="asmith",
        interventionDate="2027-03-01T10:00:00",
        **HALL,
    ),
    make_row(
        interventionGuid="IV-3",
        teacherLogin="bmartin",
        interventionDate="2027-03-02T09:00:00",
        **HALL,
    ),
]


def previewed(rows: list[dict[str, str]], *, conflicts: str = "error") -> ImportJob:
    upload = SimpleUploadedFile("timetable.csv", csv_bytes(rows))
    job = jobs.create_job(upload, None, conflicts=conflicts)
    jobs.preview_job(job)
    return job


def group_message(job: ImportJob, *, line: int, column: str) -> str:
    return job.errors.get(level="ERROR", line=line, column=column).message


def fix(job: ImportJob, user, *, line: int, column: str, value: str, replacement: str | None):
    message = group_message(job, line=line, column=column)
    said = service.add_fix(
        job, user, column=column, value=value, message=message, replacement=replacement
    )
    service.start_preview(job)
    job.refresh_from_db()
    return said


def test_the_conflict_groups_are_one_row_each_and_offer_a_move():
    job = previewed(CONFLICTS)
    assert (job.new, job.error_rows) == (1, 2)
    message = group_message(job, line=2, column="roomGuid")
    group = fix_jobs.fix_group(job, column="roomGuid", value="R-201", message=message)
    assert group is not None
    assert (group.lines, group.scope) == ([2], fix_jobs.FixScope.MOVE)


def test_moving_a_conflict_changes_its_row_only_and_renames_no_room(admin_user):
    job = previewed(CONFLICTS)
    said = fix(job, admin_user, line=2, column="roomGuid", value="R-201", replacement="R-102")
    assert said == (True, "roomGuid R-201 is read as R-102 on line 2 only.")
    (entry,) = job.fixes
    assert (entry["lines"], entry["rows"]) == ([2], 1)
    assert (job.new, job.error_rows) == (3, 0)
    assert [(room["guid"], room["created"]) for room in job.rooms] == [("R-201", True)]
    assert jobs.confirm_job(job, admin_user).verdict is jobs.Verdict.IMPORTED
    rooms = dict(Intervention.objects.values_list("guid", "room__guid"))
    assert rooms == {"IV-1": "R-102", "IV-2": "R-201", "IV-3": "R-201"}
    assert Room.objects.get(guid="R-102").label == "Room 102"  # not "Lecture hall"
    assert Room.objects.get(guid="R-201").label == "Lecture hall"


def test_skipping_a_conflict_skips_its_row_only(admin_user):
    job = previewed(CONFLICTS)
    said = fix(job, admin_user, line=2, column="roomGuid", value="R-201", replacement=None)
    assert said == (True, "The rows on line 2 (roomGuid R-201) are skipped.")
    assert (job.new, job.error_rows) == (2, 0)
    warnings = job.errors.filter(level="WARNING").values_list("message", flat=True)
    assert "Rows skipped by a fix of roomGuid R-201: 1, on line 2." in warnings
    jobs.confirm_job(job, admin_user)
    assert set(Intervention.objects.values_list("guid", flat=True)) == {"IV-2", "IV-3"}


def test_moving_a_teacher_conflict_changes_its_row_only(admin_user):
    # jdoe teaches lines 2 and 3 at overlapping times (two rooms), and line 4 another day.
    rows = [
        make_row(interventionGuid="IV-1"),
        make_row(interventionGuid="IV-2", roomGuid="R-102", roomLabel="Room 102"),
        make_row(interventionGuid="IV-3", interventionDate="2027-03-02T09:00:00"),
    ]
    job = previewed(rows)
    assert job.error_rows == 2
    fix(job, admin_user, line=3, column="teacherLogin", value="jdoe", replacement="asmith")
    assert (job.new, job.error_rows) == (3, 0)
    jobs.confirm_job(job, admin_user)
    teachers = dict(Intervention.objects.values_list("guid", "teacher__login"))
    assert teachers == {"IV-1": "jdoe", "IV-2": "asmith", "IV-3": "jdoe"}


def test_moving_to_a_room_the_file_describes_takes_the_files_label(admin_user):
    annex = make_row(
        interventionGuid="IV-4",
        interventionDate="2027-03-03T09:00:00",
        roomGuid="R-300",
        roomLabel="Annex",
        roomCapacity="8",
    )
    job = previewed([*CONFLICTS, annex])
    fix(job, admin_user, line=2, column="roomGuid", value="R-201", replacement="R-300")
    assert job.fixes[0]["cells"] == {"roomLabel": "Annex", "roomCapacity": ""}
    assert (job.new, job.error_rows) == (4, 0)
    assert {room["guid"]: room["label"] for room in job.rooms} == {
        "R-201": "Lecture hall",
        "R-300": "Annex",
    }


def test_moving_to_a_room_found_nowhere_creates_it_from_the_rows_cells(admin_user):
    job = previewed(CONFLICTS)
    fix(job, admin_user, line=2, column="roomGuid", value="R-999", replacement="R-999")
    assert job.fixes == []  # nothing: the group's value is R-201, not R-999
    fix(job, admin_user, line=2, column="roomGuid", value="R-201", replacement="R-999")
    assert job.fixes[0]["cells"] == {}
    created = {room["guid"]: room["lines"] for room in job.rooms if room["created"]}
    assert created == {"R-201": [3, 4], "R-999": [2]}


def test_two_groups_of_one_value_keep_both_fixes(admin_user):
    job = previewed(CONFLICTS)
    first = group_message(job, line=2, column="roomGuid")
    second = group_message(job, line=3, column="roomGuid")
    for message in (first, second):
        service.add_fix(
            job, admin_user, column="roomGuid", value="R-201", message=message, replacement=None
        )
    assert [entry["lines"] for entry in job.fixes] == [[2], [3]]
    service.start_preview(job)
    job.refresh_from_db()
    assert (job.new, job.error_rows) == (1, 0)


def test_a_group_no_longer_in_the_preview_changes_nothing(admin_user):
    job = previewed(CONFLICTS)
    said = service.add_fix(
        job, admin_user, column="roomGuid", value="R-201", message="gone", replacement="R-102"
    )
    assert said == (False, "This group of errors is no longer in the preview; nothing was changed.")
    assert job.fixes == []


# A key not found: every row with the value is in the group, and its fix names them all.


def test_a_teacher_not_found_is_replaced_in_every_row(admin_user):
    rows = [
        make_row(interventionGuid=f"IV-{n}", interventionDate=f"2027-03-0{n}T09:00:00")
        for n in range(1, 4)
    ]
    rows = [{**row, "teacherLogin": "jdoee"} for row in rows]
    job = previewed(rows)
    said = fix(job, admin_user, line=2, column="teacherLogin", value="jdoee", replacement="jdoe")
    assert said == (True, "teacherLogin jdoee is read as jdoe in every row (3 with errors).")
    (entry,) = job.fixes
    assert (entry["lines"], entry["rows"]) == (None, 3)
    assert (job.new, job.error_rows) == (3, 0)


# The property: the rows read differently after a fix are exactly the group's rows.

PROPERTY = settings(
    max_examples=40,
    deadline=dt.timedelta(seconds=20),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ROOMS = [("R-201", "Lecture hall"), ("R-101", "Room 101"), ("R-102", "Other label")]
REPLACEMENTS = ["R-102", "R-101", "R-777", "asmith", "bmartin", "nobody", "SE-2", "TR-2"]


@st.composite
def timetable(draw) -> list[dict[str, str]]:
    rows = []
    for n in range(draw(st.integers(1, 7))):
        guid, label = draw(st.sampled_from(ROOMS))
        rows.append(
            make_row(
                interventionGuid=f"IV-{n}",
                interventionDate=f"2027-03-0{draw(st.integers(1, 2))}T09:00:00",
                roomGuid=guid,
                roomLabel=label,
                teacherLogin=draw(st.sampled_from(["jdoe", "asmith", "jdoee"])),
                sessionGuid=draw(st.sampled_from(["SE-1", "SE-9"])),
            )
        )
    return rows


@contextmanager
def rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def read_cells(data: bytes, fixes: list[Fix]) -> dict[int, list]:
    table = read_table(data, "timetable.csv")
    columns, _ = column_map(HEADER_CONFIG, table.header, table.header_line)
    fixed, _ = fixed_table(table, fixes, columns)
    return dict(fixed.rows())


@PROPERTY
@given(rows=timetable(), data=st.data())
def test_after_any_fix_the_rows_changed_are_the_rows_it_names(admin_user, rows, data):
    with rolled_back():
        job = previewed(rows)
        groups = list(
            job.errors.filter(level="ERROR")
            .exclude(value="")
            .values_list("column", "value", "message")
            .distinct()
        )
        if not groups:
            return
        column, value, message = data.draw(st.sampled_from(sorted(groups)))
        group = fix_jobs.fix_group(job, column=column, value=value, message=message)
        assert group is not None
        event(f"{group.scope}, {len(group.lines)} rows")
        replacement = data.draw(st.none() | st.sampled_from(REPLACEMENTS))
        added, _ = service.add_fix(
            job, admin_user, column=column, value=value, message=message, replacement=replacement
        )
        if not added:
            return
        content = csv_bytes(rows)
        before = read_cells(content, [])
        after = read_cells(content, [Fix.from_dict(entry) for entry in job.fixes])
        changed = {line for line, cells in before.items() if after.get(line) != cells}
        assert changed == set(group.lines)
        assert job.fixes[-1]["rows"] == len(group.lines)


def test_a_mistyped_replacement_is_fixed_in_turn(admin_user):
    """jdoe replaced by a login that does not exist: that new error's fix applies in turn."""
    job = previewed([make_row(teacherLogin="jdeo")], conflicts="warn")
    fix(job, admin_user, line=2, column="teacherLogin", value="jdeo", replacement="nobody")
    assert (job.new, job.error_rows) == (0, 1)
    fix(job, admin_user, line=2, column="teacherLogin", value="nobody", replacement="jdoe")
    assert (job.new, job.error_rows) == (1, 0)


def test_a_cell_holding_a_nul_is_fixed(admin_user):
    """Its group's value is stored with the NUL shown (imports/parsing/storable.py); the fix
    made from that group finds the cell."""
    job = previewed([make_row(teacherLogin="jd\x00oe")], conflicts="warn")
    [error] = job.errors.filter(level="ERROR")
    assert error.value == "jd\u2400oe"
    fix(job, admin_user, line=2, column="teacherLogin", value=error.value, replacement="jdoe")
    assert (job.new, job.error_rows) == (1, 0)
