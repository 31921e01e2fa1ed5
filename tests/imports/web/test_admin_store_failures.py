"""A file store that fails (unreachable: connection refused; timed out: no answer; refused:
the server answers with an error) is a clear message on every door and a recorded reason on
the job: never a 500, never a job waiting for a file it does not have. The commands and the
worker that need the store say so and exit 2."""

import logging
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from imports.jobs import tasks
from imports.jobs.models import ImportJob
from imports.parsing.messages import (
    STORE_UNREACHABLE,
    STORE_UNREACHABLE_DELETE,
    STORE_UNREACHABLE_DISCARD,
)
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import (
    client_for,
    confirm_url,
    discard_url,
    import_url,
    job_url,
    page_messages,
    post,
    preview_url,
    upload,
)
from tests.imports.web.test_admin_fixes import fix
from tests.imports.web.test_admin_mapping import french_file, mapping_url
from tests.s3_support import (
    FAILURES,
    closed_port,
    failing_store,
    require_s3_libraries,
    use_store,
)
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo")
ROOT = Path(__file__).resolve().parents[3]
Status = ImportJob.Status


@pytest.fixture(params=FAILURES)
def break_store(request, settings, monkeypatch, moto_endpoint, silent_server, refusing_server):
    """Call it to make the store fail as the parameter says, from then on."""
    endpoints = {"moto": moto_endpoint, "timeout": silent_server, "refused": refusing_server}

    def broken() -> str:
        use_store(settings, monkeypatch, failing_store(request.param, endpoints))
        return request.param

    return broken


def followed(response) -> list[str]:
    assert response.status_code == 200  # never a server error
    return page_messages(response)


def test_an_upload_to_a_failing_store_is_a_failed_job_with_its_reason(
    s3_store, break_store, admin_user, caplog
):
    break_store()
    client = client_for(admin_user)
    with caplog.at_level(logging.WARNING, logger="imports"):
        response = upload(client, csv_bytes([make_row()]))
    assert STORE_UNREACHABLE in followed(client.get(response["Location"]))
    job = ImportJob.objects.get()
    assert (job.status, job.failure_reason, job.file.name) == (Status.FAILED, STORE_UNREACHABLE, "")
    assert [e.code for e in job.errors.all()] == ["store_unreachable"]
    assert STORE_UNREACHABLE in client.get(preview_url(job.pk)).content.decode()
    assert client.get(mapping_url(job)).status_code == 302  # no mapping of a file not stored
    logged = [r for r in caplog.records if getattr(r, "job", None) == job.pk]
    assert logged and "storing the upload" in logged[0].getMessage()


def test_a_confirm_with_a_failing_store_keeps_the_preview(s3_store, break_store, admin_user):
    client = client_for(admin_user)
    upload(client, csv_bytes([make_row()]))
    job = ImportJob.objects.get()
    break_store()
    response = post(client, confirm_url(job.pk), follow=True)
    assert STORE_UNREACHABLE in followed(response)
    job.refresh_from_db()
    assert (job.status, job.failure_reason) == (Status.PREVIEWED, STORE_UNREACHABLE)
    assert not Intervention.objects.filter(guid="IV-1").exists()


def test_fix_mapping_discard_and_delete_with_a_failing_store(s3_store, break_store, admin_user):
    client = client_for(admin_user)
    upload(client, csv_bytes([make_row(teacherLogin="jdoee")]))
    job = ImportJob.objects.get()
    upload(client, french_file(), name="planning.csv")
    own = ImportJob.objects.latest("pk")
    kind = break_store()
    # a fix reads the file again: the job fails with the store's reason
    response = client.get(fix(client, job, replacement="jdoe")["Location"])
    assert STORE_UNREACHABLE in followed(response)
    job.refresh_from_db()
    assert (job.status, job.failure_reason) == (Status.FAILED, STORE_UNREACHABLE)
    # the mapping step reads the file's first rows
    response = client.get(mapping_url(own), follow=True)
    assert STORE_UNREACHABLE in followed(response)
    if kind == "no_bucket":
        return  # no file can be there: a discard or a delete is right to go on
    # discard and delete change nothing
    fresh = ImportJob.objects.create(file_name="x.csv", file="imports/99/x.csv", sha256="0")
    response = post(client, discard_url(fresh.pk), follow=True)
    assert STORE_UNREACHABLE_DISCARD in followed(response)
    assert ImportJob.objects.filter(pk=fresh.pk).exists()
    delete = job_url(fresh.pk).replace("/change/", "/delete/")
    response = post(client, delete, {"post": "yes"}, follow=True)
    assert STORE_UNREACHABLE_DELETE.format(job=f"#{fresh.pk}") in followed(response)
    assert ImportJob.objects.filter(pk=fresh.pk).exists()
    changelist = job_url(fresh.pk).rsplit("/", 3)[0] + "/"
    data = {"action": "delete_selected", "_selected_action": [fresh.pk], "post": "yes"}
    response = post(client, changelist, data, follow=True)
    assert STORE_UNREACHABLE in followed(response)
    assert ImportJob.objects.filter(pk=fresh.pk).exists()


def test_a_kept_upload_with_a_failing_store_is_a_form_error(s3_store, break_store, admin_user):
    client = client_for(admin_user)
    upload(client, csv_bytes([make_row()]), date_format="JJ")  # kept in the working store
    token_response = upload(client, csv_bytes([make_row()]), date_format="JJ")
    token = token_response.context["form"].data["kept_file"]
    break_store()
    response = upload(client, csv_bytes([make_row()]), date_format="JJ")
    assert response.status_code == 200
    assert STORE_UNREACHABLE in response.context["form"].errors["file"]
    data = {"kept_file": token, "date_format": "", "format": "", "configuration": ""}
    response = post(client, import_url(), data)
    assert response.status_code == 200
    assert STORE_UNREACHABLE in response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_purge_expired_imports_needs_the_store(s3_store, break_store):
    break_store()
    with pytest.raises(CommandError) as stopped:
        call_command("purge_expired_imports", stdout=StringIO())
    assert stopped.value.returncode == 2
    text = str(stopped.value)
    assert text.startswith("The file store is not reachable (")
    assert "the purge stopped" in text and "STORAGE_URL" in text


def test_a_worker_does_not_start_without_its_store(s3_store, break_store, caplog):
    tasks.check_the_store()  # the store answers: nothing said
    break_store()
    with caplog.at_level(logging.CRITICAL, logger="imports"), pytest.raises(SystemExit) as ended:
        tasks.check_the_store()
    assert ended.value.code == 2
    assert "the worker cannot read the uploaded files" in caplog.text


def test_a_celery_worker_without_its_store_exits_2(tmp_path):
    """The real worker command, on a host whose store is unreachable."""
    require_s3_libraries()
    environ = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    environ.update(
        failing_store("unreachable", {}),
        CELERY_BROKER_URL=f"redis://127.0.0.1:{closed_port()}/0",
        PYTHONPATH=str(ROOT),
    )
    celery = Path(sys.executable).parent / "celery"
    done = subprocess.run(
        [str(celery), "-A", "config", "worker", "-l", "warning", "--concurrency", "1"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "the worker cannot read the uploaded files and does not start" in done.stderr
