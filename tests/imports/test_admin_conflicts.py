"""Schedule conflicts in the admin (issue 12): what a job stores of them, the upload's policy,
the preview's section, and the acknowledgement that confirming conflict warnings needs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import jobs
from imports.engine import ImportOptions, run_import
from imports.models import ImportJob, ImportJobError
from tests.conftest import csv_bytes, make_row

from .admin_support import import_url, job_url, preview_url, upload

pytestmark = pytest.mark.usefixtures("demo", "media")

# Two rows booking the same teacher (jdoe) and room at the same time: lines 2 and 3.
CONFLICTING = csv_bytes([make_row(), make_row(interventionGuid="IV-2")])
STORED = ("line", "column", "value", "level", "code", "conflicts_with", "conflicts_with_line")


def new_job(content: bytes = CONFLICTING, conflicts: str = "") -> ImportJob:
    upload = SimpleUploadedFile("interventions.csv", content)
    return jobs.create_job(upload, None, conflicts=conflicts)


def conflicts_of(job: ImportJob) -> list[tuple]:
    errors = job.errors.filter(code__in=["teacher_booked", "room_booked"])
    return list(errors.order_by("line", "code").values_list(*STORED))


def test_a_preview_stores_the_other_intervention_and_its_line():
    job = new_job()
    jobs.preview_job(job)
    assert conflicts_of(job) == [
        (2, "roomGuid", "R-101", "WARNING", "room_booked", "IV-2", 3),
        (2, "teacherLogin", "jdoe", "WARNING", "teacher_booked", "IV-2", 3),
        (3, "roomGuid", "R-101", "WARNING", "room_booked", "IV-1", 2),
        (3, "teacherLogin", "jdoe", "WARNING", "teacher_booked", "IV-1", 2),
    ]


def test_a_conflict_with_the_database_stores_no_line():
    run_import(csv_bytes([make_row()]), "first.csv", options=ImportOptions())
    job = new_job(csv_bytes([make_row(interventionGuid="IV-2")]))
    jobs.preview_job(job)
    assert conflicts_of(job) == [
        (2, "roomGuid", "R-101", "WARNING", "room_booked", "IV-1", None),
        (2, "teacherLogin", "jdoe", "WARNING", "teacher_booked", "IV-1", None),
    ]


def test_other_problems_store_no_conflict():
    job = new_job(csv_bytes([make_row(teacherLogin="nobody")]))
    jobs.preview_job(job)
    assert list(ImportJobError.objects.values_list("conflicts_with", "conflicts_with_line")) == [
        ("", None)
    ]


def test_the_preview_and_the_confirm_use_the_policy_of_the_job(settings, admin_user):
    settings.INTERVENTION_IMPORT = {"CONFLICTS": "warn"}
    job = new_job(conflicts="error")
    jobs.preview_job(job)
    assert (job.new, job.error_rows) == (0, 2)
    done = jobs.confirm_job(job, admin_user)
    # Run with the setting's "warn", the confirm would find two new rows: CHANGED.
    assert (done.verdict, done.job.status, done.job.new) == (jobs.Verdict.IMPORTED, "imported", 0)


def test_a_job_without_a_policy_follows_the_setting(settings):
    settings.INTERVENTION_IMPORT = {"CONFLICTS": "ignore"}
    job = new_job()
    jobs.preview_job(job)
    assert (job.conflicts, job.new, job.errors.count()) == ("", 2, 0)


def upload_conflicting(client, content: bytes = CONFLICTING, **fields: str) -> ImportJob:
    response = upload(client, content, **fields)
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == preview_url(job.pk)
    return job


# The upload's choice


@pytest.mark.parametrize("setting", ["warn", "error", "ignore"])
def test_the_upload_form_offers_the_policies_the_setting_first(client, settings, setting):
    settings.INTERVENTION_IMPORT = {"CONFLICTS": setting}
    html = client.get(import_url()).content.decode()
    assert f'<option value="{setting}" selected>{setting.capitalize()}</option>' in html
    assert [name for name in ("warn", "error", "ignore") if f'value="{name}"' not in html] == []


def test_error_makes_both_rows_errors(client):
    job = upload_conflicting(client, conflicts="error")
    assert (job.conflicts, job.new, job.error_rows) == ("error", 0, 2)
    assert set(job.errors.values_list("level", flat=True)) == {"ERROR"}
    errors = client.get(preview_url(job.pk)).context["page_obj"]
    assert [e.code for e in errors] == ["room_booked", "teacher_booked"] * 2


def test_ignore_checks_nothing(client, settings):
    settings.INTERVENTION_IMPORT = {"CONFLICTS": "error"}
    job = upload_conflicting(client, conflicts="ignore")
    assert (job.conflicts, job.new, job.error_rows, job.errors.count()) == ("ignore", 2, 0, 0)


def test_an_upload_without_the_choice_follows_the_setting(client, settings):
    settings.INTERVENTION_IMPORT = {"CONFLICTS": "error"}
    job = upload_conflicting(client)
    assert (job.conflicts, job.error_rows) == ("", 2)


def test_an_unknown_policy_is_a_form_error(client):
    response = upload(client, CONFLICTING, conflicts="maybe")
    assert response.status_code == 200
    assert "conflicts" in response.context["form"].errors
    assert not ImportJob.objects.exists()


def test_uploading_again_keeps_the_policy(client):
    job = upload_conflicting(client, conflicts="ignore")
    html = client.get(job_url(job.pk)).content.decode()
    assert f"{import_url()}?conflicts=ignore" in html
    form = client.get(f"{import_url()}?conflicts=ignore").context["form"]
    assert form.initial["conflicts"] == "ignore"
