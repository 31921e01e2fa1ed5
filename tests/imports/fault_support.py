"""Fault injection for tests: make the database fail a chosen write."""

import re
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, IntegrityError, OperationalError, connection

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
