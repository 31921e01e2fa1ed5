"""fetch_tuples gives exactly what the queryset gives (on PostgreSQL through psycopg's loader)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from imports.database.fetch import fetch_tuples
from imports.database.lookups import load_interventions
from training.models import Intervention, Room, Session, Teacher

pytestmark = pytest.mark.django_db

STARTS = [
    dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.UTC),  # the hour Paris skips, seen from UTC
    dt.datetime(2027, 7, 14, 14, 30, 0, 123456, tzinfo=ZoneInfo("Europe/Paris")),
    dt.datetime(1999, 12, 31, 23, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
]


@pytest.fixture
def interventions(demo):
    session, room, teacher = Session.objects.first(), Room.objects.first(), Teacher.objects.first()
    for number, start in enumerate(STARTS):
        Intervention.objects.create(
            guid=f"F-{number}",
            session=session,
            start=start,
            duration_minutes=(number + 1) * 60,
            room=room,
            teacher=teacher,
        )


def test_fetch_tuples_equals_the_queryset(interventions):
    query = Intervention.objects.order_by("guid").values_list("guid", "start", "duration_minutes")
    fetched = list(fetch_tuples(query))
    assert fetched == list(query)
    assert [start for _, start, _ in fetched] == STARTS
    assert all(start.utcoffset() == dt.timedelta(0) for _, start, _ in fetched)


def test_existing_interventions_keep_the_exact_instant(interventions):
    found = load_interventions(["F-0", "F-1", "F-2", "missing"])
    assert sorted(found) == ["F-0", "F-1", "F-2"]
    assert [found[f"F-{n}"].start for n in range(3)] == STARTS
    assert [found[f"F-{n}"].duration_minutes for n in range(3)] == [60, 120, 180]
