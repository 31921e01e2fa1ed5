""" "Did you mean": the one existing value close to a key not found, scoped to the row's
training for sessions, never a guess between equals; the seed's message unchanged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports.engine import ImportOptions, run_import
from imports.suggestions import Pool, closest
from tests.conftest import csv_bytes, make_row
from training.models import Session, Training

CANDIDATES = ["jdoe", "j.dupont", "asmith", "Hélène.Martin", "bob", "rob"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("JDOE", "jdoe"),  # case
        ("helene.martin", "Hélène.Martin"),  # case and accents
        ("jdupont", "j.dupont"),  # one edit
        ("j.dupond", "j.dupont"),
        ("asmiht", "asmith"),  # two edits, 6 characters
        ("jd", None),  # 2 characters: at most 1 edit, and "jdoe" is 2 away
        ("cob", None),  # bob and rob equally close: no guess
        ("zzzzzz", None),
        ("jdoe", None),  # the value itself is no suggestion
    ],
)
def test_closest(value, expected):
    assert closest(value, Pool.of(CANDIDATES)) == expected


def suggestions(result):
    return [(e.column, e.message, e.suggestion) for e in result.errors]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "column", "suggestion"),
    [
        ({"trainingGuid": "tr-1"}, "trainingGuid", "TR-1"),
        ({"trainingGuid": "TR-9"}, "trainingGuid", ""),  # TR-1, TR-2, TR-3: a tie
        ({"trainingGuid": "", "trainingPathCode": "PATH-DAT"}, "trainingPathCode", "PATH-DATA"),
        ({"sessionGuid": "se-2"}, "sessionGuid", "SE-2"),  # SE-2 is TR-1's
        ({"sessionGuid": "", "sessionTitle": "Sprng 2027"}, "sessionTitle", "Spring 2027"),
        ({"teacherLogin": "JDoe"}, "teacherLogin", "jdoe"),
        ({"teacherLogin": "nobody"}, "teacherLogin", ""),
        ({"interventionStatus": "a"}, "interventionStatus", "A"),
        ({"interventionStatus": "X"}, "interventionStatus", ""),  # A and C equally close
    ],
)
def test_each_key_not_found_gets_its_suggestion(demo, overrides, column, suggestion):
    result = run_import(
        csv_bytes([make_row(**overrides)]), "f.csv", options=ImportOptions(dry_run=True)
    )
    [(error_column, message, got)] = suggestions(result)
    assert (error_column, got) == (column, suggestion)
    assert "Did you mean" not in message  # the seed's message stays word for word
    problem = result.errors[0].as_dict()
    assert problem.get("suggestion", "") == suggestion


@pytest.mark.django_db
def test_a_session_is_never_suggested_from_another_training(demo):
    Session.objects.create(
        guid="SE-OTHER-77", title="Winter school", training=Training.objects.get(guid="TR-2")
    )
    rows = [
        make_row(interventionGuid="IV-1", trainingGuid="TR-1", sessionGuid="se-other-77"),
        make_row(interventionGuid="IV-2", trainingGuid="TR-2", sessionGuid="se-other-77"),
        make_row(
            interventionGuid="IV-3",
            trainingGuid="TR-1",
            sessionGuid="",
            sessionTitle="winter school",
        ),
    ]
    result = run_import(csv_bytes(rows), "f.csv", options=ImportOptions(dry_run=True))
    assert [(e.line, e.suggestion) for e in result.errors] == [(2, ""), (3, "SE-OTHER-77"), (4, "")]


@pytest.mark.django_db
def test_suggestions_read_each_table_once_per_run_and_only_for_keys_not_found(demo, settings):
    settings.INTERVENTION_IMPORT = {"BATCH_SIZE": 2}
    valid = [make_row(interventionGuid=f"IV-{n}") for n in range(6)]
    unknown = [make_row(interventionGuid=f"IV-{n}", teacherLogin="JDoe") for n in range(6)]
    counts = []
    for rows in (valid, unknown):
        with CaptureQueriesContext(connection) as queries:
            result = run_import(csv_bytes(rows), "f.csv", options=ImportOptions(dry_run=True))
        # the teachers read (SQLite also counts them once, for the bookings query's shape:
        # lookups._broad)
        reads = [
            q for q in queries if '"training_teacher"' in q["sql"] and "COUNT(" not in q["sql"]
        ]
        counts.append(len(reads))
    assert [e.suggestion for e in result.errors] == ["jdoe"] * 6
    assert counts == [1, 2]  # the lookup, and once the candidates, for 3 batches
