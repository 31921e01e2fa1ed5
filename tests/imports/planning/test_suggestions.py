""" "Did you mean": the one existing value close to a key not found, scoped to the row's
training for sessions, never a guess between equals; the seed's message unchanged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imports.engine import ImportOptions, run_import
from imports.planning.suggestions import Pool, closest
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


LOGINS = ["jdoe", "asmith", "bmartin", "j.dupont", "Hélène.Martin"]
GUIDS = ["TR-1", "TR-2", "TR-3", "PATH-DATA", "PATH-MGMT", "SE-2027-0024", "SE-2027-0043"]
TITLES = ["Spring 2027", "Autumn 2027", "Data analysis", "Management basics", "Évaluation finale"]

TYPOS = [
    # logins
    (LOGINS, "jdeo", "jdoe"),  # swap: one edit (issue 25, 3), not two
    (LOGINS, "asmtih", "asmith"),  # swap
    (LOGINS, "bmatrin", "bmartin"),  # swap
    (LOGINS, "bmartn", "bmartin"),  # drop
    (LOGINS, "asmit", "asmith"),  # drop
    (LOGINS, "smith", "asmith"),  # drop
    (LOGINS, "Martin", "bmartin"),  # drop and case
    (LOGINS, "jdoee", "jdoe"),  # double
    (LOGINS, "asmmith", "asmith"),  # double
    (LOGINS, "JDOE", "jdoe"),  # case
    (LOGINS, "helene.martin", "Hélène.Martin"),  # accent
    (LOGINS, "Hélèen.Martin", "Hélène.Martin"),  # accent kept, swap
    (LOGINS, "a.smith", "asmith"),  # separator added
    (LOGINS, "j_dupont", "j.dupont"),  # separator replaced
    (LOGINS, "jduopnt", "j.dupont"),  # swap and separator dropped: 2 edits in 7
    (LOGINS, "djeo", None),  # two swaps in 4 characters: far
    # GUIDs
    (GUIDS, "RT-1", "TR-1"),  # swap
    (GUIDS, "TR1-", "TR-1"),  # swap with the separator
    (GUIDS, "PATH-DTAA", "PATH-DATA"),  # swap
    (GUIDS, "TR1", "TR-1"),  # separator dropped
    (GUIDS, "TR_1", "TR-1"),  # separator replaced
    (GUIDS, "PATH DATA", "PATH-DATA"),  # separator replaced
    (GUIDS, "PATH-DATTA", "PATH-DATA"),  # double
    (GUIDS, "tr-1", "TR-1"),  # case
    (GUIDS, "TR-9", None),  # TR-1, TR-2, TR-3 equally close: no guess
    (GUIDS, "SE-2027-0042", None),  # a swap of 0024 or a slip of 0043: a tie, no guess
    # titles
    (TITLES, "Sprnig 2027", "Spring 2027"),  # swap
    (TITLES, "Sprnig 2072", "Spring 2027"),  # two swaps in 11 characters
    (TITLES, "Sprng 2027", "Spring 2027"),  # drop
    (TITLES, "Datta analysis", "Data analysis"),  # double
    (TITLES, "Management  basics", "Management basics"),  # double separator
    (TITLES, "DATA ANALYSIS", "Data analysis"),  # case
    (TITLES, "Evaluation finale", "Évaluation finale"),  # accent
    (TITLES, "Spring-2027", "Spring 2027"),  # separator replaced
    (TITLES, "Spring2027", "Spring 2027"),  # separator dropped
    (TITLES, "Winter 2027", None),  # far
]


@pytest.mark.parametrize(
    ("candidates", "value", "expected"), TYPOS, ids=[value for _, value, _ in TYPOS]
)
def test_typical_typos(candidates, value, expected):
    """Swaps of neighbouring letters count as one edit (OSA), like a drop, a double or a slip."""
    assert closest(value, Pool.of(candidates)) == expected


@pytest.mark.django_db
def test_a_swap_gets_a_suggestion_as_the_other_typos_do(demo):
    """Issue 25, 3: ``jdeo`` on 4 rows got none, while the other typos of a login got one."""
    logins = ["jdeo"] * 4 + ["bmartn", "asmit", "jdoee", "JDOE", "a.smith", "smith", "Martin"]
    rows = [
        make_row(interventionGuid=f"IV-{n}", teacherLogin=login) for n, login in enumerate(logins)
    ]
    result = run_import(csv_bytes(rows), "f.csv", options=ImportOptions(dry_run=True))
    assert [(e.value, e.suggestion) for e in result.errors] == [
        *[("jdeo", "jdoe")] * 4,
        ("bmartn", "bmartin"),
        ("asmit", "asmith"),
        ("jdoee", "jdoe"),
        ("JDOE", "jdoe"),
        ("a.smith", "asmith"),
        ("smith", "asmith"),
        ("Martin", "bmartin"),
    ]


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
        ({"teacherLogin": "jdeo"}, "teacherLogin", "jdoe"),  # a swap
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
