"""Faults during a confirmed admin import: the user is told, nothing is half-written, no 500.

A database error in the middle of the run (injected with ``connection.execute_wrapper``), and
the stored upload missing or changed between the preview and the confirm.
"""

import pytest
from django.contrib.messages import constants
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from imports.jobs.models import ImportJob
from imports.jobs.preview import FILE_CHANGED, FILE_GONE
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import confirm_url, preview_url, upload
from tests.imports.admin_support import post as post_with_token
from tests.imports.fault_support import database_errors, failing_write
from training.models import Intervention, Room

pytestmark = pytest.mark.usefixtures("media")

ROWS = [  # one a day: no schedule conflict
    make_row(
        interventionGuid=f"IV-F-{n}",
        roomGuid=f"R-F-{n}",
        roomLabel=f"Room F{n}",
        interventionDate=f"2027-03-0{n + 1}T09:00:00",
    )
    for n in range(5)
]
FAILED_TEXT = "The file could not be imported; nothing was written."


def state() -> tuple:
    return (
        sorted(Intervention.objects.values_list("guid", "duration_minutes", "status")),
        sorted(Room.objects.values_list("guid", "label", "capacity")),
    )


def previewed_job(client, content: bytes = csv_bytes(ROWS)) -> ImportJob:
    response = upload(client, content, name="faults.csv")
    client.get(response["Location"])  # shows (and so consumes) the upload's message
    job = ImportJob.objects.latest("pk")
    assert job.status == "previewed"
    return job


def confirm_and_follow(client, job: ImportJob) -> tuple[object, list[tuple[int, str]]]:
    """POST the confirm form, then GET the page it leads to; return it and its messages."""
    response = post_with_token(client, confirm_url(job.pk))
    assert response.status_code == 302
    assert response["Location"] == preview_url(job.pk)
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page, [(m.level, str(m)) for m in page.context["messages"]]


def assert_told_failure(messages: list[tuple[int, str]], reason: str) -> None:
    assert [level for level, _ in messages] == [constants.ERROR]
    assert messages[0][1] == f"{FAILED_TEXT} {reason}"
    assert not any(level == constants.SUCCESS for level, _ in messages)


@database_errors
@pytest.mark.django_db(transaction=True)
def test_database_error_mid_confirm_rolls_back_and_tells_the_user(demo, client, settings, error):
    settings.INTERVENTION_IMPORT = {"BATCH_SIZE": 2}
    job = previewed_job(client)
    before = state()

    with failing_write(Intervention, error, on_call=2) as calls:
        page, messages = confirm_and_follow(client, job)

    assert len(calls) == 2  # the first batch was written, then rolled back
    assert state() == before
    reason = f"Database error, nothing was written: {error}"
    assert_told_failure(messages, reason)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.finished_at is not None
    assert list(job.errors.filter(file_level=True).values_list("message", flat=True)) == [reason]
    html = page.content.decode()
    assert reason in html
    assert 'id="confirm-form"' not in html


@pytest.mark.django_db(transaction=True)
def test_control_the_same_confirm_without_the_fault_imports_everything(demo, client, settings):
    settings.INTERVENTION_IMPORT = {"BATCH_SIZE": 2}
    job = previewed_job(client)
    response = post_with_token(client, confirm_url(job.pk))
    job.refresh_from_db()
    assert (job.status, job.new) == ("imported", len(ROWS))
    assert Intervention.objects.filter(guid__startswith="IV-F-").count() == len(ROWS)
    messages = [(m.level, str(m)) for m in client.get(response["Location"]).context["messages"]]
    assert [level for level, _ in messages] == [constants.SUCCESS]


def remove_file(job: ImportJob) -> None:
    default_storage.delete(job.file.name)


def clear_file_field(job: ImportJob) -> None:
    job.file = ""
    job.save(update_fields=["file"])


def replace_file(content: bytes):
    def change(job: ImportJob) -> None:
        name = job.file.name
        default_storage.delete(name)
        assert default_storage.save(name, ContentFile(content)) == name

    return change


OTHER_VALUES = csv_bytes([{**row, "interventionDuration": "9"} for row in ROWS])
SAME_ROWS_OTHER_BYTES = csv_bytes(ROWS).replace(b"\n", b"\r\n")


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (remove_file, FILE_GONE),
        (clear_file_field, FILE_GONE),
        (replace_file(OTHER_VALUES), FILE_CHANGED),
        (replace_file(SAME_ROWS_OTHER_BYTES), FILE_CHANGED),
        (replace_file(b""), FILE_CHANGED),
        (replace_file(b"\x00\xff" * 100), FILE_CHANGED),
    ],
    ids=["deleted", "field-cleared", "other-values", "same-rows-other-bytes", "emptied", "binary"],
)
def test_stored_upload_missing_or_changed_at_confirm(demo, client, fault, reason):
    job = previewed_job(client)
    before = state()
    fault(job)

    page, messages = confirm_and_follow(client, job)

    assert state() == before
    assert_told_failure(messages, reason)
    job.refresh_from_db()
    assert job.status == "failed"
    html = page.content.decode()
    assert reason in html
    assert 'id="confirm-form"' not in html
    assert job.file_name in html


def test_control_an_untouched_file_is_imported(demo, client):
    job = previewed_job(client)
    post_with_token(client, confirm_url(job.pk))
    job.refresh_from_db()
    assert (job.status, job.new) == ("imported", len(ROWS))
