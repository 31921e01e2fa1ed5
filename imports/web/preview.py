"""The summaries of a job page: errors grouped by message and column, and the rooms section.

Errors: one query groups the job's row errors by (message, column) with their counts, the
largest first, at most ``GROUPS_SHOWN`` groups; each links the error list filtered on it
(``error_filters``), by its English message as stored, and shows it in the reader's language
(``ErrorGroup.text``). Rooms: the rooms the run creates or changes, as the job service stored
them (``ImportJob.rooms``, from the engine's ``RoomPlan``), at most ``ROOMS_SHOWN`` a list.
Reading only.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django.utils.http import urlencode

from imports.jobs.models import ImportJob, ImportJobError
from imports.jobs.service import FixScope, fix_scope
from imports.parsing.messages import CANCELLED_MISSING, render, stored_parts

GROUPS_SHOWN = 50
ROOMS_SHOWN = 200
CANCELLED_SHOWN = 200
FILTERS = ("view", "q", "outcome", "message", "column")


@dataclass(frozen=True)
class ErrorGroup:
    message: str  # as stored, in English: the group's key (its query, its fix)
    column: str
    count: int
    query: str  # the error list filtered on this group (a query string, without "?")
    value: str = ""  # the value its rows share (a fix replaces it or skips them)
    suggestion: str = ""  # "Did you mean": the fix's proposed value
    scope: str = FixScope.ROWS  # the rows its fix acts on, and what it offers (FixScope)
    text: str = ""  # the message in the reader's language (messages.render)

    @property
    def moves(self) -> bool:
        """A schedule conflict: its fix moves the rows to another room or teacher."""
        return self.scope == FixScope.MOVE

    @property
    def resource(self) -> str:
        """What a move changes: the room or the teacher."""
        return "room" if self.column == "roomGuid" else "teacher"


@dataclass(frozen=True)
class ErrorGroups:
    groups: list[ErrorGroup]
    more: bool  # more than GROUPS_SHOWN groups


@dataclass(frozen=True)
class RoomsSection:
    created: list[dict[str, Any]]
    updated: list[dict[str, Any]]
    created_count: int
    updated_count: int
    more_created: int
    more_updated: int


@dataclass(frozen=True)
class CancelledSection:
    """The interventions the run cancels as missing (cancelMissing): the first
    ``CANCELLED_SHOWN``, and how many in all."""

    entries: list[ImportJobError]  # each names one; its value: the GUID
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.entries)


def cancelled_section(job: ImportJob) -> CancelledSection | None:
    """The section, or None when the run cancels nothing as missing."""
    found = job.errors.filter(code=CANCELLED_MISSING.code).order_by("value", "pk")
    count = found.count()
    if not count:
        return None
    return CancelledSection(entries=list(found[:CANCELLED_SHOWN]), count=count)


def row_errors(job: ImportJob) -> QuerySet[ImportJobError]:
    return job.errors.filter(file_level=False, level="ERROR")


def error_groups(job: ImportJob) -> ErrorGroups:
    """The job's row errors by message and column, with how many rows have each."""
    found = list(
        row_errors(job)
        .order_by()
        .values("message", "column", "value", "suggestion", "code", "params")
        .annotate(count=Count("line", distinct=True))
        .order_by("-count", "message", "column")[: GROUPS_SHOWN + 1]
    )
    groups = [
        ErrorGroup(
            message=item["message"],
            column=item["column"],
            count=item["count"],
            value=item["value"],
            suggestion=item["suggestion"],
            scope=fix_scope(item["code"]),
            text=render(stored_parts(item["params"], item["code"]), item["message"]),
            query=urlencode(
                {"view": "errors", "message": item["message"], "column": item["column"]}
            ),
        )
        for item in found[:GROUPS_SHOWN]
    ]
    return ErrorGroups(groups, more=len(found) > GROUPS_SHOWN)


def error_filters(
    items: QuerySet[ImportJobError], params: QueryDict
) -> tuple[QuerySet[ImportJobError], dict[str, str]]:
    """The error list filtered by ``q`` (message contains), or by one group (``message`` and
    ``column``, exact); the filters in use."""
    used = {name: params.get(name, "").strip() for name in ("q", "message")}
    used["column"] = params.get("column", "")
    if used["q"]:
        items = items.filter(message__icontains=used["q"])
    if used["message"]:
        items = items.filter(Q(message=params.get("message", "")) & Q(column=used["column"]))
    else:
        used["column"] = ""
    return items, used


def filter_query(used: dict[str, str]) -> str:
    """The page's filters as a query string (pagination links keep them)."""
    return urlencode({name: used[name] for name in FILTERS if used.get(name)})


def rooms_section(job: ImportJob) -> RoomsSection | None:
    """The rooms section, or None when the run creates and changes no room."""
    rooms = job.rooms or []
    if not rooms:
        return None
    created = [room for room in rooms if room.get("created")]
    updated = [room for room in rooms if not room.get("created")]
    return RoomsSection(
        created=[_shown_room(room) for room in created[:ROOMS_SHOWN]],
        updated=[_shown_room(room) for room in updated[:ROOMS_SHOWN]],
        created_count=len(created),
        updated_count=len(updated),
        more_created=max(0, len(created) - ROOMS_SHOWN),
        more_updated=max(0, len(updated) - ROOMS_SHOWN),
    )


def _shown_room(room: dict[str, Any]) -> dict[str, Any]:
    lines = room.get("lines") or []
    count = room.get("line_count") or len(lines)
    return {
        **room,
        "label_changed": room.get("old_label") != room.get("label"),
        "capacity_changed": room.get("old_capacity") != room.get("capacity"),
        "lines_text": ", ".join(str(line) for line in lines),
        "more_lines": max(0, count - len(lines)),
    }
