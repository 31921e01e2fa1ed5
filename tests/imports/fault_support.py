"""Fault injection for tests: make the database fail a chosen write."""

import re
from contextlib import contextmanager

import pytest
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    IntegrityError,
    OperationalError,
    connection,
    connections,
)

# The database errors a write can raise mid-import, as a parametrize mark.
database_errors = pytest.mark.parametrize(
    "error",
    [
        DatabaseError("disk I/O error"),
        OperationalError("server closed the connection unexpectedly"),
        IntegrityError("duplicate key value violates unique constraint"),
    ],
    ids=["database", "operational", "integrity"],
)


@contextmanager
def failing_write(model, error: Exception, on_call: int):
    """Raise ``error`` on the ``on_call``-th INSERT into ``model``'s table; yield the calls."""
    pattern = re.compile(rf'insert\s+into\s+[`"]?{model._meta.db_table}\b', re.IGNORECASE)
    calls: list[str] = []

    def wrapper(execute, sql, params, many, context):
        if pattern.search(sql):
            calls.append(sql)
            if len(calls) == on_call:
                raise error
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield calls


def terminate_backend(wrapper) -> None:
    """Terminate the PostgreSQL backend of the Django connection ``wrapper`` from another
    connection, as ``pg_terminate_backend`` by an administrator (or a failover) would; wait
    until it is gone."""
    pid = wrapper.connection.info.backend_pid
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 10000)", [pid])
            (done,) = cursor.fetchone()
    finally:
        other.close()
    if not done:
        raise RuntimeError(f"backend {pid} still alive")


@contextmanager
def terminated_before_write(model, on_call: int, statement: str = "insert into"):
    """Terminate this connection's backend just before the ``on_call``-th INSERT into
    ``model``'s table (or other ``statement``: "from" for a read) (the statement then meets a
    closed connection); yield the calls."""
    words = r"\s+".join(statement.split())
    pattern = re.compile(rf'{words}\s+[`"]?{model._meta.db_table}\b', re.IGNORECASE)
    calls: list[str] = []

    def wrapper(execute, sql, params, many, context):
        if pattern.search(sql):
            calls.append(sql)
            if len(calls) == on_call:
                terminate_backend(context["connection"])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield calls


@contextmanager
def failing_statement(verb: str, *, table: str, error: Exception | None = None):
    """Raise ``error`` (a disk I/O error by default) on the first ``verb`` statement
    ("DELETE", "UPDATE", "INSERT") on ``table``; yield the calls seen."""
    target = "into" if verb.upper() == "INSERT" else "from" if verb.upper() == "DELETE" else ""
    words = r"\s+".join([verb, *([target] if target else [])])
    pattern = re.compile(rf'^\s*{words}\s+[`"]?{table}\b', re.IGNORECASE)
    calls: list[str] = []

    def wrapper(execute, sql, params, many, context):
        if pattern.search(sql):
            calls.append(sql)
            raise error or DatabaseError("disk I/O error")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield calls
