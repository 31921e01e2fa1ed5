"""``manage.py export_interventions``: the batch door to the export service.

It writes the interventions as our importer reads them: to ``-o FILE`` (written whole or
not at all) or, for CSV, to standard output; a value the file cannot hold is an error naming
its line, intervention and column, and nothing is written.
"""

import argparse
import datetime as dt
import shutil
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from imports.export.service import (
    FORMATS,
    ExportError,
    ExportFilter,
    export_to_path,
    export_to_temporary,
    select,
)
from imports.parsing.config import ConfigError, ImportConfig, parse_config

EXIT_UNUSABLE = 2


class Command(BaseCommand):
    help = (
        "Export interventions in the import format (header row, ISO dates, A/C codes),"
        " or in a configuration's columns, delimiter, encoding, dateFormat and codes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", metavar="FILE", help="default: standard output")
        parser.add_argument("--config", metavar="XML", help="the seed system's XML configuration")
        parser.add_argument(
            "--format", choices=FORMATS, help="default: the extension of FILE, else csv"
        )
        parser.add_argument("--training", metavar="GUID", help="only this training's")
        parser.add_argument("--session", metavar="GUID", help="only this session's")
        parser.add_argument("--since", metavar="DATE", type=moment, help="starting on or after")
        parser.add_argument("--until", metavar="DATE", type=moment, help="starting on or before")
        parser.add_argument(
            "--status",
            choices=["A", "C"],
            help="only the active (A) or the cancelled (C) ones, whatever codes the file writes",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output = Path(options["output"]) if options["output"] else None
        file_format = options["format"] or _format_of(output)
        if output is None and file_format != "csv":
            raise CommandError(f"--format {file_format} needs -o FILE.", returncode=EXIT_UNUSABLE)
        config = _config(options["config"])
        filters = ExportFilter(
            options["training"],
            options["session"],
            options["since"],
            options["until"],
            options["status"],
        )
        queryset = select(filters)
        try:
            if output is not None:
                count = export_to_path(queryset, output, config, file_format)
            else:
                count = self._to_stdout(queryset, config)
        except ExportError as exc:
            raise CommandError(f"{exc.message} Nothing was exported.", returncode=1) from None
        except OSError as exc:
            raise CommandError(f"{output}: {exc.strerror}.", returncode=EXIT_UNUSABLE) from None
        where = output or "standard output"
        self.stderr.write(f"{count} interventions exported to {where}.")

    def _to_stdout(self, queryset: Any, config: ImportConfig | None) -> int:
        """The whole file is made first (in a temporary file), so a failure prints nothing."""
        spool, count = export_to_temporary(queryset, config, "csv")
        with spool:
            binary = getattr(self.stdout._out, "buffer", None)
            if binary is not None and self.stdout._out in (sys.stdout, sys.__stdout__):
                self.stdout.flush()
                shutil.copyfileobj(spool, binary)
                binary.flush()
            else:  # a text stream (call_command's stdout): the file's text
                encoding = (config.encoding if config else None) or "utf-8"
                self.stdout.write(spool.read().decode(encoding), ending="")
        return count


def moment(value: str) -> dt.date:
    """A DATE option: ``YYYY-MM-DD`` (the whole day), or a date-time."""
    try:
        if len(value) <= 10:
            return dt.date.fromisoformat(value)
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value} is not a date (YYYY-MM-DD)") from None


def _format_of(output: Path | None) -> str:
    suffix = output.suffix.lower().lstrip(".") if output else ""
    return suffix if suffix in FORMATS else "csv"


def _config(path: str | None) -> ImportConfig | None:
    if path is None:
        return None
    try:
        return parse_config(Path(path).read_bytes(), source=path)[0]
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror}.", returncode=EXIT_UNUSABLE) from None
    except ConfigError as exc:
        raise CommandError("\n".join(exc.lines()), returncode=EXIT_UNUSABLE) from None
