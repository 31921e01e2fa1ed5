"""``manage.py import_interventions``: the batch door to the import engine.

It translates the engine's results into text or JSON lines and an exit status:
0 every row fine, 1 some rows with errors, 2 unusable input (nothing written).
With ``--config`` and no FILE, it runs the configuration's batch pipeline: the files of each
``<import>`` found in the data folder, content already imported skipped, consolidators after.
Every ``<import>`` is checked (data folder, paths, consolidators) before any of them runs.

Its text lines are for a person: in the active language (``LANGUAGE_CODE``, or
``--language``), the engine's messages rendered from their codes and parameters
(``messages.translated``). What programs read stays English in every language: ``--json``
(the engine's English words and their codes) and the batch error log.
"""

import json
from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

from imports.batch.consolidators import (
    Consolidation,
    ConsolidationError,
    from_config,
    require_data_folder,
)
from imports.batch.pipeline import FileRun, check_import, discover, no_match, process_file
from imports.conf import data_dir
from imports.engine import ImportOptions
from imports.management.progress import ProgressBar
from imports.parsing.config import DELIMITERS, ConfigError, ImportConfig, parse_config
from imports.parsing.config_values import DATE_FORMAT_HINT, date_pattern
from imports.parsing.messages import (
    DATE_FORMAT_NOT_VALID,
    ENCODING_CODES,
    code_of,
    translated,
    with_suggestion,
)
from imports.parsing.readers import FORMATS
from imports.parsing.results import ImportResult
from imports.planning.conflicts import Policy

EXIT_ROW_ERRORS = 1
EXIT_UNUSABLE = 2
# The command's own hints after the engine's and the pipeline's door-neutral messages, by code.
HINTS = {
    **dict.fromkeys(ENCODING_CODES, gettext_noop("Choose its encoding (--encoding).")),
    "already_imported": gettext_noop("Use --force to import it again."),
    "no_file_name": gettext_noop("Give FILEs to import with this configuration."),
    "data_dir_missing": gettext_noop("Create it, or choose another with --data-dir."),
    "data_dir_not_a_folder": gettext_noop("Choose another with --data-dir."),
    **dict.fromkeys(
        ("cancel_missing_too_many", "cancel_missing_count_differs"),
        gettext_noop("Check the list with --dry-run, then give that count with --confirm-cancel."),
    ),
    "cancel_missing_needs_confirmation": gettext_noop(
        "Give that count with --confirm-cancel to import."
    ),
    **dict.fromkeys(
        ("header_missing_column", "header_missing_one_of"),
        gettext_noop(
            "A file whose columns are named otherwise is read with a configuration (--config,"
            " docs/configuration.md)."
        ),
    ),
}


def with_hint(text: str, code: str) -> str:
    """A door-neutral message in the active language, followed by the command's hint for its
    code, if any."""
    hint = HINTS.get(code)
    text = translated(text)
    return f"{text} {gettext(hint)}" if hint else text


def located(file_name: object, line: int | None, text: str) -> str:
    """``FILE: line N: text``, a problem's line of the command's output."""
    if line:
        return gettext("{file}: line {line}: {text}").format(file=file_name, line=line, text=text)
    return f"{file_name}: {text}"


