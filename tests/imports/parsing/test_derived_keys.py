"""A derived GUID (``derived_keys``): at most 40 characters, the same for the same slot, another
for another slot; and the columns a message names."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from imports.parsing.cells import ParsedRow
from imports.parsing.derived_keys import GUID_PREFIX, derived_guid, guid_sources, named

KEY = st.text(min_size=1, max_size=40)
STARTS = st.datetimes(
    min_value=dt.datetime(1900, 1, 1),
    max_value=dt.datetime(2999, 12, 31),
    timezones=st.just(dt.UTC),
).map(lambda moment: moment.replace(second=0, microsecond=0))
SLOTS = st.tuples(KEY, KEY, STARTS, KEY)


def row(training: str, session: str, start: dt.datetime, room: str, **others) -> ParsedRow:
    return ParsedRow(
        2, training_guid=training, session_guid=session, start=start, room_guid=room, **others
    )


@given(slot=SLOTS, teacher=st.text(max_size=10))
def test_a_slot_has_one_short_guid_whatever_its_teacher(slot, teacher):
    guid = derived_guid(row(*slot))
    assert guid.startswith(GUID_PREFIX) and len(guid) <= 40
    assert derived_guid(row(*slot, teacher_login=teacher)) == guid


@given(first=SLOTS, second=SLOTS)
def test_two_slots_have_two_guids(first, second):
    if first != second:
        assert derived_guid(row(*first)) != derived_guid(row(*second))


def test_a_path_code_and_a_title_are_not_a_guid_of_the_same_text():
    start = dt.datetime(2027, 3, 1, 8, tzinfo=dt.UTC)
    by_guid = derived_guid(row("X", "S", start, "R"))
    by_path = derived_guid(
        ParsedRow(2, path_code="X", session_guid="S", start=start, room_guid="R")
    )
    assert by_guid != by_path


def test_no_start_no_guid():
    assert (
        derived_guid(ParsedRow(2, training_guid="TR-1", session_guid="SE-1", room_guid="R")) == ""
    )


def test_the_sources_are_the_columns_the_file_has():
    columns = {"trainingPathCode": 0, "sessionTitle": 1, "interventionDate": 2, "roomGuid": 3}
    assert named(guid_sources(columns)) == (
        "trainingPathCode, sessionTitle, interventionDate and roomGuid"
    )
    columns |= {"interventionStartTime": 4, "trainingGuid": 5}
    assert named(guid_sources(columns)) == (
        "trainingGuid, sessionTitle, interventionDate, interventionStartTime and roomGuid"
    )
