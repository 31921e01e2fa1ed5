"""The changes text of a stored row (``jobs.changes_text``) is the JSON the encoder writes.

The preview's digest hashes that text and the confirm's digest is compared with it: a text
written by hand that differed from ``json.dumps(changes, default=str)`` by one character
would make a confirm after an upgrade see a changed outcome, and the page read other values.
"""

import datetime as dt
import json

from hypothesis import given
from hypothesis import strategies as st

from imports import jobs

# What an update's changes hold: field names, old and new values as text (ISO times, GUIDs,
# logins), an old key's id while it is not named (an int), and whatever else may reach it.
VALUES = st.one_of(
    st.text(),
    st.sampled_from(["", '"', "\\", "\n\t", "é", "\u2028", "2027-03-10T09:00:00+00:00"]),
    st.integers(),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=False),
    st.datetimes(),
)
CHANGES = st.lists(st.tuples(st.text(), VALUES, VALUES), min_size=1, max_size=4).map(tuple)


@given(CHANGES)
def test_the_changes_text_is_the_encoder_s_json(changes):
    assert jobs.changes_text(changes) == json.dumps(changes, default=str)


@given(st.lists(st.tuples(st.text(), st.text(), st.text()), min_size=1, max_size=4).map(tuple))
def test_changes_all_in_text_are_the_encoder_s_json_and_read_back(changes):
    """The values an update holds once its old keys are named: the text written by hand."""
    text = jobs.changes_text(changes)
    assert text == json.dumps(changes, default=str)
    assert json.loads(text) == [list(change) for change in changes]


def test_an_update_of_a_key_and_a_time_is_written_as_the_encoder_writes_it():
    start = dt.datetime(2027, 3, 10, 8, tzinfo=dt.UTC).isoformat()
    changes = (("room", 7, "R-101"), ("start", start, "2027-03-10T09:00:00+00:00"))
    assert jobs.changes_text(changes) == json.dumps(changes, default=str)
    assert jobs.changes_text(changes[1:]) == (
        '[["start", "2027-03-10T08:00:00+00:00", "2027-03-10T09:00:00+00:00"]]'
    )
