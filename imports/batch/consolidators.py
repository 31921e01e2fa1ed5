"""End-of-file steps of the seed's batch pipeline, run in its order after each file:
time-stamped error log, move to backup, e-mail report, time logger.

They know the engine's ``ImportResult`` and the file system, not the terminal.
"""

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.core.mail import EmailMessage

from imports.engine.schedule import UNCHANGED_CONFLICT_CODES, rows_with_conflicts
from imports.parsing.config import ImportConfig
from imports.parsing.config_consolidators import DEFAULT_FOLDERS
from imports.parsing.messages import CANCELLED_MISSING, Message, code_of
from imports.parsing.results import ImportResult

TIME_STAMP = "%Y%m%d_%H%M%S"
DATA_DIR_MISSING = Message("data_dir_missing", "Data folder {folder} does not exist.")
DATA_DIR_NOT_A_FOLDER = Message("data_dir_not_a_folder", "Data folder {folder} is not a folder.")
PATH_OUTSIDE = Message("path_outside_data_dir", "Path {path} is outside the data folder {folder}.")


@dataclass
class Consolidation:
    """Which consolidators run after a file, and where they write."""

    error_log_dir: Path | None = None
    backup_dir: Path | None = None
    backup_time_stamp: bool = False
    emails: list[str] = field(default_factory=list)
    attach_error_log: bool = False
    time_logger: bool = False


class ConsolidationError(Exception):
    """A configuration that cannot be used here (no data folder, a path leading outside it).

    It carries a door-neutral ``Message``; a door adds its own hint by ``code``.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code_of(message)


def from_config(config: ImportConfig, data_dir: Path) -> Consolidation:
    consolidation = Consolidation()
    for name, options in config.consolidators:
        values = dict(options)
        if name == "timeStampedErrorLogConsolidator":
            consolidation.error_log_dir = inside(data_dir, _folder(values, "location"))
        elif name == "moveToBackupConsolidator":
            consolidation.backup_dir = inside(data_dir, _folder(values, "backupFolder"))
            consolidation.backup_time_stamp = values.get("addTimeStamp", "no").lower() == "yes"
        elif name == "emailReportConsolidator":
            consolidation.emails += [v for k, v in options if k == "targetEmail" and v]
            consolidation.attach_error_log = values.get("attachErrorLog", "no").lower() == "yes"
        elif name == "timeLoggerConsolidator":
            consolidation.time_logger = True
    return consolidation


def _folder(values: dict[str, str], option: str) -> str:
    return values.get(option, DEFAULT_FOLDERS[option])


def require_data_folder(data_dir: Path) -> Path:
    """The data folder, resolved; a missing one (or a file) is refused."""
    root = data_dir.resolve()
    if not root.exists():
        raise ConsolidationError(DATA_DIR_MISSING.format(folder=data_dir.absolute()))
    if not root.is_dir():
        raise ConsolidationError(DATA_DIR_NOT_A_FOLDER.format(folder=data_dir.absolute()))
    return root


def inside(data_dir: Path, relative: str) -> Path:
    """``relative`` resolved inside ``data_dir``; ``..`` and escapes (symbolic links) are refused.

    The parser already refused absolute paths and ``..``; this is the run-time guard, which
    alone can see where the data folder's links lead.
    """
    root = require_data_folder(data_dir)
    target = (root / relative).resolve()
    if ".." in Path(relative).parts or not target.is_relative_to(root):
        raise ConsolidationError(PATH_OUTSIDE.format(path=relative, folder=data_dir.absolute()))
    return target


def error_log_lines(result: ImportResult) -> list[str]:
    """``Line number:N,ERROR,<the row's cells>,<message>`` for every problem."""
    lines = []
    for problem in result.file_errors + result.warnings + result.errors:
        line = problem.line or -1
        cells = ",".join(result.error_cells.get(line) or result.warning_cells.get(line, []))
        lines.append(f"Line number:{problem.line or 0},{problem.level},{cells},{problem.message}")
    return lines


def write_error_log(result: ImportResult, directory: Path, now: dt.datetime) -> Path | None:
    lines = error_log_lines(result)
    if not lines:
        return None
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{now.strftime(TIME_STAMP)}_{Path(result.file_name).name}.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def move_to_backup(source: Path, directory: Path, time_stamp: bool, now: dt.datetime) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{now.strftime(TIME_STAMP)}_{source.name}" if time_stamp else source.name
    target = directory / name
    shutil.move(str(source), target)
    return target


def report_text(result: ImportResult) -> str:
    lines = [
        f"File: {result.file_name}",
        f"New: {result.new}",
        f"Updated: {result.updated}",
        f"Unchanged: {result.unchanged}",
        f"Rows with errors: {result.error_rows}",
        f"Rows with schedule conflicts: {rows_with_conflicts(result)}",
    ]
    standing = rows_with_conflicts(result, UNCHANGED_CONFLICT_CODES)
    if standing:
        lines.append(f"Rows with conflicts already in the schedule (not changed): {standing}")
    if result.cancel_missing:
        lines.append(f"Cancelled as missing: {len(result.cancelled_missing)}")
    lines += [
        f"Written: {'yes' if result.committed else 'no'}",
        f"Duration: {result.seconds:.2f} s",
    ]
    problems = result.file_errors + result.errors
    if problems:
        lines += ["", "Errors:"]
        lines += [f"line {p.line or '-'}: {p.message}" for p in problems[:100]]
        if len(problems) > 100:
            lines.append(f"… and {len(problems) - 100} more (see the error log).")
    cancelled = [w for w in result.warnings if w.code == CANCELLED_MISSING.code]
    if cancelled:
        lines += ["", "Cancelled as missing (not in the file):"]
        lines += [w.message for w in cancelled[:100]]
        if len(cancelled) > 100:
            lines.append(f"… and {len(cancelled) - 100} more (see the error log).")
    return "\n".join(lines) + "\n"


def send_report(result: ImportResult, emails: list[str], error_log: Path | None) -> None:
    status = "errors" if result.error_rows or result.file_errors else "ok"
    message = EmailMessage(
        subject=f"Import of {Path(result.file_name).name}: {status}",
        body=report_text(result),
        to=emails,
    )
    if error_log is not None:
        message.attach_file(str(error_log), mimetype="text/plain")
    message.send()


def time_line(result: ImportResult) -> str:
    return f"{result.file_name}: import took {result.seconds:.2f} s."
