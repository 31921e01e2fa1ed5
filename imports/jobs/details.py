"""A run's details as a job keeps them: its rows (``ImportJobRow``) and problems
(``ImportJobError``), one bulk insert each (``store_details``), its counts (``counts``,
``room_fields``), and the outcome digest computed on the way (``outcome_digest``): a confirm
writes only when its outcome is the preview's (``same_outcome``).

The engine keeps an update's old session, room and teacher as ids; they are named here, one
query per table for the whole run (``lookups.old_key_names``), where the rows are written as
they are stored and digested (``row_values``). A confirm keeps no row: its run hands each
batch to a ``DigestSink``, which names, writes and hashes the batch's rows the same way.
"""

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from json.encoder import encode_basestring_ascii
from typing import Any

from django.db.models import CharField, Model

from imports.database.lookups import old_key_names
from imports.database.upsert import insert
from imports.engine.heap import older_objects_frozen
from imports.parsing.messages import storable_parts
from imports.parsing.moments import stored_moment
from imports.parsing.results import ImportResult, Outcome, RowChange, RowError
from imports.parsing.storable import storable_json, storable_text

from .models import ImportJob, ImportJobError, ImportJobRow

RowValues = tuple[int, str, str, str]
KeyNames = dict[str, dict[int, str]]  # a key field's old ids -> GUID or login (lookups)
JOB_ROW_FIELDS = (
    "job",
    "line",
    "guid",
    "outcome",
    "changes",
    "cells",
    "start_epoch",
    "old_start_epoch",
)
JOB_ERROR_FIELDS = (
    "job",
    "line",
    "column",
    "value",
    "message",
    "level",
    "file_level",
    "code",
    "conflicts_with",
    "conflicts_with_line",
    "suggestion",
    "params",
)
DIGEST_VERSION = "v3:"
V2_DIGEST = "v2:"  # before new rows stored what they write (their changes were empty)
DIGEST_LENGTH = 64  # ImportJob.outcome_digest
CHUNK = 10_000  # rows prepared (digested, stored) at a time: memory stays small
NO_CHANGES = "[]"
EPOCHS_CACHED = 16_384  # distinct starts converted once (a year of a large schedule's slots)
OUTCOME_TEXT = {outcome: outcome.value for outcome in Outcome}
_encode_changes = json.JSONEncoder(default=str).encode
_quote = encode_basestring_ascii


def outcome_digest(result: ImportResult, version: str = DIGEST_VERSION) -> str:
    """A fingerprint of what the run decides for every row (rooms excluded): line, GUID,
    outcome and changes as stored (``row_values``: what an update changes, its old keys
    named; what a new row writes), then the file problems, then the GUIDs cancelled as
    missing (cancelMissing). ``v3:`` + SHA-256 (hex, cut to the field's 64 characters)."""
    digest = hashlib.sha256()
    names = old_key_names(result.rows)
    for values in _value_chunks(result.rows, names):
        _digest_rows(digest, values)
    return _digest_text(digest, result, version)


class DigestSink:
    """The outcome digest made batch by batch as a run goes (the engine's ``row_sink``): the
    confirm's, which then keeps no row. Each batch's old keys are named with one query per
    table (none when no update of the batch changes a key), its rows written as they are
    stored and hashed; the digest is ``outcome_digest``'s, character for character, so the
    preview's stored one compares with it (``text``)."""

    def __init__(self) -> None:
        self.digest = hashlib.sha256()

    def restart(self) -> None:
        self.digest = hashlib.sha256()

    def rows(self, changes: list[RowChange]) -> None:
        _digest_rows(self.digest, row_values(changes, old_key_names(changes)))

    def text(self, result: ImportResult) -> str:
        """The digest, once the run is over (its file problems, what it cancels)."""
        return _digest_text(self.digest.copy(), result)


def same_outcome(stored: str, result: ImportResult) -> bool:
    """Whether ``result`` decides what the preview whose digest is ``stored`` decided."""
    if stored.startswith(DIGEST_VERSION):
        return outcome_digest(result) == stored
    earlier = without_new_values(result)
    if stored.startswith(V2_DIGEST):
        return outcome_digest(earlier, version=V2_DIGEST) == stored
    return legacy_outcome_digest(earlier) == stored  # a preview stored before the v2 digest


def without_new_values(result: ImportResult) -> ImportResult:
    """``result`` as a preview stored before new rows listed what they write (``v2:`` and
    the first digest) saw it: new rows without changes."""
    rows = [
        RowChange(row.line, row.guid, row.outcome) if row.written else row for row in result.rows
    ]
    return replace(result, rows=rows)


