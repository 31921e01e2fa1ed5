"""Permissions: importing needs add and change on interventions; jobs need view on jobs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from imports import jobs
from imports.jobs.models import ImportJob
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import (
    IMPORTER_PERMS,
    client_for,
    confirm_url,
    discard_url,
    import_url,
    job_url,
    make_user,
    post,
    preview_url,
    report_url,
)
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo", "media")

NOT_IMPORTERS = [
    (),
    ("training.view_intervention",),
    ("training.change_intervention", "training.view_intervention"),
    ("training.add_intervention",),
    ("imports.view_importjob",),
]


@pytest.fixture
def job():
    uploader = make_user("uploader", superuser=True)
    job = jobs.create_job(SimpleUploadedFile("f.csv", csv_bytes([make_row()])), uploader)
    jobs.preview_job(job)
    return job


def import_urls(job_id: int) -> list[tuple[str, str]]:
    return [
        ("get", import_url()),
        ("post", import_url()),
        ("get", preview_url(job_id)),
        ("post", confirm_url(job_id)),
        ("get", confirm_url(job_id)),
        ("post", discard_url(job_id)),
    ]


@pytest.mark.parametrize("perms", NOT_IMPORTERS)
def test_staff_without_add_and_change_get_403_on_every_import_url(job, perms):
    client = client_for(make_user("staff", perms))
    for method, url in import_urls(job.pk):
        response = post(client, url) if method == "post" else client.get(url)
        assert response.status_code == 403, (method, url)
    job.refresh_from_db()
    assert job.status == "previewed"
    assert not Intervention.objects.exists()


def test_import_button_hidden_without_import_permission():
    client = client_for(
        make_user("staff", ("training.change_intervention", "training.view_intervention"))
    )
    response = client.get(reverse("admin:training_intervention_changelist"))
    assert response.status_code == 200
    assert import_url() not in response.content.decode()


def test_importer_without_superuser_can_upload_and_confirm(job):
    client = client_for(make_user("importer", IMPORTER_PERMS))
    assert client.get(preview_url(job.pk)).status_code == 200
    response = post(client, confirm_url(job.pk))
    # Without view permission on jobs, the history page is not the landing page.
    assert response["Location"] == reverse("admin:training_intervention_changelist")
    job.refresh_from_db()
    assert job.status == "imported"


@pytest.mark.parametrize(
    ("perms", "status"),
    [((), 403), (("imports.view_importjob",), 200)],
)
def test_job_pages_need_view_permission(job, perms, status):
    client = client_for(make_user("staff", perms))
    for url in (reverse("admin:imports_importjob_changelist"), job_url(job.pk), report_url(job.pk)):
        assert client.get(url).status_code == status, url


def test_viewer_sees_the_preview_on_the_job_page_but_cannot_confirm(job):
    client = client_for(make_user("viewer", ("imports.view_importjob",)))
    html = client.get(job_url(job.pk)).content.decode()
    assert '<td id="count-new">1</td>' in html
    assert "open-preview" not in html
    assert post(client, confirm_url(job.pk)).status_code == 403


def test_anonymous_users_are_sent_to_login(job):
    response = Client().get(preview_url(job.pk))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_jobs_cannot_be_added_or_changed_in_the_admin(job):
    client = client_for(make_user("admin", superuser=True))
    assert client.get(reverse("admin:imports_importjob_add")).status_code == 403
    assert ImportJob.objects.count() == 1
