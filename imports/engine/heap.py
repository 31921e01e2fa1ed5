"""Keep the garbage collector's full passes off the objects that existed before an import.

A process running Django holds about 100,000 objects the collector tracks (modules, classes,
settings). An import allocates millions of short-lived ones, which triggers full collections,
and every full collection walks those 100,000 again: about 0.3 s per 100,000 rows. Freezing
them for the import (``gc.freeze``) leaves them out of the collector's passes; nothing is
collected less, the collector just looks at fewer objects. Objects someone else froze (a
pre-forking server) are left frozen: the import then runs without this.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_ours = False  # whether the freeze in force is this module's (then it may grow)


@contextmanager
def older_objects_frozen() -> Iterator[None]:
    global _ours
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    _ours = True
    try:
        yield
    finally:
        _ours = False
        gc.unfreeze()


def freeze_what_lives() -> None:
    """Inside our freeze, freeze also what the import has kept so far (the schedule check's
    slots, a million of them for a million rows): otherwise every full collection walks them
    again. They are unfrozen, and collected as usual, when the import ends."""
    if _ours:
        gc.freeze()