def legacy_outcome_digest(result: ImportResult) -> str:
    """The first digest (plain SHA-256 of one JSON list per row), for previews stored before
    ``v2:``; they expire after ``PREVIEW_MAX_AGE_HOURS``, this can go after that."""
    digest = hashlib.sha256()
    names = old_key_names(result.rows)
    for row in result.rows:
        changes = _named(row.changes, names) if names else row.changes
        item = [row.line, row.guid, row.outcome.value, [list(c) for c in changes]]
        digest.update(json.dumps(item, default=str).encode())
        digest.update(b"\n")
    for problem in result.file_errors:
        digest.update(problem.message.encode())
    return digest.hexdigest()


def row_values(rows: Sequence[RowChange], names: KeyNames | None = None) -> list[RowValues]:
    """(line, GUID, outcome, changes as JSON) of each row: what is stored. The changes text
    is ``json.dumps`` of ``[[field, old, new], ...]`` for an update (``changes_text``, the
    old keys named by ``names``: ``lookups.old_key_names``); for a new row, the flat list of
    what it writes (``written_text``)."""
    encode, text, written = changes_text, OUTCOME_TEXT, written_text
    names = names or {}
    return [
        (
            row.line,
            row.guid,
            text[row.outcome],
            encode(row.changes, names)
            if row.changes
            else (written(row.written) if row.written else NO_CHANGES),
        )
        for row in rows
    ]


def changes_text(changes: tuple, names: KeyNames | None = None) -> str:
    """An update's ``[[field, old, new], ...]`` as ``json.dumps(changes, default=str)`` writes
    it, character for character, each old key (an id) named first by ``names`` (its GUID or
    login; the id as text when it is gone). Values that are all text (times as ISO text, keys
    named) are written by hand with the JSON module's string quoting: three times faster than
    the encoder, which builds itself at every call; any other value goes through the
    encoder."""
    quote, parts = _quote, []
    for field, old, new in changes:
        if type(old) is int and names and field in names:
            old = str(names[field].get(old, old))
        if type(old) is not str or type(new) is not str:
            return _encode_changes(_named(changes, names) if names else changes)
        parts.append(f"[{quote(field)}, {quote(old)}, {quote(new)}]")
    return "[" + ", ".join(parts) + "]"


def _named(changes: tuple, names: KeyNames) -> tuple:
    """``changes`` with each old key's id replaced by its name (the id as text when gone)."""
    if not any(type(old) is int and field in names for field, old, _new in changes):
        return changes
    return tuple(
        (field, str(names[field].get(old, old)), new)
        if type(old) is int and field in names
        else (field, old, new)
        for field, old, new in changes
    )


def written_text(values: tuple) -> str:
    """What a new row writes as a JSON list: ``["SE-1", "2027-03-10T09:00:00+01:00", 3,
    "R-101", "jdoe", "A"]`` (``fields.STORED_FIELDS`` order). Written by hand with the JSON
    module's own string quoting: four times faster than the encoder on 100,000 rows."""
    session, start, hours, room, teacher, status = values
    return (
        f'[{_quote(session)},"{start.isoformat()}",{int(hours)},'
        f"{_quote(room)},{_quote(teacher)},{_quote(status)}]"
    )


def _value_chunks(rows: list[RowChange], names: KeyNames) -> Iterator[list[RowValues]]:
    for start in range(0, len(rows), CHUNK):
        yield row_values(rows[start : start + CHUNK], names)


def _digest_rows(digest: "hashlib._Hash", values: list[RowValues]) -> None:
    # repr(guid): quoted and escaped, so no GUID can pass for the separators.
    text = "".join(
        [f"{line}\t{guid!r}\t{outcome}\t{changes}\n" for line, guid, outcome, changes in values]
    )
    digest.update(text.encode())


def _digest_text(
    digest: "hashlib._Hash", result: ImportResult, version: str = DIGEST_VERSION
) -> str:
    for problem in result.file_errors:
        digest.update(problem.message.encode())
    if result.cancelled_missing:  # cancelMissing: which interventions it cancels
        digest.update(("\tcancelled:" + "\t".join(result.cancelled_missing)).encode())
    return (version + digest.hexdigest())[:DIGEST_LENGTH]


def counts(result: ImportResult) -> dict[str, Any]:
    """The job fields that hold a result's counts."""
    return {
        "new": result.new,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "error_rows": result.error_rows,
        "cancelled_missing": len(result.cancelled_missing),
        "seconds": result.seconds,
        **room_fields(result),
    }


def room_fields(result: ImportResult) -> dict[str, Any]:
    """The job fields of the rooms a result creates or changes: counts and details."""
    created = sum(1 for room in result.rooms if room.created)
    return {
        "rooms_created": created,
        "rooms_updated": len(result.rooms) - created,
        "rooms": storable_json([room.as_dict() for room in result.rooms]),
    }


