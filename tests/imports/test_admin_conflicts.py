"""Schedule conflicts in the admin (issue 12): what a job stores of them, the upload's policy,
the preview's section, and the acknowledgement that confirming conflict warnings needs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import jobs
from imports.engine import ImportOptions, run_import
from imports.models import ImportJob, ImportJobError
from tests.conftest import csv_bytes, make_row

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
