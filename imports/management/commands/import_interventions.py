"""``manage.py import_interventions``: the batch door to the import engine.

It translates the engine's result into text or JSON lines and an exit status:
0 every row fine, 1 some rows with errors, 2 unusable input (nothing written).
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imports.config import DELIMITERS, ConfigError, ImportConfig, parse_config
from imports.engine import ImportOptions, run_import
from imports.progress import ProgressBar
from imports.readers import FORMATS
from imports.results import ImportResult

EXIT_ROW_ERRORS = 1
EXIT_UNUSABLE = 2


class Command(BaseCommand):
    help = (
        "Create or update interventions from CSV, XLSX or ODS files"
        " (createOrUpdateInterventionAction)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="files to import")
        parser.add_argument("--config", metavar="XML", help="the seed system's XML configuration")
        parser.add_argument("--dry-run", action="store_true", help="write nothing, report all")
        parser.add_argument("--strict", action="store_true", help="all rows or nothing")
        parser.add_argument("--json", action="store_true", help="one JSON object per file")
        parser.add_argument("--format", choices=FORMATS, help="file format (default: extension)")
        parser.add_argument("--encoding", help="CSV encoding (default: UTF-8, BOM allowed)")
        parser.add_argument("--delimiter", choices=sorted(DELIMITERS), help="CSV delimiter")

    def handle(self, *args: Any, **options: Any) -> None:
        config = self._config(options["config"])
        import_options = ImportOptions(
            dry_run=options["dry_run"],
            strict=options["strict"] or None,
            format=options["format"],
            encoding=options["encoding"],
            delimiter=DELIMITERS.get(options["delimiter"] or ""),
        )
        exit_status = 0
        for file_name in options["files"]:
            result = self._import_one(file_name, config, import_options, options["json"])
            exit_status = max(exit_status, self._exit_status(result))
            self._report(result, options["json"])
        if exit_status:
            message = (
                "Some files could not be used." if exit_status == 2 else "Some rows have errors."
            )
            raise CommandError(message, returncode=exit_status)

    def _config(self, path: str | None) -> ImportConfig | None:
        if path is None:
            return None
        try:
            configs = parse_config(Path(path).read_bytes(), source=path)
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}.", returncode=EXIT_UNUSABLE) from None
        except ConfigError as exc:
            raise CommandError("\n".join(exc.lines()), returncode=EXIT_UNUSABLE) from None
        if len(configs) > 1:
            self.stderr.write(f"{path}: {len(configs)} <import> blocks, the first one is used.")
        return configs[0]

    def _import_one(
        self, file_name: str, config: ImportConfig | None, options: ImportOptions, quiet: bool
    ) -> ImportResult:
        try:
            data = Path(file_name).read_bytes()
        except OSError as exc:
            failed = ImportResult(file_name, dry_run=options.dry_run)
            return _with_file_error(failed, exc.strerror or str(exc))
        bar = None if quiet else ProgressBar.for_stream(self.stderr._out, file_name)
        result = run_import(data, file_name, config, options, progress=bar)
        if bar:
            bar.close()
        return result

    @staticmethod
    def _exit_status(result: ImportResult) -> int:
        if not result.usable:
            return EXIT_UNUSABLE
        return EXIT_ROW_ERRORS if result.error_rows else 0

    def _report(self, result: ImportResult, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
            return
        for problem in result.file_errors + result.warnings + result.errors:
            where = f"line {problem.line}: " if problem.line else ""
            target = self.stdout if problem.level == "WARNING" else self.stderr
            target.write(f"{result.file_name}: {where}{problem.message}")
        if result.usable:
            self.stdout.write(f"{result.file_name}: {summary(result)}")


def summary(result: ImportResult) -> str:
    counts = (
        f"{result.new} new, {result.updated} updated, {result.unchanged} unchanged, "
        f"{result.error_rows} rows with errors"
    )
    if result.dry_run:
        return f"{counts} (dry run: nothing written)."
    if not result.committed:
        return f"{counts} (strict: nothing written)."
    return f"{counts}."


def _with_file_error(result: ImportResult, reason: str) -> ImportResult:
    from imports.results import RowError

    result.file_errors.append(RowError(None, f"The file cannot be read: {reason}."))
    return result
