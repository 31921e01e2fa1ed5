"""Database errors that are a moment's contention, not a fault: the doors turn them into a
message (nothing written, try again) and the job stays as it was."""

from django.db import DatabaseError, OperationalError

from .messages import DATABASE_ERROR, Message

DATABASE_BUSY = Message(
    "database_busy",
    "The database is busy with another write, so nothing was written; try again in a moment.",
)
BUSY_TEXTS = ("database is locked", "database table is locked")  # SQLite, after its timeout


def is_busy(error: BaseException) -> bool:
    """SQLite's write lock still held by another process after the busy timeout."""
    return isinstance(error, OperationalError) and any(t in str(error) for t in BUSY_TEXTS)


def describe(error: DatabaseError) -> Message:
    """The door-neutral message of a database error that stopped an import."""
    return DATABASE_BUSY if is_busy(error) else DATABASE_ERROR.format(reason=error)
