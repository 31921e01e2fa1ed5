"""``manage.py purge_expired_imports``: expire admin previews that were never confirmed, and
delete the files the history no longer needs.

- previews never confirmed older than ``--hours`` (default ``PREVIEW_MAX_AGE_HOURS``): their
  uploaded files, rows and errors are deleted; the job stays in the history as expired;
- files kept across an upload form error and never used, older than ``--hours`` too (default:
  24 hours, as long as the form's token is good);
- the files of finished jobs (imported, failed, cancelled) older than ``KEEP_FILES_DAYS``
  (default 90): the jobs keep their history, counts and errors.

It needs the file store: one that fails (unreachable, refused, timed out) stops it with exit
status 2 and a message (what was purged before is done).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imports.conf import import_settings
from imports.jobs.service import (
    StoreUnreachable,
    check_store,
    purge_expired,
    purge_finished_files,
    purge_kept_uploads,
)
from imports.parsing.messages import STORE_UNREACHABLE_COMMAND


class Command(BaseCommand):
    help = (
        "Expire import previews never confirmed, delete their files, kept uploads never used,"
        " and the files of finished jobs older than KEEP_FILES_DAYS."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours",
            type=float,
            help="age in hours of the previews and of the kept uploads (default: the"
            f" PREVIEW_MAX_AGE_HOURS setting, {import_settings.PREVIEW_MAX_AGE_HOURS}, and"
            " 24 for kept uploads)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["hours"]
        if hours is not None and hours < 0:
            raise CommandError("--hours must be 0 or more.")
        try:
            check_store()
            self._purge(hours)
        except StoreUnreachable as error:
            what = "the purge stopped (what it did before is done)"
            raise CommandError(
                STORE_UNREACHABLE_COMMAND.format(error=error.detail, what=what), returncode=2
            ) from error

    def _purge(self, hours: float | None) -> None:
        expired = purge_expired(hours)
        for job in expired:
            self.stdout.write(f"Expired import #{job.pk} {job.file_name}.")
        self.stdout.write(f"{len(expired)} previews expired.")
        self.stdout.write(f"{purge_kept_uploads(max_age_hours=hours)} kept uploads deleted.")
        days = import_settings.KEEP_FILES_DAYS
        if days is None:
            return
        purged = purge_finished_files()
        for job in purged:
            self.stdout.write(f"Deleted the file of import #{job.pk} {job.file_name}.")
        self.stdout.write(f"{len(purged)} files of jobs finished over {days:g} days ago deleted.")
