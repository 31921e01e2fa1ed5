"""``imports/jobs/states.py`` owns every status change: conditional, so one process wins."""

import ast
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import jobs
from imports.jobs import states as job_states
from imports.jobs.models import ImportJob
from tests.conftest import csv_bytes, make_row

pytestmark = pytest.mark.usefixtures("demo", "media")
Status = ImportJob.Status
PACKAGE = Path(__file__).resolve().parents[3] / "imports"
WRITING_CALLS = {"update", "create", "get_or_create", "update_or_create", "ImportJob"}


def status_writes(tree: ast.AST) -> list[int]:
    """Lines that assign ``x.status`` or pass ``status=`` to a call that writes or builds."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Attribute) and t.attr == "status" for t in targets):
                lines.append(node.lineno)
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in WRITING_CALLS and any(k.arg == "status" for k in node.keywords):
                lines.append(node.lineno)
    return lines


def new_job() -> ImportJob:
    return jobs.create_job(SimpleUploadedFile("f.csv", csv_bytes([make_row()])), None)


def test_no_module_but_job_states_writes_a_status():
    offenders = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PACKAGE / "jobs" / "states.py" and "migrations" not in path.parts
        for line in status_writes(ast.parse(path.read_text()))
    ]
    assert offenders == []
    assert status_writes(ast.parse((PACKAGE / "jobs" / "states.py").read_text()))  # the check sees


def test_a_transition_is_won_once():
    job = new_job()
    assert job_states.queue(job, activity="import", sources=job_states.OPEN, task_id="t1")
    assert not job_states.queue(job, activity="import", sources=job_states.OPEN, task_id="t2")
    assert job_states.claim(job.pk, activity="import") is not None
    assert job_states.claim(job.pk, activity="import") is None  # a redelivery runs nothing
    assert not job_states.cancel_queued(job, reason="too late")  # running: not queued any more
    job.refresh_from_db()
    assert (job.status, job.task_id) == (Status.RUNNING, "t1")


def test_a_finished_job_is_never_moved_back():
    job = new_job()
    jobs.preview_job(job)
    assert job_states.confirmed(job, committed=True, claimed=False, fields={})
    assert not job_states.previewed(job, usable=True, fields={})
    assert not job_states.expired(job)
    assert not job_states.failed(job, reason="late")
    job.refresh_from_db()
    assert job.status == Status.IMPORTED


def test_the_instance_follows_only_a_won_transition():
    job = new_job()
    ImportJob.objects.filter(pk=job.pk).update(status=Status.CANCELLED)
    assert not job_states.expired(job)
    assert job.status == Status.PREVIEWED  # this copy was not moved: it says so


def test_cancelling_a_running_job_writes_nothing_to_the_database():
    """The worker holds the job (on SQLite the write lock): the request goes by the cache."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from imports.jobs import background, live

    job = new_job()
    ImportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, activity="import")
    with CaptureQueriesContext(connection) as queries:
        assert background.cancel(job, "someone") is True
    assert [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SELECT")] == []
    assert live.cancel_requested(job.pk)
