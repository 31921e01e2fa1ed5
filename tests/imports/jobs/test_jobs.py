"""The jobs service (what the admin and workers call) and the expiry command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from imports import jobs
from imports.jobs.models import ImportConfiguration, ImportJob
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import SAMPLES, make_user
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo", "media")


def new_job(content: bytes | None = None, name: str = "f.csv", **kwargs) -> ImportJob:
    content = csv_bytes([make_row()]) if content is None else content
    job = jobs.create_job(SimpleUploadedFile(name, content), None, **kwargs)
    jobs.preview_job(job)
    return job


def age(job: ImportJob, hours: float) -> None:
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=hours))


def test_preview_stores_rows_errors_and_digest():
    job = new_job((SAMPLES / "interventions_with_errors.csv").read_bytes())
    assert job.rows.count() == 10
    assert job.rows.filter(outcome="error", cells__isnull=False).count() == 9
    assert job.errors.filter(file_level=False, level="ERROR").count() == 9  # 1.5 on line 8: 1 h 30
    assert len(job.outcome_digest) == 64
    assert job.header[0] == "interventionGuid"


def test_confirm_imports_when_the_outcome_is_the_same():
    job = new_job()
    done = jobs.confirm_job(job, None)
    assert done.verdict is jobs.Verdict.IMPORTED
    assert Intervention.objects.filter(guid="IV-1").exists()


def test_confirm_rolls_back_when_the_outcome_changed():
    job = new_job(csv_bytes([make_row(), make_row(interventionGuid="IV-2")]))
    jobs.confirm_job(new_job(csv_bytes([make_row(interventionDuration="9")])), None)
    done = jobs.confirm_job(job, None)
    assert done.verdict is jobs.Verdict.CHANGED
    assert not Intervention.objects.filter(guid="IV-2").exists()
    assert Intervention.objects.get(guid="IV-1").duration_minutes == 540
    job.refresh_from_db()
    assert (job.status, job.new, job.updated) == ("previewed", 1, 1)


def test_confirm_when_the_file_is_gone_fails_and_writes_nothing():
    job = new_job()
    default_storage.delete(job.file.name)
    done = jobs.confirm_job(job, None)
    assert done.verdict is jobs.Verdict.FAILED
    assert job.errors.get(file_level=True).message == jobs.FILE_GONE
    assert not Intervention.objects.exists()


def test_confirm_when_the_configuration_was_deleted_fails():
    config = ImportConfiguration.objects.create(
        name="cfg", xml=(SAMPLES / "config.xml").read_text()
    )
    job = new_job(configuration=config)
    config.delete()
    job.refresh_from_db()
    done = jobs.confirm_job(job, None)
    assert done.verdict is jobs.Verdict.FAILED
    assert "cfg no longer exists" in job.errors.get(file_level=True).message


def test_four_eyes_refuses_the_uploader(settings):
    settings.INTERVENTION_IMPORT = {"FOUR_EYES": True}
    uploader = make_user("uploader")
    job = jobs.create_job(SimpleUploadedFile("f.csv", csv_bytes([make_row()])), uploader)
    jobs.preview_job(job)
    assert jobs.confirm_job(job, uploader).verdict is jobs.Verdict.SAME_USER
    assert jobs.confirm_job(job, make_user("other")).verdict is jobs.Verdict.IMPORTED


@pytest.mark.parametrize(
    ("status", "hours", "expired"),
    [
        ("previewed", 100, True),
        ("previewed", 10, False),
        ("imported", 100, False),
        ("failed", 100, False),
    ],
)
def test_purge_expired(status, hours, expired):
    job = new_job()
    ImportJob.objects.filter(pk=job.pk).update(status=status)
    age(job, hours)
    file_name = job.file.name
    assert [j.pk for j in jobs.purge_expired()] == ([job.pk] if expired else [])
    job.refresh_from_db()
    assert (job.status == "expired") is expired
    assert default_storage.exists(file_name) is not expired
    assert job.rows.exists() is not expired


def test_expired_job_cannot_be_confirmed():
    job = new_job()
    age(job, 100)
    jobs.purge_expired()
    assert jobs.confirm_job(job, None).verdict is jobs.Verdict.NOT_OPEN
    assert not Intervention.objects.exists()


@pytest.mark.parametrize(
    ("setting", "args", "expired"),
    [({}, [], 0), ({"PREVIEW_MAX_AGE_HOURS": 1}, [], 1), ({}, ["--hours", "1"], 1)],
)
def test_purge_command(settings, setting, args, expired):
    settings.INTERVENTION_IMPORT = setting
    age(new_job(), 5)
    out = StringIO()
    call_command("purge_expired_imports", *args, stdout=out)
    assert f"{expired} previews expired." in out.getvalue()
    assert ImportJob.objects.filter(status="expired").count() == expired


def test_purge_command_refuses_negative_hours():
    with pytest.raises(CommandError, match="--hours"):
        call_command("purge_expired_imports", "--hours", "-1")
