"""``manage.py purge_expired_imports``: expire admin previews that were never confirmed.

Their uploaded files, rows and errors are deleted; the job stays in the history as expired.
Files kept across an upload form error and never used are deleted too.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imports.conf import import_settings
from imports.jobs.service import purge_expired, purge_kept_uploads


class Command(BaseCommand):
    help = "Expire import previews never confirmed, and delete their files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours",
            type=float,
            help="age in hours (default: the PREVIEW_MAX_AGE_HOURS setting, "
            f"{import_settings.PREVIEW_MAX_AGE_HOURS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        hours = options["hours"]
        if hours is not None and hours < 0:
            raise CommandError("--hours must be 0 or more.")
        expired = purge_expired(hours)
        for job in expired:
            self.stdout.write(f"Expired import #{job.pk} {job.file_name}.")
        self.stdout.write(f"{len(expired)} previews expired.")
        self.stdout.write(f"{purge_kept_uploads()} kept uploads deleted.")
