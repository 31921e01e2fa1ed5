"""A lost database connection is a message, not a server error (PostgreSQL).

The backend of the connection that runs a confirm is terminated (``pg_terminate_backend``
from another connection) just before the second batch's write, as an administrator or a
failover would. Through each door (the admin's confirm, the worker, the command) the user is
told that nothing was written and that they can try again, nothing is written, the job is
still a preview (the admin, the worker), and the same import then succeeds.
"""

import io

import pytest
from django.contrib.messages import constants
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from imports import jobs
from imports.database.db_errors import DATABASE_LOST
from imports.jobs import runs
from imports.jobs.models import ImportJob
from imports.jobs.verdicts import VERDICT_MESSAGES
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import confirm_url, preview_url, upload
from tests.imports.admin_support import post as post_with_token
from tests.imports.fault_support import terminated_before_write
from training.models import Intervention

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="terminating a connection's backend needs PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo", "media"),
]

Status = ImportJob.Status
ROWS = [  # one a day: no schedule conflict
    make_row(
        interventionGuid=f"IV-L-{n}",
        roomGuid=f"R-L-{n}",
        roomLabel=f"Room L{n}",
        interventionDate=f"2027-03-0{n + 1}T09:00:00",
    )
    for n in range(5)
]
CONTENT = csv_bytes(ROWS)
LOST_CONFIRM = str(VERDICT_MESSAGES[jobs.Verdict.CONNECTION_LOST])


@pytest.fixture(autouse=True)
def small_batches(settings):
    settings.INTERVENTION_IMPORT = {"BATCH_SIZE": 2}


def imported() -> int:
    return Intervention.objects.filter(guid__startswith="IV-L-").count()


def test_admin_confirm_tells_the_user_and_keeps_the_preview(client):
    response = upload(client, CONTENT, name="lost.csv")
    client.get(response["Location"])  # consumes the upload's message
    job = ImportJob.objects.latest("pk")

    with terminated_before_write(Intervention, on_call=2) as calls:
        response = post_with_token(client, confirm_url(job.pk))

    assert len(calls) == 2
    assert (response.status_code, response["Location"]) == (302, preview_url(job.pk))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert [(m.level, str(m)) for m in page.context["messages"]] == [
        (constants.ERROR, LOST_CONFIRM)
    ]
    assert 'id="confirm-form"' in page.content.decode()  # it can be confirmed again
    job.refresh_from_db()
    assert (job.status, job.confirmed_by, job.finished_at) == (Status.PREVIEWED, None, None)
    assert imported() == 0

    post_with_token(client, confirm_url(job.pk))  # the same confirm, the connection back
    job.refresh_from_db()
    assert (job.status, job.new, imported()) == (Status.IMPORTED, len(ROWS), len(ROWS))


def test_admin_preview_stores_the_message_instead_of_a_server_error(client):
    with terminated_before_write(Intervention, on_call=1, statement="from") as calls:
        response = upload(client, CONTENT, name="lost.csv")

    assert len(calls) == 1  # the first batch's read of the stored interventions
    job = ImportJob.objects.latest("pk")
    assert (response.status_code, response["Location"]) == (302, preview_url(job.pk))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert str(DATABASE_LOST) in page.content.decode()
    assert job.status == Status.FAILED
    assert list(job.errors.values_list("code", flat=True)) == [DATABASE_LOST.code]
    assert imported() == 0


def test_worker_records_the_reason_and_keeps_the_preview():
    job = jobs.create_job(SimpleUploadedFile("lost.csv", CONTENT), None)
    jobs.preview_job(job)

    def queued() -> None:
        ImportJob.objects.filter(pk=job.pk).update(status=Status.QUEUED, activity="import")

    queued()
    with terminated_before_write(Intervention, on_call=2) as calls:
        status = runs.run_confirm(job.pk, None, None)

    assert len(calls) == 2
    assert status == Status.PREVIEWED
    job.refresh_from_db()
    assert (job.status, job.failure_reason) == (Status.PREVIEWED, LOST_CONFIRM)
    assert imported() == 0

    queued()  # confirmed again
    assert runs.run_confirm(job.pk, None, None) == Status.IMPORTED
    assert imported() == len(ROWS)


def test_command_says_so_and_records_the_failed_run(tmp_path):
    path = tmp_path / "lost.csv"
    path.write_bytes(CONTENT)
    stderr = io.StringIO()

    with (
        terminated_before_write(Intervention, on_call=2) as calls,
        pytest.raises(CommandError) as raised,
    ):
        call_command("import_interventions", str(path), stdout=io.StringIO(), stderr=stderr)

    assert len(calls) == 2
    assert raised.value.returncode == 2
    assert stderr.getvalue().splitlines() == [f"{path}: {DATABASE_LOST}"]
    job = ImportJob.objects.get()
    assert (job.status, job.new) == (Status.FAILED, 0)
    assert list(job.errors.values_list("message", "code")) == [
        (str(DATABASE_LOST), DATABASE_LOST.code)
    ]
    assert imported() == 0

    out = io.StringIO()
    call_command("import_interventions", str(path), stdout=out)  # run again
    assert (
        out.getvalue() == f"{path}: {len(ROWS)} new, 0 updated, 0 unchanged, 0 rows with errors.\n"
    )
    assert imported() == len(ROWS)
