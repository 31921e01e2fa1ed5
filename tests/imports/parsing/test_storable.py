"""A file's text made storable: NUL and lone surrogates shown, long values cut with a mark, and
the result accepted by the database (both backends) where the raw text is refused."""

import json

import pytest
from django.db import DataError, connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from imports.jobs.models import ImportJob, ImportJobError
from imports.parsing.storable import storable_json, storable_text, storable_texts

ANY_TEXT = st.text(st.characters(codec=None, categories=None))  # surrogates included


@pytest.mark.parametrize(
    ("text", "limit", "stored"),
    [
        ("Room 101", None, "Room 101"),
        ("a\x00b", None, "a\u2400b"),
        ("\x00\x00", None, "\u2400\u2400"),
        ("Salle\ud800", None, "Salle\ufffd"),
        ("\udfffé\x00", None, "\ufffdé\u2400"),
        ("tab\tand\x01\x1b[31m", None, "tab\tand\x01\x1b[31m"),  # the databases take these
        ("x" * 300, 255, "x" * 254 + "…"),
        ("x" * 255, 255, "x" * 255),
        ("\x00" * 300, 10, "\u2400" * 9 + "…"),
        ("a\\x00b", None, "a\\x00b"),  # a file's literal text is kept: it is not a NUL
    ],
)
def test_storable_text(text, limit, stored):
    assert storable_text(text, limit=limit) == stored


def test_texts_and_json_keep_what_is_not_text():
    assert storable_texts(["a\x00", 3, None]) == ["a\u2400", 3, None]
    value = {"label\x00": ["x\ud800", 12, {"k": "\x00"}], "n": None}
    assert storable_json(value) == {"label\u2400": ["x\ufffd", 12, {"k": "\u2400"}], "n": None}


@given(text=ANY_TEXT, limit=st.none() | st.integers(2, 300))
def test_storable_text_is_utf8_without_nul_and_within_its_limit(text, limit):
    stored = storable_text(text, limit=limit)
    assert "\x00" not in stored
    stored.encode("utf-8")  # no lone surrogate left: this would raise
    assert limit is None or len(stored) <= limit
    assert storable_text(stored, limit=limit) == stored  # storing again changes nothing
    if limit is None or len(text) <= limit:
        assert len(stored) == len(text)  # one character shown for one


@pytest.mark.django_db
def test_the_database_refuses_the_raw_text_and_takes_the_storable_one():
    job = ImportJob.objects.create(file_name="values.csv", sha256="0" * 64)
    raw = "a\x00b\ud800" + "x" * 300
    with pytest.raises(UnicodeEncodeError), transaction.atomic():  # neither backend
        ImportJobError.objects.create(job=job, value="\ud800", message="m")
    if connection.vendor == "postgresql":  # SQLite takes a NUL
        with pytest.raises(DataError), transaction.atomic():
            ImportJobError.objects.create(job=job, value="a\x00b", message="m")
    stored = ImportJobError.objects.create(
        job=job,
        value=storable_text(raw),
        message=storable_text(raw),
        column=storable_text(raw, limit=255),
    )
    stored.refresh_from_db()
    assert stored.value == "a\u2400b\ufffd" + "x" * 300
    assert stored.column == ("a\u2400b\ufffd" + "x" * 300)[:254] + "…"
    job.header = storable_json([raw])
    job.save(update_fields=["header"])
    job.refresh_from_db()
    assert json.dumps(job.header) == json.dumps(["a\u2400b\ufffd" + "x" * 300])
