"""Database errors that are not the file's fault: the doors turn them into a message (nothing
written, try again) and the job stays as it was.

- busy: SQLite's write lock still held by another writer after the busy timeout;
- lost: the connection itself is gone (its PostgreSQL backend terminated, the server
  restarted, the network cut). The transaction died with it, so nothing was written; the
  connection must be dropped (``reconnect``) before anything else is recorded: Django opens a
  new one at the next query.
"""

from collections.abc import Iterable

from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connections
from django.utils.translation import gettext_noop

from imports.parsing.messages import DATABASE_ERROR, Message

DATABASE_BUSY = Message(
    "database_busy",
    gettext_noop(
        "The database is busy with another write, so nothing was written; try again in a moment."
    ),
)
DATABASE_LOST = Message(
    "database_connection_lost",
    "The connection to the database was lost, so nothing was written; try again.",
)
BUSY_TEXTS = ("database is locked", "database table is locked")  # SQLite, after its timeout
# PostgreSQL's SQLSTATEs of a connection that ends: class 08 (connection exception), and
# admin_shutdown (pg_terminate_backend, a fast shutdown), crash_shutdown, cannot_connect_now.
LOST_STATES = ("57P01", "57P02", "57P03")


def is_busy(error: BaseException) -> bool:
    """SQLite's write lock still held by another process after the busy timeout."""
    return isinstance(error, OperationalError) and any(t in str(error) for t in BUSY_TEXTS)


def is_lost(error: DatabaseError) -> bool:
    """Whether ``error`` is the end of the connection: said by the server (SQLSTATE), or seen
    on the connection (the driver marked it closed). Django may already have opened a new one
    when the failed transaction ended (its rollback on the dead one failed)."""
    cause = error.__cause__
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None) or ""
    return state.startswith("08") or state in LOST_STATES or connection_lost()


def connection_lost(using: str = DEFAULT_DB_ALIAS) -> bool:
    """After a database error: whether the connection is gone. The driver marks a connection
    that broke as closed (psycopg); Django drops it (``None``) when a rollback on it failed."""
    raw = connections[using].connection
    return raw is None or bool(getattr(raw, "closed", False))


def reconnect(using: str = DEFAULT_DB_ALIAS) -> None:
    """Drop a lost connection: the next query opens a new one."""
    connections[using].close()


def reconnect_if_lost(codes: Iterable[str], using: str = DEFAULT_DB_ALIAS) -> bool:
    """Drop the connection when one of a result's problem ``codes`` says it was lost, before
    recording anything; whether it did."""
    if DATABASE_LOST.code not in codes:
        return False
    reconnect(using)
    return True


def describe(error: DatabaseError) -> Message:
    """The door-neutral message of a database error that stopped an import."""
    if is_busy(error):
        return DATABASE_BUSY
    return DATABASE_LOST if is_lost(error) else DATABASE_ERROR.format(reason=error)
