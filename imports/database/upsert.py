"""A bulk upsert without the ORM's per-value overhead: ``INSERT ... ON CONFLICT DO UPDATE``.

``QuerySet.bulk_create(update_conflicts=True)`` writes the same statement, but prepares every
value of every object through the field API; at 100,000 rows that is most of an import's time.
Here the values are prepared by the caller (plain tuples), the statement text is built once
per size, and the rows go in multi-row ``VALUES`` lists within the backend's parameter limit.
The syntax is the same on SQLite (3.24+) and PostgreSQL, the two backends supported; on
PostgreSQL the rows go by ``COPY`` into a temporary table of the transaction, then one
``INSERT … SELECT … ON CONFLICT`` from it: the driver formats COPY's values in C (an
``UNNEST`` of arrays, as Django's bulk insert does, dumps them in Python: most of a large
upsert's time), and the statement has no parameter whatever the number of rows. That COPY
is binary (the types of the fields, ``set_types``): no date-time is written out as text and
parsed back, a quarter of the time of COPY's text format for the same rows.

``insert`` is the plain bulk insert of many rows (the admin preview's row outcomes): the same
multi-row ``VALUES`` on SQLite, ``COPY ... FROM STDIN`` on PostgreSQL (no statement to build
or parse, the values stream as text).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, Model

ROWS_PER_STATEMENT = 1_000
INSERT_CHUNK = 10_000  # rows held at a time by ``insert`` (SQLite)


@dataclass(frozen=True)
class Reported:
    """What an upsert is to say it did, row by row (PostgreSQL): the rows whose ``compare``
    values differ are updated, the others are left as they are; ``RETURNING`` names each row
    inserted or updated (``xmax = 0``: inserted)."""

    compare: Sequence[str]


def upsert(
    model: type[Model],
    fields: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    unique: str | None,
    update: Sequence[str] = (),
    report: Reported | None = None,
) -> dict[Any, bool]:
    """Insert ``rows`` (values of ``fields``, ready for the database) or update on ``unique``;
    with ``unique=None`` a plain insert. With ``report`` (PostgreSQL only): the ``unique``
    value of every row inserted (True) or updated (False); a row left out was the same."""
    if not rows:
        return {}
    if connection.vendor == "postgresql":
        if unique is None:
            _copy(model, fields, rows)
            return {}
        return _copy_upsert(model, fields, rows, unique, update, report)
    if report is not None:
        raise ValueError("An upsert reports what it did on PostgreSQL only.")
    per_statement = rows_per_statement(len(fields))
    statements: dict[int, str] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            if len(chunk) not in statements:
                source = _values(len(fields), len(chunk))
                statements[len(chunk)] = _statement(model, fields, source, unique, update)
            cursor.execute(statements[len(chunk)], [value for row in chunk for value in row])
    return {}


def _copy_upsert(
    model: type[Model],
    fields: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
    unique: str,
    update: Sequence[str],
    report: Reported | None,
) -> dict[Any, bool]:
    """PostgreSQL: COPY the rows into a temporary table of the transaction, then one
    ``INSERT … SELECT … ON CONFLICT`` from it. The same statement as ``upsert``'s, fed by
    COPY (its values formatted by the driver's C code) instead of arrays (whose dumping is
    Python's, most of a large upsert's time)."""
    temp = connection.ops.quote_name(f"upsert_{model._meta.db_table}")
    columns = ", ".join(_column(model, name) for name in fields)
    db_types = [str(_concrete(model, name).db_type(connection)) for name in fields]
    typed = ", ".join(
        f"{_column(model, name)} {db_type}" for name, db_type in zip(fields, db_types, strict=True)
    )
    copy_types = [db_type.split("(")[0] for db_type in db_types]  # varchar(40) -> varchar
    statement = _statement(model, fields, f"SELECT {columns} FROM {temp}", unique, update)  # noqa: S608
    if report is not None:
        statement += _reporting(model, unique, report)
    # No savepoint of its own: a run rolled back to its savepoint (a deadlock, in a confirm's
    # transaction) must leave nothing that another import would still wait for, and the
    # locks of a savepoint released into it were seen to outlive that rollback.
    if connection.get_autocommit():  # the temporary table lives as long as a transaction
        with transaction.atomic():
            return _copy_upsert(model, fields, rows, unique, update, report)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {temp} ({typed}) ON COMMIT DROP")
        cursor.execute(f"TRUNCATE {temp}")
        with cursor.cursor.copy(f"COPY {temp} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(copy_types)
            for row in rows:
                copy.write_row(row)
        cursor.execute(statement)
        return dict(cursor.fetchall()) if report is not None else {}


def _reporting(model: type[Model], unique: str, report: Reported) -> str:
    """Update only what differs, and say what was done to each row written."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [_column(model, name) for name in report.compare]
    stored = ", ".join(f"{table}.{column}" for column in columns)
    given = ", ".join(f"EXCLUDED.{column}" for column in columns)
    return (
        f" WHERE ROW({stored}) IS DISTINCT FROM ROW({given})"
        f" RETURNING {table}.{_column(model, unique)}, ({table}.xmax = 0)"
    )


def insert(model: type[Model], fields: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert ``rows`` (values of ``fields``, ready for the database; any iterable, consumed
    once): COPY on PostgreSQL, ``upsert`` without conflict target elsewhere."""
    if connection.vendor == "postgresql":
        _copy(model, fields, rows)
        return
    rows = iter(rows)
    while chunk := list(islice(rows, INSERT_CHUNK)):
        upsert(model, fields, chunk, unique=None)


def _concrete(model: type[Model], name: str) -> Field:
    """The model's concrete field ``name`` (a column of its table)."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field


def _column(model: type[Model], name: str) -> str:
    column = _concrete(model, name).column
    return connection.ops.quote_name(column or name)


def _copy(model: type[Model], fields: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    meta, quote = model._meta, connection.ops.quote_name
    columns = ", ".join(_column(model, name) for name in fields)
    statement = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def rows_per_statement(width: int) -> int:
    limit = connection.features.max_query_params
    return min(ROWS_PER_STATEMENT, limit // width) if limit else ROWS_PER_STATEMENT


def _statement(
    model: type[Model],
    fields: Sequence[str],
    source: str,
    unique: str | None,
    update: Sequence[str],
) -> str:
    """``INSERT INTO table (fields) <source>``, with ``ON CONFLICT (unique) DO UPDATE``."""
    meta, quote = model._meta, connection.ops.quote_name
    columns = [_column(model, name) for name in fields]
    updated = [_column(model, name) for name in update]
    insert = f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) {source}"  # noqa: S608
    if unique is None:
        return insert
    return f"{insert} ON CONFLICT ({_column(model, unique)}) DO UPDATE SET " + ", ".join(
        f"{column} = EXCLUDED.{column}" for column in updated
    )


def _values(width: int, count: int) -> str:
    """``count`` rows of ``width`` parameters."""
    row = "(" + ", ".join(["%s"] * width) + ")"
    return "VALUES " + ", ".join([row] * count)
