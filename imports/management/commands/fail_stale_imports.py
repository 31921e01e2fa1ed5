"""``manage.py fail_stale_imports``: mark failed the running jobs whose worker is lost.

A job is stale when its worker gave no sign of life (heartbeat) for ``--seconds`` (default:
the STALE_AFTER_SECONDS setting). Run it from cron; job pages show such a job as failed
without writing it. Workers publish their heartbeats in the shared progress cache (Redis): on
a host without it (no ``REDIS_URL`` nor redis:// ``CELERY_BROKER_URL``) it cannot see them, so
it judges nothing and exits with status 2, naming the missing settings.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imports.conf import import_settings
from imports.jobs.service import HeartbeatsUnseen, fail_stale


class Command(BaseCommand):
    help = "Mark failed the running import jobs whose worker gave no sign of life."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seconds",
            type=float,
            help="silence in seconds (default: the STALE_AFTER_SECONDS setting, "
            f"{import_settings.STALE_AFTER_SECONDS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seconds = options["seconds"]
        if seconds is not None and seconds < 0:
            raise CommandError("--seconds must be 0 or more.")
        try:
            failed = fail_stale(after=seconds)
        except HeartbeatsUnseen as refused:
            raise CommandError(str(refused), returncode=2) from refused
        for job in failed:
            self.stdout.write(f"Import #{job.pk} {job.file_name}: {job.failure_reason}")
        self.stdout.write(f"{len(failed)} stale jobs marked failed.")
