"""Celery tasks of background imports: thin wrappers of ``runs.py``, sent by ``background.py``.

Their names are given (``imports.preview_job``, ``imports.confirm_job``), so that moving them
changes no message; ``imports/tasks.py`` names them where Celery's autodiscovery looks.

Acknowledged late and rejected when their worker process is lost (config/settings.py), so a
message is never dropped with its job left running; ``runs.claim`` makes a redelivery harmless.

A worker checks the file store when it starts (``worker_init``): a store that fails stops it
with exit status 2 and says why.
"""

import logging

from celery import shared_task
from celery.signals import worker_init

from imports.parsing.messages import STORE_UNREACHABLE_COMMAND

from . import file_store, runs

logger = logging.getLogger(__name__)


@shared_task(name="imports.preview_job", acks_late=True, reject_on_worker_lost=True)
def preview_job_task(job_id: int) -> str:
    return runs.run_preview(job_id)


@shared_task(name="imports.confirm_job", acks_late=True, reject_on_worker_lost=True)
def confirm_job_task(job_id: int, user_id: int | None, strict: bool | None) -> str:
    return runs.run_confirm(job_id, user_id, strict)


@worker_init.connect
def check_the_store(**kwargs: object) -> None:
    """A worker reads every job's file from the store: it does not start when the store
    fails (exit status 2, the reason logged), rather than fail every job it would take."""
    try:
        file_store.check()
    except file_store.StoreUnreachable as error:
        what = "the worker cannot read the uploaded files and does not start"
        text = STORE_UNREACHABLE_COMMAND.format(error=error.detail, what=what)
        logger.critical(text)
        raise SystemExit(2) from error
