"""A job's calendar: what its file does to each intervention of one week (created, changed,
moved, cancelled, cancelled as missing, left as it is), as ``calendar_grid.Block``s.

A row's place is where the file puts it: a new row's start and an update's new start are
kept on the row (``ImportJobRow.start_epoch``, its old start ``old_start_epoch``), any other
row is where its intervention is. So one query finds the week's rows (those of the job, by
its index), and a few more read their interventions, sessions, rooms and schedule conflicts:
only the week's rows are read and shaped. Reading only.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from imports.jobs.models import ImportJob, ImportJobRow
from imports.jobs.service import BOOKED_CODES, CONFLICT_CODES
from imports.parsing.durations import hours_text
from imports.parsing.moments import stored_moment
from imports.parsing.shown_moments import moment_text
from training.models import Intervention, Room, Session

from .calendar_grid import Block, Week, conflict_text

# The block state (``data-state``) of a job row's outcome: the one place that maps them. A
# row whose intervention ends cancelled by the file is "cancelled" whatever its outcome.
OUTCOME_STATES: dict[str, str] = {
    "new": "new",
    "updated": "updated",
    "unchanged": "unchanged",
    # Issue 29 §1: the outcome of an intervention the file, complete, leaves out, when it
    # lands: "<its outcome>": "cancelled-missing",
}
CANCELLED = "cancelled"
CANCELLED_MISSING = "cancelled-missing"
# Issue 29 §1 keeps each intervention a complete file cancels as missing as a problem of the
# job (no line; its GUID the value) under this code (parsing/messages.CANCELLED_MISSING): the
# calendar draws it where it is, "cancelled-missing".
MISSING_CODE = "cancelled_missing"
ACTIVE, CANCELLED_STATUS = Intervention.Status.ACTIVE.value, Intervention.Status.CANCELLED.value
# What an update names (``ImportJobRow.changes``), as the calendar says it.
FIELD_WORDS = {
    "session": gettext_noop("session"),
    "duration_minutes": gettext_noop("duration"),
    "room": gettext_noop("room"),
    "teacher": gettext_noop("teacher"),
    "status": gettext_noop("status"),
}
RESOURCE_OF_COLUMN = {"teacherLogin": "teacher", "roomGuid": "room"}
RESOURCE_WORDS = {"teacher": gettext_lazy("teacher"), "room": gettext_lazy("room")}
STATE_WORDS = {
    "unchanged": gettext_lazy("left as it is"),
    CANCELLED_MISSING: gettext_lazy("cancelled: missing from the complete schedule"),
}


@dataclass
class Values:
    """An intervention's values as the calendar reads them (a row's, or the database's)."""

    start: dt.datetime
    minutes: int
    status: str
    session: str
    room: str
    teacher: str

    def with_changes(self, changes: Iterable[Any], index: int) -> "Values":
        """These values with an update's old (``index`` 1) or new (2) ones."""
        values = Values(**vars(self))
        for change in changes:
            name, value = change[0], change[index]
            if name == "start":
                values.start = stored_moment(value) or values.start
            elif name == "duration_minutes":
                values.minutes = int(value)
            elif name in ("status", "session", "room", "teacher"):
                setattr(values, name, str(value))
        return values


