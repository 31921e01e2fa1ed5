"""The admin's doors of issue 29: the upload form's checkbox, the preview's list of the
interventions cancelled as missing, the tick with the count above the share allowed, the
confirm's own check (an intervention created after the preview is not cancelled), the worker;
and conflicts that are the file's own (only those need the acknowledgement)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import jobs
from imports.engine import run_import
from imports.jobs import service
from imports.jobs.models import ImportJob
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import (
    confirm_url,
    job_url,
    page_messages,
    post,
    preview_url,
    upload,
)
from tests.imports.background_support import background_settings, eager  # noqa: F401
from tests.imports.engine.test_cancel_missing import FILE_ROWS, many_stored, stored
from tests.imports.engine.test_own_conflicts import OTHER_PAIR, PAIR
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo", "media")


def test_the_checkbox_the_list_and_the_counts(client):
    stored("IV-X", "2027-03-03T15:00:00")
    stored("IV-A", "2027-03-02T10:00:00")
    upload(client, csv_bytes(FILE_ROWS[:2]), cancel_missing="on")
    job = ImportJob.objects.get()
    assert (job.cancel_missing, job.cancelled_missing) == (True, 1)
    response = client.get(preview_url(job.pk))
    page = response.content.decode()
    assert 'id="cancelled-missing"' in page and 'data-guid="IV-X"' in page
    assert '<td id="count-cancelled-missing">1</td>' in page
    assert 'id="confirm-cancel"' not in page  # 1 of 2: not more than the share
    assert "1 cancelled as missing" in page_messages(response)[0]
    response = post(client, confirm_url(job.pk), {})
    job.refresh_from_db()
    assert job.status == "imported"
    assert "1 cancelled as missing" in page_messages(client.get(response["Location"]))[0]
    assert Intervention.objects.get(guid="IV-X").status == "C"
    assert 'data-guid="IV-X"' in client.get(job_url(job.pk)).content.decode()


def test_unticked_it_is_the_configuration_s(client):
    stored("IV-X", "2027-03-03T15:00:00")
    upload(client, csv_bytes(FILE_ROWS[:2]))
    job = ImportJob.objects.get()
    assert (job.cancel_missing, job.cancelled_missing) == (False, 0)
    assert 'id="cancelled-missing"' not in client.get(preview_url(job.pk)).content.decode()


def test_above_the_share_the_tick_with_the_count_is_needed(client):
    many_stored(3)
    upload(client, csv_bytes(FILE_ROWS[:2]), cancel_missing="on")
    job = ImportJob.objects.get()
    page = client.get(preview_url(job.pk)).content.decode()
    assert 'name="cancel_count" value="3"' in page
    assert "Cancel the 3 interventions missing from the file" in page
    refused = post(client, confirm_url(job.pk), {})
    assert "confirm that count to import" in page_messages(client.get(refused["Location"]))[0]
    wrong = post(client, confirm_url(job.pk), {"cancel_count": "2"})
    assert wrong["Location"] == preview_url(job.pk)
    job.refresh_from_db()
    assert job.status == "previewed"
    post(client, confirm_url(job.pk), {"cancel_count": "3"})
    job.refresh_from_db()
    assert (job.status, job.cancel_missing_confirmed) == ("imported", 3)
    assert Intervention.objects.filter(status="C").count() == 3


def test_an_intervention_created_after_the_preview_is_not_cancelled_by_its_confirm(client):
    """The confirm's own check: its outcome (the GUIDs it cancels included) is the
    preview's, else nothing is written and a new preview lists what is there now."""
    stored("IV-X", "2027-03-03T15:00:00")
    stored("IV-A", "2027-03-02T10:00:00")
    stored("IV-B", "2027-03-04T10:00:00")
    upload(client, csv_bytes(FILE_ROWS[:2]), cancel_missing="on")
    job = ImportJob.objects.get()
    assert job.cancelled_missing == 1
    other = [make_row(interventionGuid="IV-LATE", interventionDate="2027-03-03T17:00:00")]
    assert run_import(csv_bytes(other), "other.csv").new == 1  # another import, meanwhile
    done = service.start_confirm(job, None, None)
    assert done.verdict is service.Verdict.CHANGED
    assert Intervention.objects.get(guid="IV-LATE").status == "A"
    assert Intervention.objects.get(guid="IV-X").status == "A"
    job.refresh_from_db()
    assert (job.status, job.cancelled_missing) == ("previewed", 2)
    assert service.start_confirm(job, None, None).verdict is service.Verdict.IMPORTED
    assert Intervention.objects.get(guid="IV-LATE").status == "C"


