"""cancelMissing's reads and writes (issue 29): the active interventions of a scope
(``planning/missing.Bounds``), described for the result, and cancelled (status cancelled,
never deleted) with their values before, for the journal.

A real run locks the interventions it cancels (PostgreSQL: ``FOR NO KEY UPDATE``, in GUID
order) with the scope's conditions read again: one another import changed meanwhile (moved
out of the scope, cancelled) is left as it is, and one it created after this run read the
scope is never seen, so never cancelled.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from imports.parsing.fields import STORED_VALUES
from imports.planning.missing import ACTIVE, Bounds
from imports.planning.references import ExistingIntervention
from training.models import Intervention

from .fetch import fetch_tuples
from .lookups import chunks

# An intervention's status as cancelled (a job's status is only written by jobs/states.py,
# which tests/imports/jobs/test_job_states.py checks by the keyword ``status=``).
CANCELLED = {"status": "C"}


@dataclass(frozen=True)
class Missing:
    """An intervention in the scope that the file does not name, as a message names it."""

    id: int
    guid: str
    session: str
    start: dt.datetime
    minutes: int
    teacher: str
    room: str

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=self.minutes)


def _in_scope(bounds: Bounds) -> QuerySet[Intervention]:
    return Intervention.objects.filter(
        status=ACTIVE,
        start__gte=bounds.since,
        start__lt=bounds.until,
        start__gt=bounds.now,
    ).order_by()


def load_scope(bounds: Bounds, *, written_at: Sequence[dt.datetime] = ()) -> list[tuple[int, str]]:
    """The (id, GUID) of the scope's active interventions, but for those this run wrote
    (their time stamp is one of ``written_at``: rows of the file); one query per 5,000
    sessions."""
    found: list[tuple[int, str]] = []
    query = _in_scope(bounds)
    if written_at:
        query = query.exclude(updated_at__in=list(written_at))
    for chunk in chunks(sorted(bounds.sessions)):
        found += fetch_tuples(query.filter(session_id__in=chunk).values_list("id", "guid"))
    return found


def describe(ids: Iterable[int]) -> list[Missing]:
    """The interventions ``ids`` with their session, teacher and room named, in GUID order."""
    columns = ("id", "guid", "session__guid", "start", "duration_minutes", "teacher__login")
    found: list[Missing] = []
    for chunk in chunks(sorted(ids)):
        query = Intervention.objects.filter(id__in=chunk).order_by()
        found += [Missing(*row) for row in fetch_tuples(query.values_list(*columns, "room__guid"))]
    return sorted(found, key=lambda missing: missing.guid)


def cancel(
    missing: list[Missing], bounds: Bounds, *, now: dt.datetime
) -> list[tuple[str, ExistingIntervention]]:
    """Cancel ``missing`` (status cancelled, time stamp ``now``), those still active in the
    scope when locked; returns each one cancelled with its values before (GUID order)."""
    before: list[tuple[str, ExistingIntervention]] = []
    lock = connection.vendor == "postgresql"
    for chunk in chunks([m.id for m in missing]):
        query = _in_scope(bounds).filter(id__in=chunk, session_id__in=sorted(bounds.sessions))
        if lock:
            query = query.select_for_update(no_key=True).order_by("guid")
        rows = fetch_tuples(query.values_list("guid", "id", *STORED_VALUES, "updated_at"))
        found = [(row[0], ExistingIntervention(*row[1:])) for row in rows]
        before += found
        ids = [old.id for _, old in found]
        if ids:
            Intervention.objects.filter(id__in=ids).update(**CANCELLED, updated_at=now)
    return sorted(before, key=lambda item: item[0])
