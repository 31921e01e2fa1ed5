"""Fixes in the preview as a service: add one to a job, then its preview is read again.

A fix acts on the rows of one error group (the preview's errors with one message, column and
value), named by their lines: it reads that value of that column as another in those rows,
or skips them (``fixes.Fix``); other rows with the same value are left as they are. Only
where the group is every row with the value (a key not found that depends on that cell
alone: a training GUID, a teacher login) does the fix name every row with the value. A
schedule conflict's group offers moving its rows to another room or teacher, or skipping
them. A room GUID replaced on some rows makes them take the label the room has (as the
preview plans it, else as stored) and keep its capacity, so that moving rows never renames a
room. The job keeps the list (``ImportJob.fixes``, written only here) with who made each fix,
when, and the rows it names. The file stays as uploaded: the preview and the confirm read it
through the fixes, with every check.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop

from imports.database.lookups import room_label
from imports.engine.schedule import BOOKED_CODES
from imports.parsing import messages
from imports.parsing.fixes import lines_text
from imports.parsing.messages import Message

from .models import ImportJob
from .words import said

FIX_REPLACED = Message(
    "fix_replaced",
    gettext_noop("{column} {value} is read as {replacement} in every row ({rows} with errors)."),
)
FIX_SKIPPED = Message(
    "fix_skipped", gettext_noop("The rows whose {column} is {value} are skipped ({rows}).")
)
FIX_REPLACED_ON_LINES = Message(
    "fix_replaced_on_lines",
    gettext_noop("{column} {value} is read as {replacement} on {lines} only."),
)
FIX_SKIPPED_ON_LINES = Message(
    "fix_skipped_on_lines", gettext_noop("The rows on {lines} ({column} {value}) are skipped.")
)
FIX_NOT_OPEN = Message(
    "fix_not_open", gettext_noop("Only a preview can be fixed; nothing was changed.")
)
FIX_SAME = Message(
    "fix_same_value", gettext_noop("The new value is the one the file has; nothing was changed.")
)
FIX_GROUP_GONE = Message(
    "fix_group_gone",
    gettext_noop("This group of errors is no longer in the preview; nothing was changed."),
)
# A key not found whatever the row's other cells: every row with the value is in the group.
EVERY_ROW_CODES = frozenset(
    {messages.TRAINING_GUID_NOT_FOUND.code, messages.TEACHER_NOT_FOUND.code}
)


class FixScope(StrEnum):
    """The rows a group's fix acts on, and what it offers."""

    EVERY_ROW = "every_row"  # every row with the value (it is the group): replace or skip
    ROWS = "rows"  # the group's rows only: replace or skip
    MOVE = "move"  # a schedule conflict's rows only: move to another room or teacher, or skip


@dataclass(frozen=True)
class FixGroup:
    """The rows of one error group, by line, and what its fix is."""

    lines: list[int]
    scope: FixScope


def fix_scope(code: str) -> FixScope:
    """The scope of the fix of an error group whose errors have the message code ``code``."""
    if code in EVERY_ROW_CODES:
        return FixScope.EVERY_ROW
    if code in BOOKED_CODES:
        return FixScope.MOVE
    return FixScope.ROWS


def fix_group(job: ImportJob, *, column: str, value: str, message: str) -> FixGroup | None:
    """The job's error group of ``message`` in ``column`` with ``value``; None: none is left."""
    found = list(
        job.errors.filter(
            level="ERROR", file_level=False, column=column, value=value, message=message
        )
        .values_list("line", "code")
        .distinct()
    )
    lines = sorted({line for line, _ in found if line is not None})
    if not lines:
        return None
    return FixGroup(lines=lines, scope=fix_scope(found[0][1]))


def add_fix(
    job: ImportJob, user, *, column: str, value: str, message: str, replacement: str | None
) -> tuple[bool, str]:
    """Add (or replace) the fix of the error group of ``message`` in ``column`` with
    ``value``; (added, what to say). The door then runs the preview again
    (``service.start_preview``)."""
    if replacement is not None and replacement == value:
        return False, said(FIX_SAME)
    group = fix_group(job, column=column, value=value, message=message)
    if group is None:
        return False, said(FIX_GROUP_GONE)
    entry = _entry(job, user, column=column, value=value, replacement=replacement, group=group)
    fixes = [*(fix for fix in job.fixes if _key(fix) != _key(entry)), entry]
    stored = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
        fixes=fixes
    )
    if not stored:
        return False, said(FIX_NOT_OPEN)
    job.fixes = fixes
    return True, _said(entry)


def _entry(
    job: ImportJob, user, *, column: str, value: str, replacement: str | None, group: FixGroup
) -> dict[str, Any]:
    lines = None if group.scope is FixScope.EVERY_ROW else group.lines
    cells: dict[str, str] = {}
    if column == "roomGuid" and replacement is not None and lines is not None:
        cells = _room_cells(job, replacement)
    return {
        "column": column,
        "value": value,
        "replacement": replacement,
        "lines": lines,
        "cells": cells,
        "rows": len(group.lines),
        "user": user.get_username() if user is not None else "",
        "at": timezone.now().isoformat(timespec="seconds"),
    }


def _key(fix: dict[str, Any]) -> tuple:
    """A fix replaces the one of the same value in the same column on the same rows (a fix
    stored before fixes named their lines: every row)."""
    lines = fix.get("lines")
    return fix["column"], fix["value"], None if lines is None else tuple(lines)


def _room_cells(job: ImportJob, guid: str) -> dict[str, str]:
    """The cells rows moved to the room ``guid`` take: its label as the preview plans it (the
    file creates or changes it), else as stored, and a blank capacity (the room keeps its
    own). A room found in neither is created from the rows' own cells."""
    planned = next((room for room in job.rooms or [] if room.get("guid") == guid), None)
    label = planned["label"] if planned else room_label(guid)
    return {} if label is None else {"roomLabel": label, "roomCapacity": ""}


def _said(entry: dict[str, Any]) -> str:
    column, value, replacement = entry["column"], entry["value"], entry["replacement"]
    if entry["lines"] is None:
        if replacement is None:
            return said(FIX_SKIPPED).format(column=column, value=value, rows=entry["rows"])
        return said(FIX_REPLACED).format(
            column=column, value=value, replacement=replacement, rows=entry["rows"]
        )
    lines = lines_text(entry["lines"])
    if replacement is None:
        return said(FIX_SKIPPED_ON_LINES).format(column=column, value=value, lines=lines)
    return said(FIX_REPLACED_ON_LINES).format(
        column=column, value=value, replacement=replacement, lines=lines
    )
