"""The import freezes the older objects for its run only, and never thaws someone else's.

Whether an object is frozen is read from ``gc.get_objects()``, which leaves out the permanent
generation; counting frozen objects would not do, since a frozen object can still be freed.
"""

import gc

import pytest

from imports.engine import run_import
from imports.engine.heap import older_objects_frozen
from tests.conftest import csv_bytes, make_row


def frozen(probe: object) -> bool:
    return not any(item is probe for item in gc.get_objects())


@pytest.fixture(autouse=True)
def thawed():
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.fixture
def probe() -> list:
    """An object the collector tracks, made before the import."""
    return [object()]


def test_frozen_during_the_block_only(probe):
    with older_objects_frozen():
        assert frozen(probe)
    assert not frozen(probe)


def test_frozen_objects_of_someone_else_stay_frozen(probe):
    gc.freeze()
    with older_objects_frozen():
        pass
    assert frozen(probe)


def test_thawed_even_when_the_block_fails(probe):
    with pytest.raises(RuntimeError), older_objects_frozen():
        raise RuntimeError("the import failed")
    assert not frozen(probe)


@pytest.mark.django_db
def test_an_import_leaves_nothing_frozen(demo, probe):
    seen = []
    result = run_import(
        csv_bytes([make_row()]), "f.csv", progress=lambda done, total: seen.append(frozen(probe))
    )
    assert result.new == 1
    assert seen == [True]
    assert not frozen(probe)


def test_what_lives_is_frozen_only_inside_our_freeze():
    from imports.engine.heap import freeze_what_lives

    assert gc.get_freeze_count() == 0  # the test process freezes nothing itself
    freeze_what_lives()
    assert gc.get_freeze_count() == 0  # outside an import: nothing
    with older_objects_frozen():
        before = gc.get_freeze_count()
        kept = [[n] for n in range(1000)]  # tracked objects an import keeps
        freeze_what_lives()
        assert gc.get_freeze_count() >= before + len(kept)
    assert gc.get_freeze_count() == 0
