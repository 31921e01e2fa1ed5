"""``manage.py undo_import JOB``: the batch door to the undo service (imports/jobs/undo.py).

Exit status: 0 everything undone, 1 some rows or rooms kept (changed since the import), 2 the
job cannot be undone (unknown, not a committed import, already undone, itself an undo) or
the database refused (nothing changed).
"""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from imports.jobs import service

EXIT_KEPT = 1
EXIT_REFUSED = 2


class Command(BaseCommand):
    help = (
        "Undo a committed import: delete the interventions it created, put back the values"
        " of those it updated, and the same for rooms; what changed since is kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("job", type=int, help="the import's job (import_interventions --json)")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what it would do, write nothing"
        )
        parser.add_argument(
            "--force", action="store_true", help="also undo what changed since the import"
        )
        parser.add_argument("--json", action="store_true", help="one JSON object")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["json"]:  # what programs read stays English whatever LANGUAGE_CODE says
            with translation.override("en"):
                return self._undo(options)
        return self._undo(options)

    def _undo(self, options: dict[str, Any]) -> None:
        job_id, as_json = options["job"], options["json"]
        job = service.find_import(job_id)
        if job is None:
            raise self._refusal(job_id, service.UNDO_JOB_NOT_FOUND.format(job=job_id), as_json)
        outcome = service.undo_import(job, force=options["force"], dry_run=options["dry_run"])
        if outcome.verdict in (service.UndoVerdict.REFUSED, service.UndoVerdict.FAILED):
            raise self._refusal(job_id, outcome.message, as_json)
        counts = outcome.counts
        if counts is None:  # every verdict but refused and failed has counts
            raise CommandError(f"Undo of import {job_id}: no counts.", returncode=EXIT_REFUSED)
        if as_json:
            self.stdout.write(json.dumps(outcome.as_dict(), ensure_ascii=False))
        else:
            self._report(job_id, outcome)
        if not counts.complete:
            raise CommandError("Some rows were kept (changed since).", returncode=EXIT_KEPT)

    def _report(self, job_id: int, outcome: service.UndoOutcome) -> None:
        counts = outcome.counts
        if counts is None:
            return
        prefix = "Dry run: " if outcome.dry_run else ""
        self.stdout.write(prefix + service.undo_summary(job_id, counts))
        rooms = (counts.rooms_deleted, counts.rooms_restored, counts.rooms_kept)
        if any(rooms):
            self.stdout.write(
                "Rooms: {} deleted, {} restored, {} kept (changed since or still used).".format(
                    *rooms
                )
            )
        for guid in counts.kept_guids:
            self.stdout.write(f"kept: {guid}")
        for guid in counts.rooms_kept_guids:
            self.stdout.write(f"kept room: {guid}")

    def _refusal(self, job_id: int, message: str, as_json: bool) -> CommandError:
        if as_json:
            self.stdout.write(json.dumps({"job": job_id, "error": message}, ensure_ascii=False))
        return CommandError(message, returncode=EXIT_REFUSED)
