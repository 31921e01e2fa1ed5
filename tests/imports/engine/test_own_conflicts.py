"""Conflicts are the file's own (issue 29): a schedule conflict needs the acknowledgement only
when the file creates, changes or moves one of its two interventions; those between
interventions the file leaves as they are (or only in the database) are shown apart and need
nothing; interventions cancelled as missing conflict with nothing (test_cancel_missing.py)."""

import datetime as dt

import pytest

from imports.engine import ImportOptions, run_import
from imports.planning.conflicts import Booking, find_conflicts
from tests.conftest import csv_bytes, make_row
from training.models import Intervention

T0 = dt.datetime(2027, 3, 1, 8, tzinfo=dt.UTC)
OWN = {"teacher_booked", "room_booked", "more_conflicts"}
STANDING = {"teacher_booked_unchanged", "room_booked_unchanged", "more_conflicts_unchanged"}


def booking(guid, hour, *, line=None, changed=False, teacher=1, room="R-1"):
    start = T0 + dt.timedelta(hours=hour)
    return Booking(guid, line, start, 120, teacher, f"t{teacher}", room, changed=changed)


@pytest.mark.parametrize(
    ("a_changed", "b", "expected"),
    [
        # both in the file: one changed makes it the file's own, for both rows
        (True, booking("B", 1, line=3), {("A", "B", True), ("B", "A", True)}),
        (False, booking("B", 1, line=3, changed=True), {("A", "B", True), ("B", "A", True)}),
        # neither changed: already in the schedule, on both rows
        (False, booking("B", 1, line=3), {("A", "B", False), ("B", "A", False)}),
        # against the database: the file's row decides
        (True, booking("B", 1), {("A", "B", True)}),
        (False, booking("B", 1), {("A", "B", False)}),
    ],
    ids=["changed-unchanged", "unchanged-changed", "both-unchanged", "changed-db", "unchanged-db"],
)
def test_whose_conflict(a_changed, b, expected):
    a = booking("A", 0, line=2, changed=a_changed)
    file = [a] + ([b] if b.line else [])
    stored = [] if b.line else [b]
    found = find_conflicts(file, stored, listed=5)
    pairs = {
        (c.booking.guid, o.guid, c.own) for c in found if c.resource == "teacher" for o in c.others
    }
    assert pairs == expected


def test_an_unchanged_row_counts_and_lists_each_kind_apart():
    rows = [booking("U", 0, line=2)]
    rows += [booking(f"C{n}", 0, line=3 + n, changed=True, room=f"R-{n}") for n in range(3)]
    stored = [booking(f"D{n}", 0, room=f"R-D{n}") for n in range(7)]
    found = [c for c in find_conflicts(rows, stored, listed=5) if c.resource == "teacher"]
    mine = {c.own: c for c in found if c.booking.guid == "U"}
    assert (mine[True].count, len(mine[True].others)) == (3, 3)
    assert {o.guid for o in mine[True].others} == {"C0", "C1", "C2"}
    assert (mine[False].count, len(mine[False].others)) == (7, 5)
    assert all(o.guid.startswith("D") for o in mine[False].others)


# The engine, the jobs and the admin --------------------------------------------------------

PAIR = [
    make_row(interventionGuid="IV-1", interventionDate="2027-03-01T09:00:00"),
    make_row(interventionGuid="IV-2", interventionDate="2027-03-01T10:00:00", roomGuid="R-102"),
]
OTHER_PAIR = [
    make_row(
        interventionGuid="IV-3",
        interventionDate="2027-03-08T09:00:00",
        teacherLogin="asmith",
        roomGuid="R-102",
    ),
    make_row(
        interventionGuid="IV-4",
        interventionDate="2027-03-08T10:00:00",
        teacherLogin="asmith",
        roomGuid="R-101",
    ),
]


def codes(result) -> set[str]:
    return {w.code for w in result.warnings if "booked" in w.code or "conflicts" in w.code}


def test_a_new_file_s_conflicts_are_its_own(demo):
    result = run_import(csv_bytes(PAIR), "a.csv")
    assert codes(result) == {"teacher_booked"}


def test_an_export_imported_again_has_only_conflicts_already_there(demo):
    run_import(csv_bytes(PAIR + OTHER_PAIR), "a.csv")
    again = run_import(csv_bytes(PAIR + OTHER_PAIR), "a.csv", options=ImportOptions(dry_run=True))
    assert again.unchanged == 4 and codes(again) == {"teacher_booked_unchanged"}
    message = next(w.message for w in again.warnings if w.line == 2)
    assert message == (
        "Teacher with login jdoe is already booked by intervention IV-2 (2027-03-01 10:00 to"
        " 2027-03-01 13:00); already in the schedule, not changed by this file."
    )


def test_one_edited_duration_makes_its_own_conflicts_only(demo):
    run_import(csv_bytes(PAIR + OTHER_PAIR), "a.csv")
    edited = [make_row(**{**PAIR[0], "interventionDuration": "2"}), PAIR[1], *OTHER_PAIR]
    result = run_import(csv_bytes(edited), "a.csv", options=ImportOptions(dry_run=True))
    own = {w.line for w in result.warnings if w.code in OWN}
    standing = {w.line for w in result.warnings if w.code in STANDING}
    assert (own, standing) == ({2, 3}, {4, 5})


def test_with_the_error_policy_conflicts_already_there_stay_warnings(demo):
    run_import(csv_bytes(PAIR), "a.csv")
    result = run_import(csv_bytes(PAIR), "a.csv", options=ImportOptions(conflicts="error"))
    assert (result.error_rows, result.unchanged) == (0, 2)
    assert codes(result) == {"teacher_booked_unchanged"}
    new_pair = [make_row(**{**r, "interventionGuid": r["interventionGuid"] + "b"}) for r in PAIR]
    Intervention.objects.all().delete()
    run_import(csv_bytes(PAIR), "a.csv")
    errors = ImportOptions(conflicts="error")
    mixed = run_import(csv_bytes(PAIR + new_pair), "b.csv", options=errors)
    assert mixed.error_rows == 4  # the new rows conflict with the stored ones: every row's own