def store_details(job: ImportJob, result: ImportResult) -> str:
    """Replace the job's rows (``ImportJobRow``) and problems (``ImportJobError``); return the
    outcome digest (``outcome_digest``), computed on the way.

    A preview of 100,000 rows stores 100,000 outcomes: plain tuples streamed to one bulk
    insert (``upsert.insert``: COPY on PostgreSQL, where the server stores a chunk while the
    next one is prepared), not model objects. The result's rows are left out of the garbage
    collector's full passes meanwhile (``heap.older_objects_frozen``): they all live on, and
    a pass over them cost 0.07 s in a 100,000-row preview."""
    job.rows.all().delete()
    job.errors.all().delete()
    digest = hashlib.sha256()
    names = old_key_names(result.rows)
    with older_objects_frozen():
        insert(ImportJobRow, JOB_ROW_FIELDS, _job_rows(job.pk, result, digest, names))
        insert(ImportJobError, JOB_ERROR_FIELDS, _job_errors(job.pk, result))
    return _digest_text(digest, result)


def _job_rows(
    job_id: int, result: ImportResult, digest: "hashlib._Hash", names: KeyNames
) -> Iterator[tuple]:
    """The rows to store, chunk by chunk (old keys named by ``names``); each chunk also goes
    into ``digest``. A row without
    an error passed every check of its cells (no NUL, no lone surrogate, a GUID of 40
    characters at most): it is stored as it is. A failing row's GUID and cells are the file's
    as they were: their stored copy goes through ``storable``."""
    cells, error = result.error_cells, Outcome.ERROR.value
    rows = result.rows
    for first in range(0, len(rows), CHUNK):
        chunk = rows[first : first + CHUNK]
        values = row_values(chunk, names)
        _digest_rows(digest, values)
        yield from [
            (job_id, line, guid, outcome, changes, None, *places(row))
            if outcome != error
            else (
                job_id,
                line,
                _short(guid, "guid"),
                outcome,
                changes,
                _cells(cells, line),
                None,
                None,
            )
            for row, (line, guid, outcome, changes) in zip(chunk, values, strict=True)
        ]


NO_PLACES = (None, None)


def places(row: RowChange) -> tuple[int | None, int | None]:
    """(start, old start) of a row as ``ImportJobRow.start_epoch`` and ``old_start_epoch``
    keep them: a new row's start; an update that changes the start, the new and the old
    one; any other row, none (its intervention's own start is its place). A schedule has
    few distinct starts: each is converted once (``_start_epoch``, ``_epoch``)."""
    if row.written:
        return _start_epoch(row.written[1]), None
    for field, old, new in row.changes:
        if field == "start":
            return _epoch(str(new)), _epoch(str(old))
    return NO_PLACES


@functools.lru_cache(maxsize=EPOCHS_CACHED)
def _start_epoch(start: dt.datetime) -> int:
    return int(start.timestamp())


@functools.lru_cache(maxsize=EPOCHS_CACHED)
def _epoch(value: str) -> int | None:
    moment = stored_moment(value)
    return None if moment is None else int(moment.timestamp())


def _cells(error_cells: dict[int, list[str]], line: int) -> str:
    return json.dumps(storable_json(error_cells[line]))


def _length(model: type[Model], field: str) -> int | None:
    column = model._meta.get_field(field)
    return column.max_length if isinstance(column, CharField) else None


# The lengths of the job's columns that keep a file's text (read once, not per stored row).
LIMITS = {
    name: _length(model, name)
    for model, names in (
        (ImportJobRow, ("guid",)),
        (ImportJobError, ("column", "conflicts_with", "suggestion")),
    )
    for name in names
}


def _short(text: str, field: str) -> str:
    """``text`` storable in the job's column ``field`` (cut to its length, with a mark)."""
    return storable_text(text, limit=LIMITS[field])


def _job_errors(job_id: int, result: ImportResult) -> list[tuple]:
    problems = [(p, True) for p in result.file_errors]
    problems += [(p, False) for p in result.warnings + result.errors]
    return [
        (
            job_id,
            p.line,
            _short(p.column or "", "column"),
            storable_text(p.value or ""),
            storable_text(p.message),
            p.level,
            file_level,
            p.code,
            _short(p.conflicts_with, "conflicts_with"),
            p.conflicts_with_line,
            _short(p.suggestion, "suggestion"),
            _params(p),
        )
        for p, file_level in problems
    ]


def _params(problem: RowError) -> str | None:
    """What the problem's message is made of, as JSON text (``ImportJobError.params``)."""
    params = storable_parts(problem.parts, problem.code)
    return None if params is None else json.dumps(storable_json(params))
