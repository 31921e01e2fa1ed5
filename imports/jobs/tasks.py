"""Celery tasks of background imports: thin wrappers of ``runs.py``, sent by ``background.py``.

Their names are given (``imports.preview_job``, ``imports.confirm_job``), so that moving them
changes no message; ``imports/tasks.py`` names them where Celery's autodiscovery looks.

Acknowledged late and rejected when their worker process is lost (config/settings.py), so a
message is never dropped with its job left running; ``runs.claim`` makes a redelivery harmless.
"""

from celery import shared_task

from . import runs


@shared_task(name="imports.preview_job", acks_late=True, reject_on_worker_lost=True)
def preview_job_task(job_id: int) -> str:
    return runs.run_preview(job_id)


@shared_task(name="imports.confirm_job", acks_late=True, reject_on_worker_lost=True)
def confirm_job_task(job_id: int, user_id: int | None, strict: bool | None) -> str:
    return runs.run_confirm(job_id, user_id, strict)