class Command(BaseCommand):
    help = (
        "Create or update interventions from CSV, XLSX or ODS files"
        " (createOrUpdateInterventionAction)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", metavar="FILE", help="files to import")
        parser.add_argument("--config", metavar="XML", help="the seed system's XML configuration")
        parser.add_argument("--dry-run", action="store_true", help="write nothing, report all")
        parser.add_argument("--strict", action="store_true", help="all rows or nothing")
        parser.add_argument("--json", action="store_true", help="one JSON object per file")
        parser.add_argument("--format", choices=FORMATS, help="file format (default: extension)")
        parser.add_argument("--encoding", help="CSV encoding (default: UTF-8, BOM allowed)")
        parser.add_argument("--delimiter", choices=sorted(DELIMITERS), help="CSV delimiter")
        parser.add_argument(
            "--date-format",
            metavar="FORMAT",
            help="text dates, as the seed writes it: DD/MM/YYYY HH:II (default: ISO 8601, and"
            " slash dates day or month first as the file's dates tell)",
        )
        parser.add_argument(
            "--conflicts",
            choices=[policy.value for policy in Policy],
            help="a teacher or room booked twice: warn, error or ignore (default: CONFLICTS)",
        )
        parser.add_argument(
            "--first-row-is-data",
            action="store_true",
            help="the files have no header row (wins over the configuration's skipFirstLine)",
        )
        parser.add_argument(
            "--cancel-missing",
            action="store_true",
            default=None,
            help="each file is the complete schedule of its sessions for its dates: cancel"
            " what it leaves out (default: the configuration's <cancelMissing>)",
        )
        parser.add_argument(
            "--confirm-cancel",
            type=int,
            metavar="N",
            help="cancel N interventions as missing even when that is more than"
            " CANCEL_MISSING_MAX_SHARE of their scope (N: the count --dry-run gives)",
        )
        parser.add_argument("--data-dir", help="folder the configuration's paths are in")
        parser.add_argument("--force", action="store_true", help="import content seen before")
        parser.add_argument("--error-log", metavar="DIR", help="write a time-stamped error log")
        parser.add_argument("--backup-dir", metavar="DIR", help="move each file there after")
        parser.add_argument("--email", action="append", default=[], metavar="TO")
        parser.add_argument(
            "--language",
            metavar="LANG",
            help="the language of the text lines and the e-mail report, such as fr (default:"
            " LANGUAGE_CODE); --json and the error log stay English",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"] or translation.get_language()):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        self.as_json = options["json"]
        self.config_source = options["config"]
        configs = self._configs(options["config"])
        import_options = ImportOptions(
            dry_run=options["dry_run"],
            strict=options["strict"] or None,
            format=options["format"],
            encoding=options["encoding"],
            delimiter=DELIMITERS.get(options["delimiter"] or ""),
            date_format=self._date_format(options["date_format"]),
            conflicts=options["conflicts"],
            first_row_is_data=options["first_row_is_data"],
            cancel_missing=options["cancel_missing"],
            confirm_cancel=options["confirm_cancel"],
        )
        folder = Path(options["data_dir"]) if options["data_dir"] else data_dir()
        try:
            runs = self._run_all(configs, options, import_options, folder)
        except ConsolidationError as exc:
            text = with_hint(exc.message, exc.code)
            raise CommandError(text, returncode=EXIT_UNUSABLE) from None
        exit_status = max((self._exit_status(run) for run in runs), default=0)
        if exit_status:
            message = (
                gettext("Some files could not be used.")
                if exit_status == 2
                else gettext("Some rows have errors.")
            )
            raise CommandError(message, returncode=exit_status)

    @staticmethod
    def _date_format(source: str | None) -> str | None:
        if source and date_pattern(source) is None:
            message = DATE_FORMAT_NOT_VALID.format(value=source).translated()
            raise CommandError(f"{message} {DATE_FORMAT_HINT}", returncode=EXIT_UNUSABLE)
        return source

    def _run_all(
        self,
        configs: list[ImportConfig],
        options: dict,
        import_options: ImportOptions,
        folder: Path,
    ) -> list[FileRun]:
        runs = []
        if options["files"]:
            config = configs[0] if configs else None
            consolidation = self._consolidation(config, options, folder)
            for name in options["files"]:
                runs.append(self._process(Path(name), config, import_options, consolidation))
            return runs
        if not configs:
            message = gettext("Give FILEs to import, or --config with a provider.")
            raise CommandError(message, returncode=2)
        self._check_all(configs, folder)
        for config in configs:
            consolidation = self._consolidation(config, options, folder)
            files = discover(config, folder)
            if not files:
                self.stderr.write(no_match(config, folder))
            for path in files:
                runs.append(
                    self._process(path, config, import_options, consolidation, not options["force"])
                )
        return runs

    def _check_all(self, configs: list[ImportConfig], folder: Path) -> None:
        """Every ``<import>`` checked before any runs: nothing is written when one cannot run."""
        require_data_folder(folder)
        problems = [
            self._located(config, error)
            for config in configs
            for error in check_import(config, folder)
        ]
        if problems:
            raise CommandError("\n".join(problems), returncode=EXIT_UNUSABLE)

    def _located(self, config: ImportConfig, error: ConsolidationError) -> str:
        where = f"line {config.line}: " if config.line else ""
        return f"{self.config_source}: {where}{with_hint(error.message, error.code)}"

    def _process(
        self,
        path: Path,
        config: ImportConfig | None,
        import_options: ImportOptions,
        consolidation: Consolidation,
        guard: bool = False,
    ) -> FileRun:
        bar = None
        if not self.as_json:
            # The bar draws on OutputWrapper's own stream (``_out``, which the stubs omit).
            bar = ProgressBar.for_stream(cast(TextIO, self.stderr._out), str(path))
        run = process_file(path, config, import_options, consolidation, guard=guard, progress=bar)
        if bar:
            bar.close()
        self._report(run, self.as_json)
        return run

    def _configs(self, path: str | None) -> list[ImportConfig]:
        if path is None:
            return []
        try:
            configs = parse_config(Path(path).read_bytes(), source=path)
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror}.", returncode=EXIT_UNUSABLE) from None
        except ConfigError as exc:
            raise CommandError("\n".join(exc.lines()), returncode=EXIT_UNUSABLE) from None
        return configs

    def _consolidation(
        self, config: ImportConfig | None, options: dict, folder: Path
    ) -> Consolidation:
        consolidation = from_config(config, folder) if config else Consolidation()
        if options["error_log"]:
            consolidation.error_log_dir = Path(options["error_log"])
        if options["backup_dir"]:
            consolidation.backup_dir = Path(options["backup_dir"])
        consolidation.emails += options["email"]
        return consolidation

    @staticmethod
    def _exit_status(run: FileRun) -> int:
        result = run.result
        if result is None:
            return 0
        if not result.usable:
            return EXIT_UNUSABLE
        return EXIT_ROW_ERRORS if result.error_rows or run.consolidator_problems else 0

    def _report(self, run: FileRun, as_json: bool) -> None:
        if run.skipped:
            self._report_skipped(run, as_json)
            return
        result = run.result
        assert result is not None  # a file not skipped has a result
        if as_json:
            report = result.as_dict()
            if run.job is not None:  # a real run: the job that undo_import takes
                report["job"] = run.job.pk
            if run.consolidator_problems:
                report["consolidator_problems"] = run.consolidator_problems
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        for problem in result.file_errors + result.warnings + result.errors:
            target = self.stdout if problem.level == "WARNING" else self.stderr
            text = with_hint(problem.translated(), problem.code)
            text = with_suggestion(text, problem.suggestion)
            target.write(located(result.file_name, problem.line, text))
        if result.usable:
            self.stdout.write(f"{result.file_name}: {summary(result)}")
        for line in run.outputs:
            self.stdout.write(f"{result.file_name}: {line}")
        for problem_text in run.consolidator_problems:
            self.stderr.write(f"{result.file_name}: {problem_text}")

    def _report_skipped(self, run: FileRun, as_json: bool) -> None:
        code = code_of(run.skipped)
        if as_json:
            report = {"file": str(run.path), "skipped": run.skipped, "code": code}
            self.stdout.write(json.dumps(report))
        else:
            self.stdout.write(f"{run.path}: {with_hint(run.skipped, code)}")


def summary(result: ImportResult) -> str:
    """The counts of a file, in the active language."""
    counts = gettext(
        "{new} new, {updated} updated, {unchanged} unchanged, {errors} rows with errors"
    ).format(
        new=result.new,
        updated=result.updated,
        unchanged=result.unchanged,
        errors=result.error_rows,
    )
    if result.cancel_missing:
        counts = gettext("{counts}, {count} cancelled as missing").format(
            counts=counts, count=len(result.cancelled_missing)
        )
    if result.dry_run:
        return gettext("{counts} (dry run: nothing written).").format(counts=counts)
    if not result.committed:
        return gettext("{counts} (strict: nothing written).").format(counts=counts)
    return f"{counts}."