def test_a_count_grown_past_the_share_after_the_preview_is_a_new_preview(client):
    stored("IV-A", "2027-03-02T10:00:00")
    stored("IV-B", "2027-03-04T10:00:00")
    stored("IV-X", "2027-03-03T15:00:00")
    upload(client, csv_bytes(FILE_ROWS[:2]), cancel_missing="on")
    job = ImportJob.objects.get()
    many_stored(2)
    done = service.start_confirm(job, None, None)
    assert done.verdict is service.Verdict.CHANGED
    job.refresh_from_db()
    assert (job.status, job.cancelled_missing) == ("previewed", 3)
    assert service.needs_cancel_confirmation(job)
    assert set(Intervention.objects.values_list("status", flat=True)) == {"A"}


@pytest.mark.usefixtures("eager")
def test_the_worker_carries_it(client):
    many_stored(3)
    upload(client, csv_bytes(FILE_ROWS[:2]), cancel_missing="on")
    job = ImportJob.objects.get()
    assert (job.activity, job.cancelled_missing) == ("preview", 3)
    post(client, confirm_url(job.pk), {"cancel_count": "3"})
    job.refresh_from_db()
    assert (job.status, job.activity, job.failure_reason) == ("imported", "import", "")
    assert Intervention.objects.filter(status="C").count() == 3


def test_a_job_s_count_and_confirmed_count_are_reset_by_a_new_preview():
    many_stored(3)
    job = jobs.create_job(
        SimpleUploadedFile("w.csv", csv_bytes(FILE_ROWS[:2])), None, cancel_missing=True
    )
    jobs.preview_job(job)
    ImportJob.objects.filter(pk=job.pk).update(cancel_missing_confirmed=3)
    jobs.preview_job(job)
    job.refresh_from_db()
    assert (job.cancelled_missing, job.cancel_missing_confirmed) == (3, None)


# Conflicts that are the file's own ------------------------------------------------------------


def test_only_the_file_s_own_conflicts_need_the_acknowledgement(demo, client):
    run_import(csv_bytes(PAIR + OTHER_PAIR), "a.csv")
    response = upload(client, csv_bytes(PAIR + OTHER_PAIR))
    job = ImportJob.objects.latest("pk")
    assert not service.needs_acknowledgement(job)
    page = client.get(preview_url(job.pk)).content.decode()
    assert 'id="standing-conflicts"' in page and 'id="schedule-conflicts"' not in page
    assert "already in the schedule, not changed by this file" in page.lower()
    assert 'id="acknowledge-conflicts"' not in page
    response = post(client, confirm_url(job.pk), {})
    job.refresh_from_db()
    assert response.status_code == 302 and job.status == "imported"


def test_a_changed_row_s_conflicts_still_need_it(demo, client):
    run_import(csv_bytes(PAIR + OTHER_PAIR), "a.csv")
    edited = [make_row(**{**PAIR[0], "interventionDuration": "2"}), PAIR[1], *OTHER_PAIR]
    job = jobs.create_job(SimpleUploadedFile("e.csv", csv_bytes(edited)), None)
    jobs.preview_job(job)
    assert service.needs_acknowledgement(job)
    page = client.get(preview_url(job.pk)).content.decode()
    assert 'id="standing-conflicts"' in page and 'id="schedule-conflicts"' in page
    refused = service.start_confirm(job, None, None)
    assert refused.verdict is service.Verdict.NOT_ACKNOWLEDGED
