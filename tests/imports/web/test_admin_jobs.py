"""The import history in the admin: job list, detail, error list and error report."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports import jobs
from imports.jobs.models import ImportConfiguration, ImportJob
from imports.web.model_admins import job_outcome
from tests.imports.admin_support import (
    SAMPLES,
    import_url,
    job_url,
    make_user,
    post,
    preview_url,
    report_url,
    sample,
)

pytestmark = pytest.mark.usefixtures("demo", "media")


def new_job(user, name="interventions_with_errors.csv", **kwargs) -> ImportJob:
    job = jobs.create_job(SimpleUploadedFile(name, sample(name)), user, **kwargs)
    jobs.preview_job(job)
    return job


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["interventions.csv", "interventions_with_errors.csv"]),
        ({"status__exact": "imported"}, ["interventions.csv"]),
        ({"status__exact": "previewed"}, ["interventions_with_errors.csv"]),
        ({"q": "with_errors"}, ["interventions_with_errors.csv"]),
        ({"q": "nomatch"}, []),
    ],
)
def test_job_list_filters_and_search(client, admin_user, params, expected):
    new_job(admin_user)
    jobs.confirm_job(new_job(admin_user, "interventions.csv"), admin_user)
    response = client.get(reverse("admin:imports_importjob_changelist"), params)
    names = sorted(job.file_name for job in response.context["cl"].result_list)
    assert names == expected


def test_job_list_filter_by_user(client, admin_user):
    new_job(admin_user)
    new_job(make_user("other", superuser=True), "interventions.csv")
    response = client.get(
        reverse("admin:imports_importjob_changelist"), {"user__id__exact": admin_user.pk}
    )
    assert [job.user for job in response.context["cl"].result_list] == [admin_user]


def test_job_detail_shows_counts_errors_and_links(client, admin_user):
    job = new_job(admin_user)
    html = client.get(job_url(job.pk)).content.decode()
    assert '<td id="count-errors">9</td>' in html
    assert "Teacher with login nobody is not found." in html
    assert f'href="{report_url(job.pk)}"' in html
    assert f'href="{preview_url(job.pk)}"' in html
    assert f'href="{import_url()}"' in html
    assert job.sha256 in html


def test_job_detail_reupload_link_keeps_the_configuration(client, admin_user):
    config = ImportConfiguration.objects.create(
        name="cfg", xml=(SAMPLES / "config.xml").read_text()
    )
    job = new_job(admin_user, "interventions.csv", configuration=config, file_format="csv")
    html = client.get(job_url(job.pk)).content.decode()
    url = f"{import_url()}?format=csv&amp;configuration={config.pk}"
    assert url in html
    form = client.get(f"{import_url()}?format=csv&configuration={config.pk}").context["form"]
    assert (form["format"].value(), str(form["configuration"].value())) == ("csv", str(config.pk))


@pytest.mark.parametrize(("page", "count"), [("1", 4), ("3", 1)])  # 9 errors: 1.5 h is valid
def test_job_error_list_is_paginated_and_filterable(client, settings, admin_user, page, count):
    settings.INTERVENTION_IMPORT = {"PAGE_SIZE": 4}
    job = new_job(admin_user)
    response = client.get(job_url(job.pk), {"view": "errors", "page": page})
    assert len(response.context["page_obj"]) == count
    response = client.get(job_url(job.pk), {"view": "errors", "q": "session"})
    messages = [error.message for error in response.context["page_obj"]]
    assert len(messages) == 3 and all("Session" in m for m in messages)


def test_error_report_download(client, admin_user):
    job = new_job(admin_user)
    response = client.get(report_url(job.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "errors-" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].endswith(";line;error;code;suggestion")
    assert len(lines) == 10
    assert lines[1].startswith("IV-2002;TR-9;")
    # TR-9 is as close to TR-1 as to TR-2 and TR-3: no suggestion
    assert lines[1].endswith(";3;Training with guid TR-9 is not found.;training_not_found;")


def test_deleting_a_job_deletes_its_file(client, admin_user):
    job = new_job(admin_user)
    file_name = job.file.name
    url = reverse("admin:imports_importjob_delete", args=[job.pk])
    response = post(client, url, {"post": "yes"})
    assert response.status_code == 302
    assert not ImportJob.objects.exists()
    assert not default_storage.exists(file_name)


def test_job_list_shows_the_status_first_and_what_each_job_did(client, admin_user):
    preview = new_job(admin_user)
    imported = new_job(admin_user, "interventions.csv")
    jobs.confirm_job(imported, admin_user)
    cancelled = new_job(admin_user, "interventions.csv")
    ImportJob.objects.filter(pk=cancelled.pk).update(status=ImportJob.Status.CANCELLED)
    response = client.get(reverse("admin:imports_importjob_changelist"))
    html = response.content.decode()
    headers = [h for h in ("column-status", "column-file_name", "column-outcome") if h in html]
    assert headers == ["column-status", "column-file_name", "column-outcome"]
    assert html.index("column-status") < html.index("column-file_name")
    imported.refresh_from_db()
    preview.refresh_from_db()
    rows = {job.pk: admin_outcome(job) for job in (preview, imported, cancelled)}
    assert rows[cancelled.pk] == "nothing written"
    assert rows[preview.pk].startswith(f"preview: {preview.new} new, ")
    assert rows[preview.pk].endswith(f", {preview.error_rows} with errors")
    assert rows[imported.pk] == (
        f"{imported.new} new, {imported.updated} updated, {imported.unchanged} unchanged"
    )
    for text in rows.values():
        assert text in html
    assert f"{imported.seconds:.1f} s" in html


def admin_outcome(job: ImportJob) -> str:
    job.refresh_from_db()
    return job_outcome(job)
