"""Celery's place for the app's tasks (``app.autodiscover_tasks()`` imports ``imports.tasks``).

The two tasks of background imports live in ``jobs/tasks.py``, where the job service that
sends them can import them; their names (``imports.preview_job``, ``imports.confirm_job``) are
given there, so that no message changes.
"""

from imports.jobs.tasks import confirm_job_task, preview_job_task

__all__ = ["confirm_job_task", "preview_job_task"]
