"""Every storage path of the import flow, on both stores: the local MEDIA_ROOT and an S3
bucket (moto's server, tests/s3_support.py): upload, kept upload, preview read, fix and
mapping reads, confirm, a worker's reads, error report, undo, discard, purge (previews, kept
uploads, KEEP_FILES_DAYS)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from imports.jobs import service
from imports.jobs.models import ImportJob
from imports.parsing.messages import STORE_UNREACHABLE
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import (
    client_for,
    confirm_url,
    discard_url,
    import_url,
    post,
    preview_url,
    report_url,
    upload,
)
from tests.imports.background_support import background_settings, eager, many_rows  # noqa: F401
from tests.imports.web.test_admin_fixes import fix
from tests.imports.web.test_admin_mapping import french_file, mapping_url
from tests.s3_support import PREFIX, failing_store, use_store
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo")
Status = ImportJob.Status


class LocalStore:
    def __init__(self, root) -> None:
        self.root = root

    def objects(self) -> list[str]:
        return sorted(
            str(path.relative_to(self.root)) for path in self.root.rglob("*") if path.is_file()
        )


@pytest.fixture(params=["local", "s3"])
def store(request, settings, tmp_path):
    """The uploads' store: MEDIA_ROOT, or an S3 bucket (keys under ``uploads/``)."""
    if request.param == "local":
        settings.MEDIA_ROOT = tmp_path / "media"
        return LocalStore(tmp_path / "media")
    return request.getfixturevalue("s3_store")


def stored(store, job: ImportJob) -> bool:
    key = job.file.name if isinstance(store, LocalStore) else f"{PREFIX}/{job.file.name}"
    return key in store.objects()


def uploaded(client, content: bytes, name: str = "week.csv") -> ImportJob:
    response = upload(client, content, name=name)
    assert response.status_code == 302
    return ImportJob.objects.latest("pk")


def test_upload_preview_confirm_report_and_undo(store, admin_user):
    client = client_for(admin_user)
    rows = [make_row(), make_row(interventionGuid="IV-2", teacherLogin="nobody")]
    job = uploaded(client, csv_bytes(rows))
    assert (job.status, job.new, job.error_rows) == (Status.PREVIEWED, 1, 1)  # read back
    assert stored(store, job)
    assert default_storage.open(job.file.name).read() == csv_bytes(rows)
    assert "Teacher with login nobody" in client.get(preview_url(job.pk)).content.decode()
    report = client.get(report_url(job.pk)).content.decode("utf-8-sig")
    assert "nobody" in report and "teacher_not_found" in report
    response = post(client, confirm_url(job.pk))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, Intervention.objects.filter(guid="IV-1").count()) == (Status.IMPORTED, 1)
    assert service.undo_import(job, admin_user).counts.deleted == 1
    assert not Intervention.objects.filter(guid="IV-1").exists()


def test_fix_and_mapping_read_the_stored_file(store, admin_user):
    client = client_for(admin_user)
    job = uploaded(client, csv_bytes([make_row(teacherLogin="jdoee")]))
    assert job.error_rows == 1
    fix(client, job, replacement="jdoe")
    job.refresh_from_db()
    assert (job.status, job.new, job.error_rows) == (Status.PREVIEWED, 1, 0)
    own = uploaded(client, french_file(), name="planning.csv")
    assert own.status == Status.FAILED  # a header of its own: the mapping step
    page = client.get(mapping_url(own))
    assert page.status_code == 200
    assert "2027-05-03T09:00:00" in page.content.decode()  # its first values, read again


def test_a_kept_upload_is_stored_used_and_dropped(store, admin_user):
    client = client_for(admin_user)
    content = csv_bytes([make_row()])
    response = upload(client, content, name="kept.csv", date_format="JJ/MM")
    token = response.context["form"].data["kept_file"]
    assert any("imports/kept/" in key for key in store.objects())
    data = {"kept_file": token, "date_format": "", "format": "", "configuration": ""}
    assert post(client, import_url(), data).status_code == 302
    job = ImportJob.objects.get()
    assert (job.file_name, job.new) == ("kept.csv", 1)
    assert [key for key in store.objects() if "imports/kept/" in key] == []  # dropped
    assert service.kept_upload(token) is None


def test_discard_deletes_the_file(store, admin_user):
    client = client_for(admin_user)
    job = uploaded(client, csv_bytes([make_row()]))
    assert stored(store, job)
    assert post(client, discard_url(job.pk)).status_code == 302
    assert not ImportJob.objects.filter(pk=job.pk).exists()
    assert store.objects() == []


def test_purge_expired_imports_by_listing(store, admin_user, settings):
    """Previews, kept uploads (by listing: no folder asked about) and finished jobs' files."""
    settings.INTERVENTION_IMPORT = {"KEEP_FILES_DAYS": 30}
    client = client_for(admin_user)
    out = StringIO()
    call_command("purge_expired_imports", stdout=out)  # nothing stored yet: a missing prefix
    assert "0 kept uploads deleted." in out.getvalue()
    preview = uploaded(client, csv_bytes([make_row()]), name="old.csv")
    finished = uploaded(client, csv_bytes([make_row(interventionGuid="IV-9")]), name="done.csv")
    post(client, confirm_url(finished.pk))
    upload(client, csv_bytes([make_row()]), name="kept.csv", date_format="JJ")
    long_ago = timezone.now() - timedelta(days=40)
    ImportJob.objects.filter(pk=preview.pk).update(created_at=long_ago)
    ImportJob.objects.filter(pk=finished.pk).update(finished_at=long_ago)
    out = StringIO()
    call_command("purge_expired_imports", "--hours", "0", stdout=out)
    said = out.getvalue()
    assert f"Expired import #{preview.pk} old.csv." in said
    assert "1 kept uploads deleted." in said  # --hours applies to kept uploads too
    assert f"Deleted the file of import #{finished.pk} done.csv." in said
    assert "1 files of jobs finished over 30 days ago deleted." in said
    assert store.objects() == []
    finished.refresh_from_db()
    # the finished job keeps its history and counts
    assert (finished.status, finished.new, finished.file.name) == (Status.IMPORTED, 1, "")
    assert finished.sha256


@pytest.mark.usefixtures("eager")
def test_a_worker_reads_the_stored_file(store, admin_user):
    """The tasks run eagerly: the worker's preview and import read the file from the store."""
    client = client_for(admin_user)
    job = uploaded(client, many_rows(20))
    assert (job.status, job.activity, job.new) == (Status.PREVIEWED, "preview", 20)
    assert stored(store, job)
    post(client, confirm_url(job.pk))
    job.refresh_from_db()
    assert (job.status, job.activity, job.failure_reason) == (Status.IMPORTED, "import", "")
    assert Intervention.objects.filter(guid__startswith="IV-BG-").count() == 20


@pytest.mark.usefixtures("eager")
def test_a_worker_with_a_failing_store_keeps_the_preview_with_its_reason(
    s3_store, admin_user, settings, monkeypatch
):
    client = client_for(admin_user)
    job = uploaded(client, many_rows(5))
    use_store(settings, monkeypatch, failing_store("unreachable", {}))
    post(client, confirm_url(job.pk))
    job.refresh_from_db()
    assert (job.status, job.failure_reason) == (Status.PREVIEWED, STORE_UNREACHABLE)
    assert not Intervention.objects.filter(guid__startswith="IV-BG-").exists()
