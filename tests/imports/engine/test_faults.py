"""A database failure in the middle of an import undoes the whole run and says why.

Faults are injected with Django's ``connection.execute_wrapper``: whatever SQL the writer uses
(ORM bulk upserts or raw statements), the chosen write fails as a real database error would.
"""

import pytest
from django.db import DatabaseError

from imports.engine import ImportOptions, run_import
from tests.conftest import csv_bytes, make_row
from tests.imports.fault_support import database_errors, failing_write
from training.models import Intervention, Room

ROWS = 5


def rows() -> list[dict[str, str]]:
    return [
        make_row(interventionGuid=f"IV-{n}", roomGuid=f"R-NEW-{n}", roomLabel=f"Room {n}")
        for n in range(ROWS)
    ]


def counts() -> tuple[int, int]:
    return Intervention.objects.count(), Room.objects.count()


@database_errors
@pytest.mark.django_db(transaction=True)
def test_failure_mid_import_rolls_everything_back(demo, settings, error):
    settings.INTERVENTION_IMPORT = {"BATCH_SIZE": 2}
    before = counts()
    seen: list[int] = []
    with failing_write(Intervention, error, on_call=2) as calls:
        result = run_import(
            csv_bytes(rows()), "fault.csv", None, ImportOptions(), lambda d, t: seen.append(d)
        )

    assert len(calls) == 2  # the first batch was written, then undone
    assert seen == [2]  # progress stopped at the failing batch
    assert counts() == before
    assert not Room.objects.filter(guid__startswith="R-NEW").exists()
    assert result.committed is False
    assert [e.message for e in result.file_errors] == [
        f"Database error, nothing was written: {error}"
    ]
    assert result.as_dict()["errors"][0]["message"].startswith("Database error")


@pytest.mark.django_db(transaction=True)
def test_same_import_without_the_fault_writes_everything(demo, settings):
    """The control: with no fault injected, the very same file imports fully."""
    settings.INTERVENTION_IMPORT = {"BATCH_SIZE": 2}
    result = run_import(csv_bytes(rows()), "fault.csv", None, ImportOptions())
    assert (result.new, result.committed, result.file_errors) == (ROWS, True, [])
    assert Room.objects.filter(guid__startswith="R-NEW").count() == ROWS


@pytest.mark.django_db(transaction=True)
def test_failure_during_room_write_rolls_back(demo):
    error = DatabaseError("value too long for type character varying(255)")
    before = counts()
    with failing_write(Room, error, on_call=1) as calls:
        result = run_import(csv_bytes(rows()), "rooms.csv", None, ImportOptions())
    assert len(calls) == 1
    assert counts() == before
    assert result.committed is False
    assert result.file_errors[0].message == f"Database error, nothing was written: {error}"
