"""``LOGGING``: what goes wrong, on standard error, one JSON object a line.

Every error (a request that failed with a 500, a worker that crashed) and the import
service's warnings (the ``imports`` loggers: a file store that is not reachable, a worker
finishing a job already failed) are written to standard error, where gunicorn, Celery,
systemd or a container runtime hand them to a log collector. Each line is one JSON object:
``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``, ``job`` (the import job's id,
when the line is about one) and ``exception`` (the traceback, when there is one).
``LOG_FORMAT=text`` writes plain lines instead; ``LOG_LEVEL`` (default WARNING) is the import
service's level. E-mail to ``ADMINS`` is left to the deployment (Django's ``mail_admins``
handler, with ``ADMINS`` and ``EMAIL_HOST`` set in its own settings module).
"""

import json
import logging
from datetime import UTC, datetime
from typing import Any

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s job=%(job)s %(message)s"


class JsonLines(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        job = getattr(record, "job", None)
        if job is not None:
            line["job"] = job
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False, default=str)


class TextLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "job"):
            record.job = "-"
        return super().format(record)


class ErrorsAndImports(logging.Filter):
    """Errors from anywhere; the import service's own records at its level."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.ERROR or record.name.split(".")[0] == "imports"


def logging_config(log_format: str = "json", level: str = "WARNING") -> dict[str, Any]:
    """Django's ``LOGGING`` (``disable_existing_loggers`` off: Django's own stay as they are)."""
    formatter = (
        {"()": TextLines, "format": TEXT_FORMAT}
        if log_format.strip().lower() == "text"
        else {"()": JsonLines}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"collector": formatter},
        "filters": {"errors_and_imports": {"()": ErrorsAndImports}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "collector",
                "filters": ["errors_and_imports"],
            }
        },
        "root": {"handlers": ["stderr"], "level": "WARNING"},
        "loggers": {"imports": {"level": level.strip().upper() or "WARNING"}},
    }
