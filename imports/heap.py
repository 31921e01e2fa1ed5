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


@contextmanager
def older_objects_frozen() -> Iterator[None]:
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
