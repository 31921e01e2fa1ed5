"""The conflict finder (``imports/conflicts.py``): table-driven cases and a hypothesis property
against a naive pairwise check."""

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imports.planning.conflicts import Booking, find_conflicts

T0 = dt.datetime(2027, 3, 1, 8, tzinfo=dt.UTC)


def booking(guid, hour, hours, teacher=1, room="R-1", line=None):
    start = T0 + dt.timedelta(hours=hour)
    return Booking(guid, line, start, hours * 60, teacher, f"t{teacher}", room)


def pairs(found):
    return sorted((c.resource, c.booking.guid, other.guid) for c in found for other in c.others)


@pytest.mark.parametrize(
    ("file", "stored", "expected"),
    [
        # overlap, same teacher and room: both resources, each row names the other
        (
            [booking("A", 0, 3, line=2), booking("B", 2, 2, line=3)],
            [],
            [("room", "A", "B"), ("room", "B", "A"), ("teacher", "A", "B"), ("teacher", "B", "A")],
        ),
        # back-to-back: no conflict
        ([booking("A", 0, 3, line=2), booking("B", 3, 2, line=3)], [], []),
        # containment
        (
            [booking("A", 0, 8, line=2, room="R-1"), booking("B", 2, 1, line=3, room="R-2")],
            [],
            [("teacher", "A", "B"), ("teacher", "B", "A")],
        ),
        # two teachers in one room
        (
            [booking("A", 0, 2, teacher=1, line=2), booking("B", 1, 2, teacher=2, line=3)],
            [],
            [("room", "A", "B"), ("room", "B", "A")],
        ),
        # against the database: reported on the file's row only
        (
            [booking("A", 0, 2, room="R-2", line=2)],
            [booking("DB", 1, 2, room="R-9")],
            [("teacher", "A", "DB")],
        ),
        # two stored ones overlapping each other: not the file's business
        ([booking("A", 9, 1, line=2)], [booking("X", 0, 2), booking("Y", 1, 2)], []),
    ],
    ids=["overlap", "back-to-back", "containment", "one-room", "database", "database-only"],
)
def test_cases(file, stored, expected):
    assert pairs(find_conflicts(file, stored)) == sorted(expected)


def naive(file, stored):
    found = []
    everything = [*file, *stored]
    for first in file:
        for other in everything:
            if other is first or not (first.start < other.end and other.start < first.end):
                continue
            if first.teacher_id == other.teacher_id:
                found.append(("teacher", first.guid, other.guid))
            if first.room_guid == other.room_guid:
                found.append(("room", first.guid, other.guid))
    return Counter(found)


@st.composite
def schedules(draw):
    count = draw(st.integers(0, 25))
    rows = []
    for n in range(count):
        rows.append(
            booking(
                f"G{n}",
                draw(st.integers(0, 30)),
                draw(st.integers(1, 6)),
                teacher=draw(st.integers(1, 4)),
                room=draw(st.sampled_from(["R-1", "R-2", "R-3"])),
                line=n + 2 if draw(st.booleans()) else None,
            )
        )
    return [b for b in rows if b.line is not None], [b for b in rows if b.line is None]


@settings(max_examples=300, deadline=None)
@given(schedules())
def test_the_sweep_finds_what_a_pairwise_check_finds(schedule):
    file, stored = schedule
    assert Counter(pairs(find_conflicts(file, stored))) == naive(file, stored)


@settings(max_examples=200, deadline=None)
@given(schedules(), st.integers(1, 3))
def test_a_listing_limit_keeps_the_counts_and_lists_the_first(schedule, listed):
    file, stored = schedule
    expected = naive(file, stored)
    for found in find_conflicts(file, stored, listed=listed):
        count = sum(
            n for (r, g, _), n in expected.items() if (r, g) == (found.resource, found.booking.guid)
        )
        assert found.count == count
        assert len(found.others) == min(listed, count)
        assert all(expected[(found.resource, found.booking.guid, o.guid)] for o in found.others)


def test_everybody_overlapping_everybody_is_counted_not_paired():
    file = [booking(f"G{n}", 0, 2, line=n + 2) for n in range(20_000)]
    found = find_conflicts(file, [], listed=5)
    assert len(found) == 40_000  # each row, teacher and room
    assert {c.count for c in found} == {19_999}
    assert {len(c.others) for c in found} == {5}
