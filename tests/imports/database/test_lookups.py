"""``lookups.load_bookings``: the stored bookings near a file's, by either query shape.

On SQLite a file naming a large share of the teachers and rooms has the table read through
and the rows kept in Python (``lookups._broad``); otherwise the query filters by teacher and
room. Both must find the same bookings: the active ones of the file's teachers or rooms,
inside the file's time span, but for the file's own.
"""

import datetime as dt

import pytest
from django.db import connection

from imports.database import lookups
from imports.planning.conflicts import Booking
from training.models import Intervention, Room, Session, Teacher, Training

pytestmark = pytest.mark.django_db
START = dt.datetime(2027, 3, 1, 8, tzinfo=dt.UTC)
TEACHERS, ROOMS = 12, 12


@pytest.fixture
def stored():
    """Twelve teachers and rooms; per pair (teacher i, room i) four interventions: an
    active one inside the span, one cancelled, one long before and one the file gives."""
    training = Training.objects.create(guid="TR-L", title="Lookups")
    session = Session.objects.create(guid="SE-L", training=training, title="S")
    teachers = Teacher.objects.bulk_create(
        Teacher(login=f"t{i:02d}", last_name=f"T{i}") for i in range(TEACHERS)
    )
    rooms = Room.objects.bulk_create(
        Room(guid=f"R{i:02d}", label=f"Room {i}") for i in range(ROOMS)
    )
    rows = []
    for i, (teacher, room) in enumerate(zip(teachers, rooms, strict=True)):
        for kind, start, status in (
            ("in", START + dt.timedelta(hours=i), "A"),
            ("cancelled", START + dt.timedelta(hours=i), "C"),
            ("before", START - dt.timedelta(days=30), "A"),
            ("file", START + dt.timedelta(hours=i), "A"),
        ):
            rows.append(
                Intervention(
                    guid=f"{kind}-{i:02d}",
                    session=session,
                    start=start,
                    duration_minutes=120,
                    room=room,
                    teacher=teacher,
                    status=status,
                )
            )
    Intervention.objects.bulk_create(rows)
    return teachers, rooms


def file_bookings(teachers, rooms, indexes):
    """The file's bookings: the ``file-`` intervention of each pair in ``indexes``."""
    return [
        Booking(
            guid=f"file-{i:02d}",
            line=i + 2,
            start=START + dt.timedelta(hours=i),
            minutes=120,
            teacher_id=teachers[i].pk,
            teacher_login=teachers[i].login,
            room_guid=rooms[i].guid,
        )
        for i in indexes
    ]


@pytest.mark.parametrize("indexes", [[0], [0, 5], list(range(TEACHERS))])
@pytest.mark.parametrize("share", [0.0, 1e9], ids=["read-through", "by-index"])
def test_both_query_shapes_find_the_active_bookings_in_the_span(
    stored, monkeypatch, indexes, share
):
    teachers, rooms = stored
    monkeypatch.setattr(lookups, "BROAD_SHARE", share)
    file = file_bookings(teachers, rooms, indexes)
    room_ids = {room.guid: room.pk for room in rooms}

    found = lookups.load_bookings(file, room_ids=room_ids)

    assert sorted(b.guid for b in found) == [f"in-{i:02d}" for i in indexes]
    assert all(b.line is None and b.room_guid in room_ids for b in found)


def test_broad_is_a_share_of_the_teachers_and_rooms(stored):
    teachers, rooms = stored
    some = [teachers[0].pk], [rooms[0].pk]  # 1/12 + 1/12 = 0.17 of them
    if connection.vendor != "sqlite":  # PostgreSQL's planner weighs it itself
        assert not lookups._broad(*some)
        return
    assert lookups._broad(*some)
    assert not lookups._broad([teachers[0].pk], [])  # 0.08
    assert not lookups._broad([], [])
