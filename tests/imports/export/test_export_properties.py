"""A hypothesis property: for any interventions, importing their export changes nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.export.service import ExportError
from tests.imports.export_support import BARE, LATIN, counts, exported, import_again
from training.models import Intervention, Room, Session, Teacher, Training

pytestmark = pytest.mark.django_db
# Texts a person writes in a schedule, formulas' first characters and CSV's specials included;
# ISO-8859-1 can hold them all. The importer strips blanks around cells: values have none.
TEXT = st.text(st.sampled_from("aZé9 -=+@'\";,\n/"), min_size=1, max_size=12).filter(
    lambda text: text == text.strip()
)
KEY = st.text(st.sampled_from("AZ09-=+@'._"), min_size=1, max_size=40)
ANY_TIME = st.datetimes(dt.datetime(2026, 1, 1), dt.datetime(2029, 1, 1), timezones=st.just(dt.UTC))
# Around the daylight saving changes of 2027 in Paris (UTC): the skipped and repeated hours.
CHANGES = st.sampled_from([dt.datetime(2027, 3, 28, 1), dt.datetime(2027, 10, 31, 1)])
NEAR_A_CHANGE = st.builds(
    lambda change, minutes: (change + dt.timedelta(minutes=minutes)).replace(tzinfo=dt.UTC),
    CHANGES,
    st.integers(-90, 90),
)
MOMENTS = st.one_of(ANY_TIME, NEAR_A_CHANGE)
ZONES = st.sampled_from(["Europe/Paris", "UTC", "America/New_York"])


@st.composite
def schedules(draw):
    guids = draw(st.lists(KEY, min_size=1, max_size=6, unique=True))
    return [
        {
            "guid": guid,
            "start": draw(MOMENTS).replace(second=0, microsecond=0),
            "duration_minutes": draw(st.integers(1, 2_000)) * 60,
            "status": draw(st.sampled_from("AC")),
            "room": (draw(KEY), draw(TEXT), draw(st.none() | st.integers(0, 10_000))),
            "teacher": draw(TEXT),
        }
        for guid in guids
    ]


def store(schedule, title, path_code):
    training = Training.objects.create(guid="T-P", path_code=path_code)
    session = Session.objects.create(guid="S-P", training=training, title=title)
    for values in schedule:
        guid, label, capacity = values["room"]
        room, _ = Room.objects.get_or_create(
            guid=guid, defaults={"label": label, "capacity": capacity}
        )
        teacher, _ = Teacher.objects.get_or_create(login=values["teacher"])
        fields = {k: v for k, v in values.items() if k not in ("room", "teacher")}
        Intervention.objects.create(session=session, room=room, teacher=teacher, **fields)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    schedule=schedules(),
    title=TEXT,
    path_code=TEXT,
    zone=ZONES,
    file_format=st.sampled_from(["csv", "xlsx", "ods"]),
    config=st.sampled_from([None, LATIN, BARE]),
)
def test_importing_an_export_of_any_schedule_changes_nothing(
    db, schedule, title, path_code, zone, file_format, config
):
    with transaction.atomic():
        store(schedule, title, path_code)
        repeated = [v for v in schedule if _repeated(v["start"], zone)]
        if config is LATIN and repeated:  # no offset in DD/MM/YYYY HH:II: refused, said why
            with pytest.raises(ExportError, match="happens twice in time zone"):
                exported(config, file_format, zone)
        else:
            result = import_again(exported(config, file_format, zone), config, file_format, zone)
            assert (result.errors, counts(result)) == ([], (0, 0, len(schedule), 0))
        transaction.set_rollback(True)


def _repeated(moment: dt.datetime, zone: str) -> bool:
    naive = moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    offsets = {naive.replace(tzinfo=ZoneInfo(zone), fold=fold).utcoffset() for fold in (0, 1)}
    return len(offsets) > 1
