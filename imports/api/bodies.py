"""The API's answers as data: a job (its status, the command's ``--json`` counts, progress,
links), its errors and its rows. Reading only: a GET writes nothing (a job whose worker is
lost shows as failed, ``service.shown``)."""

from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from rest_framework.request import Request

from imports.conf import site_zone
from imports.jobs import service
from imports.jobs.models import ImportJob, ImportJobError, ImportJobRow
from imports.parsing.durations import hours_text
from imports.parsing.fields import DURATION_FIELDS, FILE_COLUMNS, STORED_FIELDS
from imports.parsing.moments import stored_moment

TIME_FIELDS = frozenset(f.name for f in STORED_FIELDS if f.moment)
WRITTEN = tuple((f.name, f.column) for f in STORED_FIELDS)
LINKS = ("errors", "rows", "confirm", "discard", "cancel", "undo")


def job_url(request: Request, job: ImportJob, action: str = "") -> str:
    name = f"api:import-{action}" if action else "api:import"
    return request.build_absolute_uri(reverse(name, args=[job.pk]))


def job_body(request: Request, job: ImportJob) -> dict[str, Any]:
    job = service.shown(job)
    live = service.live_status(job)
    user = request.user
    warnings = job.errors.filter(level="WARNING")
    return {
        "id": job.pk,
        "status": job.status,
        "activity": job.activity,
        "file": job.file_name,
        "size": job.size,
        "sha256": job.sha256,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "uploaded_by": _name(job.user),
        "confirmed_by": _name(job.confirmed_by),
        "options": {
            "configuration": job.configuration_name,
            "configuration_id": job.configuration_id,
            "format": job.format,
            "encoding": job.encoding,
            "delimiter": job.delimiter,
            "date_format": job.date_format,
            "sheet": job.sheet,
            "first_row_is_data": job.first_row_is_data,
            "conflicts": job.conflicts,
            "cancel_missing": job.cancel_missing,
        },
        "dry_run": job.status != ImportJob.Status.IMPORTED,
        "committed": job.status == ImportJob.Status.IMPORTED,
        "strict": job.strict,
        "new": live["new"],
        "updated": live["updated"],
        "unchanged": live["unchanged"],
        "error_rows": live["error_rows"],
        "rooms_created": job.rooms_created,
        "rooms_updated": job.rooms_updated,
        "seconds": job.seconds,
        "cancelled_missing": job.cancelled_missing,
        "conflicts": job.errors.filter(code__in=service.CONFLICT_CODES).count(),
        "warnings": warnings.count(),
        "file_errors": [error_body(e) for e in job.errors.filter(file_level=True)[:100]],
        "failure_reason": job.failure_reason,
        "progress": {
            "rows_done": live["rows_done"],
            "rows_total": live["rows_total"],
            "seconds_left": live["seconds_left"],
            "cancel_requested": bool(live["cancel_requested"]),
        },
        "needs_acknowledgement": service.needs_acknowledgement(job),
        "needs_cancel_confirmation": service.needs_cancel_confirmation(job),
        "may_confirm": service.may_confirm(job, user),
        "four_eyes_blocked": job.is_open and service.four_eyes_blocks(job, user),
        "undoes": job.undoes_id,
        "undo_counts": job.undo_counts or {},
        "links": {
            "self": job_url(request, job),
            **{action: job_url(request, job, action) for action in LINKS},
        },
    }


def _name(user: Any) -> str | None:
    return None if user is None else user.get_username()


def error_body(error: ImportJobError) -> dict[str, Any]:
    return {
        "line": error.line,
        "column": error.column,
        "value": error.value,
        "message": error.message,
        "level": error.level,
        "code": error.code,
        "suggestion": error.suggestion,
        "file_level": error.file_level,
        "conflicts_with": error.conflicts_with,
        "conflicts_with_line": error.conflicts_with_line,
    }


def row_body(row: ImportJobRow, zone: ZoneInfo | None = None) -> dict[str, Any]:
    """A row as the import's columns name it: what a new row writes, what an update changes
    (times in ISO 8601 in the site's time zone, durations in hours as the export writes)."""
    zone = zone or site_zone()
    stored = row.changes or []
    writes: dict[str, str] = {}
    changes: list[dict[str, str]] = []
    if row.outcome == "new" and len(stored) == len(WRITTEN):
        writes = {
            column: _value(name, value, zone)
            for (name, column), value in zip(WRITTEN, stored, strict=True)
        }
    elif row.outcome == "updated":
        changes = [
            {
                "column": FILE_COLUMNS.get(name, name),
                "old": _value(name, old, zone),
                "new": _value(name, new, zone),
            }
            for name, old, new in stored
        ]
    cells = [str(cell) for cell in row.cells] if isinstance(row.cells, list) else None
    return {
        "line": row.line,
        "guid": row.guid,
        "outcome": row.outcome,
        "writes": writes,
        "changes": changes,
        "cells": cells,
    }


def _value(field: str, value: object, zone: ZoneInfo) -> str:
    if value is None:
        return ""
    if field in TIME_FIELDS:
        moment = stored_moment(value)
        return str(value) if moment is None else moment.astimezone(zone).isoformat()
    if field in DURATION_FIELDS and str(value).isdigit():
        return hours_text(int(str(value)))
    return str(value)
