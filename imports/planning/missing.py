"""The scope of ``cancelMissing`` (issue 29): "this file is the complete schedule of its
sessions, for its dates". Pure planning: what the run's rows say, no model, no query
(``database/missing.py`` reads and writes the interventions, ``engine/missing.py`` runs it).

The scope is the active interventions of the sessions that the file's valid rows name,
whose start lies between the first and the last day of those rows' starts (whole days in the
import's time zone) and that have not started yet. An intervention in the scope that no row
of the file names (by its GUID, on any row, a row with errors included) is missing.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

ACTIVE = "A"


@dataclass(frozen=True)
class Bounds:
    """The scope's sessions and time span: ``since <= start < until`` and ``start > now``."""

    sessions: frozenset[int]
    since: dt.datetime
    until: dt.datetime
    now: dt.datetime

    def holds(self, session_id: int, start: dt.datetime) -> bool:
        return session_id in self.sessions and self.since <= start < self.until and start > self.now


@dataclass
class MissingScope:
    """What the batches of one run tell of the scope, gathered as they go."""

    sessions: set[int] = field(default_factory=set)
    first: dt.datetime | None = None  # the earliest start of a valid row
    last: dt.datetime | None = None  # the latest
    valid_rows: int = 0
    # The GUID of every row of the file (a row with errors too; a row a fix skipped)
    file_guids: set[str] = field(default_factory=set)
    # The stored interventions the file's rows name, active before the run: where they were
    # (the guard's share counts those of them in the scope, as the database held them)
    named: dict[str, tuple[int, dt.datetime]] = field(default_factory=dict)

    def add_valid(self, session_id: int, start: dt.datetime) -> None:
        """A valid row (imported, or unchanged): its session and its start."""
        self.valid_rows += 1
        self.sessions.add(session_id)
        if self.first is None or start < self.first:
            self.first = start
        if self.last is None or start > self.last:
            self.last = start

    def add_named(self, guid: str, session_id: int, start: dt.datetime, status: str) -> None:
        """A stored intervention a row names, as the database held it before the run."""
        if status == ACTIVE:
            self.named[guid] = (session_id, start)

    def bounds(self, zone: ZoneInfo, now: dt.datetime) -> Bounds | None:
        """The scope's bounds; None when the file has no valid row (nothing is in it)."""
        if self.first is None or self.last is None:
            return None
        return Bounds(
            sessions=frozenset(self.sessions),
            since=day_start(self.first, zone),
            until=day_start(self.last, zone, days=1),
            now=now,
        )

    def named_in_scope(self, bounds: Bounds) -> int:
        """How many of the stored interventions the file names were active in the scope."""
        holds = bounds.holds
        return sum(1 for session_id, start in self.named.values() if holds(session_id, start))


def day_start(moment: dt.datetime, zone: ZoneInfo, days: int = 0) -> dt.datetime:
    """The start (00:00 in ``zone``) of ``moment``'s day there, ``days`` later, in UTC."""
    day = moment.astimezone(zone).date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


@dataclass(frozen=True)
class Share:
    """How many interventions a run cancels as missing, of the scope's active ones."""

    count: int
    scope: int
    limit: float  # CANCEL_MISSING_MAX_SHARE

    @property
    def too_many(self) -> bool:
        return self.count > 0 and self.count > self.limit * self.scope

    def percent(self) -> str:
        return percent(self.count / self.scope if self.scope else 1.0)

    def limit_percent(self) -> str:
        return percent(self.limit)


def percent(share: float) -> str:
    """``0.625`` as ``62.5 %``, ``0.5`` as ``50 %``."""
    value = round(share * 100, 1)
    return f"{value:g} %"
