"""What a confirm's verdict means, in words: one text per verdict, door-neutral, each with its
code. The admin shows it as a message, the worker stores it as the job's reason.

The texts are marked for translation (``gettext_noop``) and said in the active language when
they are made (``said``): the admin's request's language, else ``LANGUAGE_CODE`` (the command
line, a worker). The code stays the same in every language."""

from collections.abc import Callable

from django.utils.translation import gettext, gettext_noop, ngettext

from imports.database.db_errors import DATABASE_BUSY
from imports.parsing.messages import STORE_UNREACHABLE, Message
from imports.parsing.results import RowError

from .confirm import Confirmation, Verdict
from .models import ImportJob
from .words import said

IMPORTED = Message(
    "imported",
    gettext_noop(
        "Imported {file}: {new} new, {updated} updated, {unchanged} unchanged{rooms}{cancelled}"
        "{skipped}."
    ),
)
VERDICT_MESSAGES = {
    Verdict.QUEUED: Message(
        "import_queued", gettext_noop("{job.file_name} is being imported in the background.")
    ),
    Verdict.CHANGED: Message(
        "outcome_changed",
        gettext_noop(
            "The data changed since the preview, so nothing was imported; check the new preview"
            " ({counts}) and confirm again."
        ),
    ),
    Verdict.STRICT_FAILED: Message(
        "strict_failed",
        gettext_noop("All or nothing: {job.error_rows} rows have errors, nothing was imported."),
    ),
    Verdict.FAILED: Message(
        "import_failed",
        gettext_noop("The file could not be imported; nothing was written. {reasons}"),
    ),
    Verdict.SAME_USER: Message(
        "four_eyes",
        gettext_noop("Four-eyes review: another staff member must confirm this import."),
    ),
    Verdict.NOT_OPEN: Message(
        "not_open", gettext_noop("This import is {status}; nothing was done.")
    ),
    Verdict.NOT_ACKNOWLEDGED: Message(
        "conflicts_not_acknowledged",
        gettext_noop(
            "This preview has schedule conflict warnings: acknowledge that you have checked them"
            " to confirm the import; nothing was imported."
        ),
    ),
    Verdict.CANCEL_NOT_CONFIRMED: Message(
        "cancel_missing_not_confirmed",
        gettext_noop(
            "This preview cancels {job.cancelled_missing} interventions as missing, more than"
            " the share allowed: confirm that count to import; nothing was imported."
        ),
    ),
    Verdict.BUSY: DATABASE_BUSY,
    Verdict.CONNECTION_LOST: Message(
        "confirm_connection_lost",
        gettext_noop(
            "The connection to the database was lost during the import, so nothing was written;"
            " the preview is kept and you can confirm it again."
        ),
    ),
    Verdict.STORE_UNREACHABLE: STORE_UNREACHABLE,
}


def counts_text(job: ImportJob) -> str:
    text = gettext(
        "{new} new, {updated} updated, {unchanged} unchanged, {errors} rows with errors"
    ).format(new=job.new, updated=job.updated, unchanged=job.unchanged, errors=job.error_rows)
    return text + cancelled_text(job)


def cancelled_text(job: ImportJob) -> str:
    """ ", 3 cancelled as missing" (cancelMissing), when it cancels some."""
    if not job.cancelled_missing:
        return ""
    count = job.cancelled_missing
    return ", " + ngettext(
        "{count} cancelled as missing", "{count} cancelled as missing", count
    ).format(count=count)


def rooms_text(job: ImportJob) -> str:
    """ ", 2 rooms created, 1 room updated": the rooms an import created or changed, if any."""
    parts = []
    if job.rooms_created:
        created = job.rooms_created
        text = ngettext("{count} room created", "{count} rooms created", created)
        parts.append(text.format(count=created))
    if job.rooms_updated:
        updated = job.rooms_updated
        text = ngettext("{count} room updated", "{count} rooms updated", updated)
        parts.append(text.format(count=updated))
    return "".join(f", {part}" for part in parts)


def imported_text(job: ImportJob) -> Message:
    """What an imported job did, the same words wherever it ran (here or on a worker)."""
    skipped = (
        gettext("; {errors} rows with errors were skipped").format(errors=job.error_rows)
        if job.error_rows
        else ""
    )
    return said(IMPORTED).format(
        file=job.file_name,
        new=job.new,
        updated=job.updated,
        unchanged=job.unchanged,
        rooms=rooms_text(job),
        cancelled=cancelled_text(job),
        skipped=skipped,
    )


def verdict_text(
    done: Confirmation, describe: Callable[[RowError], str] = lambda problem: problem.message
) -> Message:
    """What a confirm verdict means (IMPORTED: each door says it its own way, with a link or a
    count). ``describe``: how a door words a file problem (the admin adds its hints)."""
    job = done.job
    if done.verdict is Verdict.IMPORTED:
        return imported_text(job)
    problems = done.result.file_errors if done.result else []
    template = said(VERDICT_MESSAGES[done.verdict])
    text = template.format(
        job=job,
        counts=counts_text(job),
        reasons=" ".join(describe(problem) for problem in problems),
        status=job.get_status_display().lower(),
    )
    return Message(text.code, text.strip())
