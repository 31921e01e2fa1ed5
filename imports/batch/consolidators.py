"""End-of-file steps of the seed's batch pipeline, run in its order after each file:
time-stamped error log, move to backup, e-mail report, time logger.

They know the engine's ``ImportResult`` and the file system, not the terminal. The error log
is for programs too: the seed's format, its messages in English (``RowError.message``) in every
language. The e-mail report and the time line are for a person: in the active language (the
command's), the messages rendered from their codes and parameters (``RowError.translated``).
"""

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.core.mail import EmailMessage
from django.utils.translation import gettext

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
    """The e-mail report's body, in the active language."""
    lines = [
        gettext("File: {file}").format(file=result.file_name),
        gettext("New: {count}").format(count=result.new),
        gettext("Updated: {count}").format(count=result.updated),
        gettext("Unchanged: {count}").format(count=result.unchanged),
        gettext("Rows with errors: {count}").format(count=result.error_rows),
        gettext("Rows with schedule conflicts: {count}").format(count=rows_with_conflicts(result)),
    ]
    standing = rows_with_conflicts(result, UNCHANGED_CONFLICT_CODES)
    if standing:
        lines.append(
            gettext("Rows with conflicts already in the schedule (not changed): {count}").format(
                count=standing
            )
        )
    if result.cancel_missing:
        count = len(result.cancelled_missing)
        lines.append(gettext("Cancelled as missing: {count}").format(count=count))
    lines += [
        gettext("Written: yes") if result.committed else gettext("Written: no"),
        gettext("Duration: {seconds} s").format(seconds=f"{result.seconds:.2f}"),
    ]
    problems = result.file_errors + result.errors
    if problems:
        lines += ["", gettext("Errors:")]
        lines += [
            gettext("line {line}: {message}").format(line=p.line or "-", message=p.translated())
            for p in problems[:100]
        ]
        if len(problems) > 100:
            more = len(problems) - 100
            lines.append(gettext("… and {count} more (see the error log).").format(count=more))
    cancelled = [w for w in result.warnings if w.code == CANCELLED_MISSING.code]
    if cancelled:
        lines += ["", gettext("Cancelled as missing (not in the file):")]
        lines += [w.translated() for w in cancelled[:100]]
        if len(cancelled) > 100:
            more = len(cancelled) - 100
            lines.append(gettext("… and {count} more (see the error log).").format(count=more))
    return "\n".join(lines) + "\n"


def send_report(result: ImportResult, emails: list[str], error_log: Path | None) -> None:
    failed = result.error_rows or result.file_errors
    subject = gettext("Import of {file}: errors") if failed else gettext("Import of {file}: ok")
    message = EmailMessage(
        subject=subject.format(file=Path(result.file_name).name),
        body=report_text(result),
        to=emails,
    )
    if error_log is not None:
        message.attach_file(str(error_log), mimetype="text/plain")
    message.send()


def time_line(result: ImportResult) -> str:
    seconds = f"{result.seconds:.2f}"
    return gettext("{file}: import took {seconds} s.").format(
        file=result.file_name, seconds=seconds
    )