def epoch(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def from_epoch(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def placed_rows(job: ImportJob) -> QuerySet[ImportJobRow]:
    """The job's rows that have a place (not the rows with errors), each with its
    intervention's start (``current_start``)."""
    current = Intervention.objects.filter(guid=OuterRef("guid")).values("start")[:1]
    return job.rows.exclude(outcome="error").annotate(current_start=Subquery(current))


def week_rows(job: ImportJob, week: Week) -> QuerySet[ImportJobRow]:
    """The rows placed in ``week``: where the file puts them or where they were."""
    first, last = epoch(week.start), epoch(week.end)
    return placed_rows(job).filter(
        Q(start_epoch__gte=first, start_epoch__lt=last)
        | Q(old_start_epoch__gte=first, old_start_epoch__lt=last)
        | Q(start_epoch__isnull=True, current_start__gte=week.start, current_start__lt=week.end)
    )


def job_span(job: ImportJob) -> tuple[dt.datetime, dt.datetime] | None:
    """The first and the last start of the job's rows, None when no row has a place."""
    rows = job.rows.exclude(outcome="error")
    kept = rows.aggregate(
        first=Min("start_epoch"),
        last=Max("start_epoch"),
        old_first=Min("old_start_epoch"),
        old_last=Max("old_start_epoch"),
    )
    stored = Intervention.objects.filter(
        Q(guid__in=rows.filter(start_epoch__isnull=True).values("guid"))
        | Q(guid__in=_missing_guids(job))
    ).aggregate(first=Min("start"), last=Max("start"))
    firsts = [from_epoch(kept[k]) for k in ("first", "old_first") if kept[k] is not None]
    lasts = [from_epoch(kept[k]) for k in ("last", "old_last") if kept[k] is not None]
    firsts += [stored["first"]] if stored["first"] else []
    lasts += [stored["last"]] if stored["last"] else []
    return (min(firsts), max(lasts)) if firsts else None


def job_blocks(job: ImportJob, week: Week, limit: int | None = None) -> list[Block]:
    """The blocks of the week's rows (the first ``limit`` of the file, when given), and of
    the interventions of the database they are in conflict with."""
    rows = week_rows(job, week)
    fields = ("line", "guid", "outcome", "changes", "start_epoch")
    found = list((rows[:limit] if limit else rows).values_list(*fields))
    guids: Any = [guid for _line, guid, *_rest in found] if limit else rows.values("guid")
    lines: Any = [line for line, *_rest in found] if limit else rows.values("line")
    stored = _stored(Intervention.objects.filter(guid__in=guids))
    conflicts = _conflicts(job, lines)
    partners = {
        other
        for listed in conflicts.values()
        for _code, _resource, _booked, other, other_line in listed
        if other and other_line is None
    } - {guid for _line, guid, *_ in found}
    in_week = Intervention.objects.filter(
        guid__in=sorted(partners), start__gte=week.start, start__lt=week.end
    )
    partner_values = _stored(in_week) if partners else {}
    missing_in_week = Intervention.objects.filter(
        guid__in=_missing_guids(job), start__gte=week.start, start__lt=week.end
    ).order_by("start", "guid")
    missing = _stored(missing_in_week[:limit] if limit else missing_in_week)
    names = _Names(job, found, [*stored.values(), *partner_values.values(), *missing.values()])
    words = Words(week)
    blocks = []
    for line, guid, outcome, changes, start_epoch in found:
        block = _block(line, guid, outcome, changes, start_epoch, stored.get(guid), words)
        if block is not None:
            _conflict_words(block, conflicts.get(line, []))
            blocks.append(names.named(block))
    for guid, values in partner_values.items():
        block = _block_of(guid, values, "unchanged", _("in the database, not in the file"))
        block.in_file = False
        _partner_words(block, guid, conflicts)
        blocks.append(names.named(block))
    for guid, values in missing.items():
        said = words.state(CANCELLED_MISSING)
        blocks.append(names.named(_block_of(guid, values, CANCELLED_MISSING, said)))
    return blocks


def _missing_guids(job: ImportJob) -> QuerySet:
    """The GUIDs of the interventions the job's file cancels as missing (issue 29 §1)."""
    return job.errors.filter(code=MISSING_CODE, line__isnull=True).values("value")


def _stored(interventions: QuerySet[Intervention]) -> dict[str, Values]:
    fields = (
        "guid",
        "start",
        "duration_minutes",
        "status",
        "session__guid",
        "room__guid",
        "teacher__login",
    )
    return {
        guid: Values(start, minutes, status, session, room, teacher)
        for guid, start, minutes, status, session, room, teacher in interventions.values_list(
            *fields
        )
    }


def _block(
    line: int,
    guid: str,
    outcome: str,
    changes: list,
    start_epoch: int | None,
    stored: Values | None,
    words: "Words",
) -> Block | None:
    state = OUTCOME_STATES.get(outcome)
    if state == "new":
        if len(changes) != 6:
            return None
        session, start, minutes, room, teacher, status = changes
        moment = from_epoch(start_epoch) if start_epoch is not None else stored_moment(start)
        if moment is None:
            return None
        values = Values(moment, int(minutes), str(status), session, room, teacher)
        cancelled = values.status == CANCELLED_STATUS
        said = words.created_cancelled if cancelled else words.created
        block = _block_of(guid, values, CANCELLED if cancelled else "new", said)
    elif stored is None or state is None:
        return None  # an intervention deleted since, or an outcome without a place
    elif state == "updated":
        block = _updated(guid, changes, stored, words)
    else:
        block = _block_of(guid, stored, state, words.state(state))
    block.line = line
    return block


def _updated(guid: str, changes: list, stored: Values, words: "Words") -> Block:
    """An update: its values now, its old place when it moves or changes its length."""
    new, old = stored.with_changes(changes, 2), stored.with_changes(changes, 1)
    cancelled = new.status == CANCELLED_STATUS and old.status != CANCELLED_STATUS
    if cancelled:
        said = words.cancelled
    elif new.start != old.start:
        said = words.moved_from % {"place": words.place(old.start)}
    else:
        said = words.changed
    block = _block_of(guid, new, CANCELLED if cancelled else "updated", said)
    block.changes = [
        words.change(name, old_value, new_value)
        for name, old_value, new_value in changes
        if name in FIELD_WORDS
    ]
    if (old.start, old.minutes) != (new.start, new.minutes):
        block.old_start, block.old_minutes = old.start, old.minutes
    block.old_teacher, block.old_room = old.teacher, old.room
    return block


class Words:
    """The words of a page's blocks, translated once for all of them (a busy week holds
    thousands)."""

    def __init__(self, week: Week) -> None:
        self.zone = week.zone
        self.created = _("created")
        self.created_cancelled = _("created, cancelled")
        self.cancelled = _("cancelled")
        self.changed = _("changed")
        self.moved_from = _("moved from %(place)s")
        self.fields = {name: _(word) for name, word in FIELD_WORDS.items()}
        self.states = {state: str(word) for state, word in STATE_WORDS.items()}
        self._places: dict[dt.datetime, str] = {}
        self._hours: dict[str, str] = {}

    def state(self, state: str) -> str:
        return self.states.get(state, "")

    def place(self, moment: dt.datetime) -> str:
        """A moment of the week's zone as every page shows one (``shown_moments``)."""
        text = self._places.get(moment)
        if text is None:
            local = moment.astimezone(self.zone)
            text = self._places[moment] = moment_text(local)
        return text

    def change(self, name: str, old: object, new: object) -> str:
        """``room R-101 → R-102``; durations in hours (``3 → 1.5``)."""
        if name == "duration_minutes":
            old, new = self._duration(old), self._duration(new)
        return f"{self.fields[name]} {old} \u2192 {new}"

    def _duration(self, minutes: object) -> str:
        key = str(minutes)
        text = self._hours.get(key)
        if text is None:
            text = self._hours[key] = hours_text(int(key)) if key.isdigit() else key
        return text


def _block_of(guid: str, values: Values, state: str, words: str) -> Block:
    return Block(
        guid=guid,
        state=state,
        start=values.start,
        minutes=values.minutes,
        title=values.session,
        teacher=values.teacher,
        room=values.room,
        room_label=values.room,
        cancelled=values.status == CANCELLED_STATUS or state == CANCELLED_MISSING,
        words=words,
    )


Conflict = tuple[str, str, str, str, int | None]  # code, resource, booked, other, other's line


def _conflicts(job: ImportJob, lines: Any) -> dict[int, list[Conflict]]:
    """The schedule conflicts the job stored for the week's rows (``lines``: theirs, a list
    or a query), by line."""
    found: dict[int, list[Conflict]] = defaultdict(list)
    problems = job.errors.filter(code__in=CONFLICT_CODES, line__in=lines)
    for line, code, column, value, other, other_line in problems.order_by("line", "pk").values_list(
        "line", "code", "column", "value", "conflicts_with", "conflicts_with_line"
    ):
        if line is not None:
            resource = RESOURCE_OF_COLUMN.get(column, column)
            found[line].append((code, resource, value, other, other_line))
    return found


def _conflict_words(block: Block, conflicts: list[Conflict]) -> None:
    resources: list[str] = []
    for code, resource, booked, other, other_line in conflicts:
        resources += [resource] if resource not in resources else []
        if code not in BOOKED_CODES:
            block.conflicts.append(
                _("Conflict: more bookings of this %(resource)s, not listed")
                % {"resource": RESOURCE_WORDS.get(resource, resource)}
            )
            continue
        where = (
            _("line %(line)s") % {"line": other_line}
            if other_line is not None
            else _("in the database")
        )
        block.conflicts.append(
            _("Conflict: %(resource)s %(booked)s is also booked by %(other)s (%(where)s)")
            % {
                "resource": RESOURCE_WORDS.get(resource, resource),
                "booked": booked,
                "other": other,
                "where": where,
            }
        )
    block.conflict = conflict_text(resources)


def _partner_words(block: Block, guid: str, conflicts: dict[int, list[Conflict]]) -> None:
    """A database intervention in conflict with rows of the file: which rows."""
    resources: list[str] = []
    for line, listed in sorted(conflicts.items()):
        for code, resource, booked, other, _other_line in listed:
            if other != guid or code not in BOOKED_CODES:
                continue
            resources += [resource] if resource not in resources else []
            block.conflicts.append(
                _("Conflict: %(resource)s %(booked)s is also booked by line %(line)s")
                % {
                    "resource": RESOURCE_WORDS.get(resource, resource),
                    "booked": booked,
                    "line": line,
                }
            )
    block.conflict = conflict_text(resources)


class _Names:
    """Session titles and room labels of the week's blocks, read once: the file's label of a
    room it creates or changes (``ImportJob.rooms``), else the room's own."""

    def __init__(self, job: ImportJob, rows: list, stored: list[Values]) -> None:
        sessions, rooms = set(), set()
        for values in stored:
            sessions.add(values.session)
            rooms.add(values.room)
        for _line, _guid, outcome, changes, _start in rows:
            if outcome == "new" and len(changes) == 6:
                sessions.add(str(changes[0]))
                rooms.add(str(changes[3]))
            elif outcome == "updated":
                for name, old, new in changes:
                    target = sessions if name == "session" else rooms if name == "room" else None
                    if target is not None:
                        target.update((str(old), str(new)))
        self.titles = dict(
            Session.objects.filter(guid__in=sorted(sessions)).values_list("guid", "title")
        )
        self.labels = dict(Room.objects.filter(guid__in=sorted(rooms)).values_list("guid", "label"))
        self.labels.update({room["guid"]: room["label"] for room in job.rooms or []})

    def named(self, block: Block) -> Block:
        block.title = self.titles.get(block.title) or block.title
        block.room_label = self.labels.get(block.room) or block.room
        return block
