"""Hostile cells through every path that stores a job (issue 25): the command, the admin's
preview and confirm, the worker and the batch pipeline, on both databases. Whatever a cell
holds (a NUL, control characters, 10,000 characters), nothing raises, the job keeps every
error with its storable value, the error report is written, and the file's other row is
imported as it would be without that cell."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import jobs
from imports.jobs import runs
from imports.jobs.error_report import error_report_csv
from imports.jobs.models import ImportJob
from imports.parsing.storable import storable_text
from tests.conftest import HEADER, csv_bytes, make_row
from tests.imports.admin_support import confirm_url, post, preview_url, report_url, upload
from tests.imports.command_support import run_command
from training.models import Intervention, Room

pytestmark = pytest.mark.django_db

Status = ImportJob.Status
# The other row: valid, its own slot; the hostile row books another room on another day, so
# that only its hostile cell can make it differ.
GOOD = make_row(interventionGuid="IV-GOOD")
BASE = make_row(
    interventionGuid="IV-HOSTILE",
    interventionDate="2027-03-02T09:00:00",
    roomGuid="R-900",
    roomLabel="Room 900",
)
HOSTILE = [
    ("roomLabel", "a\x00b"),  # the case
    ("teacherLogin", "jd\x00oe"),
    ("interventionGuid", "IV\x00" + "G" * 300),  # longer than the job row's GUID column too
    ("roomGuid", "R" * 10_000),
    ("interventionDate", "2027-03-02\x00T09:00:00"),
    ("interventionDuration", "3\x00"),
    ("interventionStatus", "A\x00"),
    ("sessionGuid", "SE-\x001"),
    ("roomLabel", "\x01\x02\x1b[0m\x07 room"),  # control characters: data, imported as they are
]
IDS = [f"{field}-{n}" for n, (field, _) in enumerate(HOSTILE)]


def hostile_file(field: str, value: str) -> bytes:
    return csv_bytes([GOOD, {**BASE, field: value}])


def is_data(field: str, value: str) -> bool:
    """The one hostile cell that is a valid value (control characters in a label)."""
    return "\x00" not in value and len(value) < 255


def check_job(job: ImportJob, field: str, value: str, *, imported: bool) -> None:
    """The job as every door must leave it: its counts, its hostile error stored as the
    storable text of the cell, its row's cells kept, its error report written."""
    job.refresh_from_db()
    good = Intervention.objects.filter(guid="IV-GOOD").exists()
    assert good is imported
    if is_data(field, value):
        assert (job.new, job.error_rows) == (2, 0)
        if imported:
            assert Room.objects.get(guid="R-900").label == value
        return
    assert (job.new, job.error_rows) == (1, 1)
    [error] = job.errors.filter(line=3, level="ERROR")
    assert (error.column, error.value) == (field, storable_text(value))
    assert "\x00" not in error.message
    report = error_report_csv(job).decode("utf-8")
    assert error.message in report
    for row in job.rows.filter(line=3):  # a preview's rows (the command keeps errors only)
        assert row.outcome == "error"
        assert row.cells[HEADER.index(field)] == storable_text(value)
        assert len(row.guid) <= 255
        assert storable_text(value) in report
    assert not Intervention.objects.filter(guid="IV-HOSTILE").exists()


@pytest.mark.parametrize(("field", "value"), HOSTILE, ids=IDS)
def test_the_command_stores_the_job_with_its_errors(demo, tmp_path, media, field, value):
    path = tmp_path / "hostile.csv"
    path.write_bytes(hostile_file(field, value))
    status, out, err = run_command("import_interventions", str(path))
    assert status == (0 if is_data(field, value) else 1)
    assert "Traceback" not in out + err
    check_job(ImportJob.objects.get(), field, value, imported=True)


@pytest.mark.parametrize(("field", "value"), HOSTILE, ids=IDS)
def test_the_admin_previews_reports_and_confirms(demo, client, media, field, value):
    response = upload(client, hostile_file(field, value))
    job = ImportJob.objects.get()
    assert response["Location"] == preview_url(job.pk)
    assert client.get(preview_url(job.pk)).status_code == 200
    check_job(job, field, value, imported=False)
    if not is_data(field, value):
        assert client.get(report_url(job.pk)).status_code == 200
    post(client, confirm_url(job.pk), {"strict": "", "acknowledge": "on"})
    job.refresh_from_db()
    assert job.status == Status.IMPORTED
    check_job(job, field, value, imported=True)


@pytest.mark.parametrize(("field", "value"), HOSTILE, ids=IDS)
def test_the_worker_previews_and_confirms(demo, media, field, value):
    upload = SimpleUploadedFile("hostile.csv", hostile_file(field, value))
    job = jobs.create_job(upload, None)
    ImportJob.objects.filter(pk=job.pk).update(status=Status.QUEUED, activity="preview")
    assert runs.run_preview(job.pk) == Status.PREVIEWED
    check_job(job, field, value, imported=False)
    ImportJob.objects.filter(pk=job.pk).update(status=Status.QUEUED, activity="import")
    assert runs.run_confirm(job.pk, None, None) == Status.IMPORTED
    check_job(job, field, value, imported=True)


def pipeline_config(data_dir: Path) -> str:
    fields = "".join(f"<{name}/>" for name in HEADER)
    xml = f"""<import-config><import><providers><fileSystemSourceProvider>
      <fileName>*.csv</fileName><path>in</path><delimiter>semicolon</delimiter>
      </fileSystemSourceProvider></providers>
      <actions><createOrUpdateInterventionAction><fields>{fields}</fields>
      </createOrUpdateInterventionAction></actions>
      <consolidators><timeStampedErrorLogConsolidator><location>logs</location>
      </timeStampedErrorLogConsolidator></consolidators></import></import-config>"""
    path = data_dir / "import-config.xml"
    path.write_text(xml)
    return str(path)


@pytest.mark.parametrize(("field", "value"), HOSTILE, ids=IDS)
def test_the_pipeline_records_the_job(demo, tmp_path, settings, field, value):
    settings.INTERVENTION_IMPORT = {"DATA_DIR": str(tmp_path)}
    for folder in ("in", "logs"):
        (tmp_path / folder).mkdir()
    (tmp_path / "in" / "hostile.csv").write_bytes(hostile_file(field, value))
    status, out, err = run_command("import_interventions", "--config", pipeline_config(tmp_path))
    assert status == (0 if is_data(field, value) else 1)
    assert "Traceback" not in out + err
    check_job(ImportJob.objects.get(), field, value, imported=True)


@pytest.mark.parametrize(("field", "value"), HOSTILE[:3], ids=IDS[:3])
def test_the_json_output_names_the_value_as_it_was(demo, tmp_path, media, field, value):
    path = tmp_path / "hostile.csv"
    path.write_bytes(hostile_file(field, value))
    _, out, _ = run_command("import_interventions", str(path), "--json")
    [error] = json.loads(out)["errors"]
    assert error["value"] == value  # the door's own copy: JSON escapes what it must
