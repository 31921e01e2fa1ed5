"""cancelMissing, the step of a run after its batches (issue 29): "this file is the complete
schedule of its sessions, for its dates". What the scope holds and the file does not name
is cancelled (status cancelled, never deleted), listed in the result, kept in the journal.

Guards: a file without a valid row cancels nothing and says so; more than
``CANCEL_MISSING_MAX_SHARE`` of the scope's active interventions (as the database held them
before the run) is cancelled only when that count is confirmed (``ImportOptions.
confirm_cancel``): a dry run lists them and says so, a real run writes nothing (``Refused``).
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from imports.conf import import_settings
from imports.database import journal
from imports.database.missing import Missing, cancel, describe, load_scope
from imports.parsing import messages
from imports.parsing.moments import shown_moment
from imports.parsing.results import ImportResult, RowError
from imports.planning.missing import MissingScope, Share

WARNING = "WARNING"


class Refused(Exception):
    """Too many to cancel and the count not confirmed: the run writes nothing."""

    def __init__(self, problem: RowError) -> None:
        super().__init__(problem.message)
        self.problem = problem


def cancel_missing(
    scope: MissingScope,
    result: ImportResult,
    *,
    zone: ZoneInfo,
    dry_run: bool,
    confirmed: int | None,
    written_at: list[dt.datetime],
) -> frozenset[str]:
    """Cancel (a dry run: list) the scope's interventions that the file does not name;
    returns their GUIDs (the schedule check leaves them out). Raises ``Refused``."""
    result.cancel_missing = True
    now = timezone.now()
    bounds = scope.bounds(zone, now)
    if bounds is None:
        message = messages.CANCEL_MISSING_NO_VALID_ROW
        result.warnings.append(RowError(None, message, level=WARNING, code=message.code))
        return frozenset()
    stored = load_scope(bounds, written_at=written_at)
    ids = [pk for pk, guid in stored if guid not in scope.file_guids]
    missing = describe(ids) if ids else []
    share = Share(
        count=len(missing),
        scope=scope.named_in_scope(bounds) + len(missing),
        limit=import_settings.CANCEL_MISSING_MAX_SHARE,
    )
    result.cancel_missing_scope = share.scope
    if share.too_many and confirmed != share.count:
        problem = _too_many(share, confirmed, dry_run=dry_run)
        if not dry_run:
            raise Refused(problem)
        result.warnings.append(problem)
    if not dry_run and missing:
        cancelled = cancel(missing, bounds, now=now)
        result.journal_id = journal.record_cancelled(result.journal_id, cancelled, written_at=now)
        done = {guid for guid, _ in cancelled}
        missing = [m for m in missing if m.guid in done]
    result.cancelled_missing = [m.guid for m in missing]
    result.warnings.extend(_listed(missing, zone))
    return frozenset(result.cancelled_missing)


def _too_many(share: Share, confirmed: int | None, *, dry_run: bool) -> RowError:
    values = {
        "count": share.count,
        "scope": share.scope,
        "share": share.percent(),
        "limit": share.limit_percent(),
        "confirmed": confirmed,
    }
    if dry_run:
        template = messages.CANCEL_MISSING_NEEDS_CONFIRMATION
        level = WARNING
    else:
        level = "ERROR"
        template = (
            messages.CANCEL_MISSING_TOO_MANY
            if confirmed is None
            else messages.CANCEL_MISSING_COUNT_DIFFERS
        )
    message = template.format(**values)
    return RowError(None, message, value=str(share.count), level=level, code=message.code)


def _listed(missing: list[Missing], zone: ZoneInfo) -> list[RowError]:
    """One warning per intervention cancelled as missing, naming it (its GUID the value)."""
    template = messages.CANCELLED_MISSING
    return [
        RowError(
            None,
            template.format(
                guid=m.guid,
                session=m.session,
                start=shown_moment(m.start, zone),
                end=shown_moment(m.end, zone),
                teacher=m.teacher,
                room=m.room,
            ),
            "interventionGuid",
            m.guid,
            level=WARNING,
            code=template.code,
        )
        for m in missing
    ]
