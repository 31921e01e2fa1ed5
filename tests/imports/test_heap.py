"""The import freezes the older objects for its run only, and never thaws someone else's."""

import gc

import pytest

from imports.engine import run_import
from imports.heap import older_objects_frozen
from tests.conftest import csv_bytes, make_row


@pytest.fixture(autouse=True)
def thawed():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_frozen_during_the_block_only():
    with older_objects_frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_frozen_objects_of_someone_else_stay_frozen():
    gc.freeze()
    before = gc.get_freeze_count()
    with older_objects_frozen():
        pass
    assert gc.get_freeze_count() == before


def test_thawed_even_when_the_block_fails():
    with pytest.raises(RuntimeError), older_objects_frozen():
        raise RuntimeError("the import failed")
    assert gc.get_freeze_count() == 0


@pytest.mark.django_db
def test_an_import_leaves_nothing_frozen(demo):
    seen = []
    result = run_import(
        csv_bytes([make_row()]),
        "f.csv",
        progress=lambda done, total: seen.append(gc.get_freeze_count()),
    )
    assert result.new == 1
    assert seen and seen[0] > 0
    assert gc.get_freeze_count() == 0
