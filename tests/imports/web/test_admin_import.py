"""The admin import flow through the test client, CSRF enforced: upload, preview, confirm."""

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from imports.jobs.models import ImportJob
from tests.conftest import HEADER, csv_bytes, make_row
from tests.imports.admin_support import (
    client_for,
    confirm_url,
    discard_url,
    import_url,
    job_url,
    make_user,
    page_messages,
    post,
    preview_url,
    sample,
    upload,
)
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo", "media")


def upload_sample(client, name: str = "interventions_with_errors.csv") -> ImportJob:
    response = upload(client, sample(name), name=name)
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == preview_url(job.pk)
    return job


def test_changelist_has_import_button(client):
    response = client.get(reverse("admin:training_intervention_changelist"))
    assert f"href='{import_url()}' class=\"import_link\"" in response.content.decode()


def test_upload_form_offers_format_and_configuration(client):
    response = client.get(import_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Header row (column names)" in html
    assert "Detect from the file name" in html
    assert 'enctype="multipart/form-data"' in html


def test_upload_stores_the_file_and_previews_without_writing(client, admin_user):
    data = sample("interventions_with_errors.csv")
    job = upload_sample(client)
    assert (job.status, job.user, job.file_name) == ("previewed", admin_user, job.file_name)
    assert (job.new, job.updated, job.unchanged, job.error_rows) == (1, 0, 0, 9)
    assert job.size == len(data)
    assert job.sha256 == hashlib.sha256(data).hexdigest()
    assert job.file.name.startswith(f"imports/{job.pk}/")
    assert default_storage.open(job.file.name).read() == data
    assert not Intervention.objects.filter(guid="IV-2001").exists()


@pytest.mark.parametrize(
    "expected",
    [
        "Training with guid TR-9 is not found.",
        "Training with path code PATH-NONE is not found.",
        "Session with guid SE-3 is not found for this training.",
        "Session with title Winter 2027 is not found for this training.",
        "Date 10/03/2027 has no time of day: the start time is in another column?",
        "Teacher with login nobody is not found.",
        "Status has invalid value X, A or C expected.",
        "Field interventionDate is empty.",
    ],
)
def test_preview_lists_every_error_with_the_spec_wording(client, expected):
    job = upload_sample(client)
    response = client.get(preview_url(job.pk))
    html = response.content.decode()
    assert expected in html
    assert '<td id="count-new">1</td>' in html
    assert '<td id="count-errors">9</td>' in html
    assert "9 rows with errors will be skipped" in html


def test_preview_message_after_upload(client):
    response = upload(client, sample("interventions_with_errors.csv"))
    response = client.get(response["Location"])
    assert any(
        "1 new, 0 updated, 0 unchanged, 9 rows with errors" in m for m in page_messages(response)
    )


@pytest.mark.parametrize(
    ("name", "level"),
    [("interventions_with_errors.csv", "warning"), ("interventions.csv", "info")],
)
def test_a_preview_with_wrong_rows_is_announced_as_a_warning(client, name, level):
    response = client.get(upload(client, sample(name))["Location"])
    (message,) = [m for m in response.context["messages"] if "Preview of" in str(m)]
    assert message.level_tag == level


def test_error_only_view_filters_by_message(client):
    job = upload_sample(client)
    response = client.get(preview_url(job.pk), {"view": "errors", "q": "teacher"})
    listed = [error.message for error in response.context["page_obj"]]
    assert listed == ["Teacher with login nobody is not found."]
    assert 'id="row-table"' not in response.content.decode()


def test_rows_view_filters_by_outcome(client):
    job = upload_sample(client)
    response = client.get(preview_url(job.pk), {"view": "rows", "outcome": "new"})
    rows = list(response.context["page_obj"])
    assert [(row.guid, row.outcome) for row in rows] == [("IV-2001", "new")]


@pytest.mark.parametrize(
    ("page", "lines"), [("1", [2, 3, 4, 5, 6]), ("3", [12, 13]), ("99", [12, 13])]
)
def test_rows_table_is_paginated(client, settings, page, lines):
    settings.INTERVENTION_IMPORT = {"PAGE_SIZE": 5}
    rows = [make_row(interventionGuid=f"IV-{n}") for n in range(12)]
    upload(client, csv_bytes(rows))
    job = ImportJob.objects.latest("pk")
    response = client.get(preview_url(job.pk), {"view": "rows", "page": page})
    assert [row.line for row in response.context["page_obj"]] == lines
    assert "of 3" in response.content.decode()


def test_preview_shows_old_and_new_values_of_updates(client):
    upload(client, csv_bytes([make_row(interventionDuration="3")]))
    post(client, confirm_url(ImportJob.objects.latest("pk").pk))
    upload(client, csv_bytes([make_row(interventionDuration="5", interventionStatus="C")]))
    job = ImportJob.objects.latest("pk")
    assert (job.updated, job.new) == (1, 0)
    html = client.get(preview_url(job.pk)).content.decode()
    assert "<strong>interventionDuration</strong>: 3 → 5" in html
    assert "<strong>interventionStatus</strong>: A → C" in html
    assert "duration_minutes" not in html


def test_cell_content_is_escaped(client):
    hostile = "<script>alert(1)</script>"
    upload(client, csv_bytes([make_row(teacherLogin=hostile)]))
    job = ImportJob.objects.latest("pk")
    html = client.get(preview_url(job.pk), {"view": "errors"}).content.decode()
    assert hostile not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_confirm_imports_valid_rows_and_links_the_history(client, admin_user):
    job = upload_sample(client)
    response = post(client, confirm_url(job.pk))
    assert response.status_code == 302
    assert response["Location"] == job_url(job.pk)
    job.refresh_from_db()
    assert (job.status, job.confirmed_by, job.new, job.error_rows) == ("imported", admin_user, 1, 9)
    assert Intervention.objects.filter(guid="IV-2001").exists()
    messages = page_messages(client.get(response["Location"]))
    assert any("9 rows with errors were skipped" in m and job_url(job.pk) in m for m in messages)


def test_confirm_refuses_when_the_data_changed_since_the_preview(client):
    job = upload_sample(client)
    upload(client, csv_bytes([make_row(interventionGuid="IV-2001", interventionDuration="7")]))
    client.get(post(client, confirm_url(ImportJob.objects.latest("pk").pk))["Location"])
    response = post(client, confirm_url(job.pk))
    assert response["Location"] == preview_url(job.pk)
    job.refresh_from_db()
    assert (job.status, job.new, job.updated) == ("previewed", 0, 1)
    assert Intervention.objects.get(guid="IV-2001").duration_minutes == 420
    messages = page_messages(client.get(response["Location"]))
    assert any("nothing was imported" in m for m in messages)
    assert not any(m.startswith("Imported") for m in messages)


def test_confirm_after_the_new_preview_imports(client):
    job = upload_sample(client)
    upload(client, csv_bytes([make_row(interventionGuid="IV-2001", interventionDuration="7")]))
    post(client, confirm_url(ImportJob.objects.latest("pk").pk))
    post(client, confirm_url(job.pk))  # refused: new preview stored
    post(client, confirm_url(job.pk))
    job.refresh_from_db()
    assert job.status == "imported"
    assert Intervention.objects.get(guid="IV-2001").duration_minutes == 180


def test_strict_checkbox_imports_nothing_when_rows_have_errors(client):
    job = upload_sample(client)
    response = post(client, confirm_url(job.pk), {"strict": "on"})
    job.refresh_from_db()
    assert (job.status, job.strict) == ("failed", True)
    assert not Intervention.objects.filter(guid="IV-2001").exists()
    messages = page_messages(client.get(response["Location"]))
    assert any("All or nothing: 9 rows have errors" in m for m in messages)


@pytest.mark.parametrize(("strict", "checked"), [(True, True), (False, False)])
def test_strict_setting_is_the_checkbox_default(client, settings, strict, checked):
    settings.INTERVENTION_IMPORT = {"STRICT": strict}
    job = upload_sample(client)
    html = client.get(preview_url(job.pk)).content.decode()
    assert ('id="id_strict" checked' in html) is checked


def test_confirm_twice_does_nothing_the_second_time(client):
    job = upload_sample(client)
    post(client, confirm_url(job.pk))
    response = post(client, confirm_url(job.pk))
    assert response["Location"] == preview_url(job.pk)
    assert any(
        "is imported; nothing was done" in m
        for m in page_messages(client.get(response["Location"]))
    )


def test_confirm_needs_post(client):
    job = upload_sample(client)
    assert client.get(confirm_url(job.pk)).status_code == 405
    assert client.get(discard_url(job.pk)).status_code == 405


@pytest.mark.parametrize("url", [import_url, confirm_url, discard_url])
def test_posts_without_csrf_token_are_refused(client, url):
    job = upload_sample(client)
    target = url() if url is import_url else url(job.pk)
    assert client.post(target, {}).status_code == 403
    job.refresh_from_db()
    assert job.status == "previewed"


def test_four_eyes_requires_another_user(client, settings):
    settings.INTERVENTION_IMPORT = {"FOUR_EYES": True}
    job = upload_sample(client)
    html = client.get(preview_url(job.pk)).content.decode()
    assert 'id="confirm-form"' not in html
    assert "another staff member must confirm" in html
    post(client, confirm_url(job.pk))
    job.refresh_from_db()
    assert job.status == "previewed"
    reviewer = make_user("reviewer", superuser=True)
    post(client_for(reviewer), confirm_url(job.pk))
    job.refresh_from_db()
    assert (job.status, job.confirmed_by) == ("imported", reviewer)


def test_another_importer_can_confirm_when_four_eyes_is_off(client):
    job = upload_sample(client)
    colleague = make_user("colleague", superuser=True)
    post(client_for(colleague), confirm_url(job.pk))
    job.refresh_from_db()
    assert (job.status, job.confirmed_by, job.user.username) == ("imported", colleague, "admin")


def test_discard_forgets_the_preview_and_its_file(client):
    job = upload_sample(client)
    file_name = job.file.name
    response = post(client, discard_url(job.pk))
    assert response["Location"] == reverse("admin:training_intervention_changelist")
    assert not ImportJob.objects.filter(pk=job.pk).exists()
    assert not default_storage.exists(file_name)


def test_discard_refuses_an_imported_job(client):
    job = upload_sample(client)
    post(client, confirm_url(job.pk))
    post(client, discard_url(job.pk))
    assert ImportJob.objects.get(pk=job.pk).status == "imported"


@pytest.mark.parametrize(
    ("content", "name", "fields", "message"),
    [
        (b"", "empty.csv", {}, "The submitted file is empty."),
        (
            b"x",
            "notes.doc",
            {},
            "Unknown file format doc: csv, txt, tsv, tab, xlsx or ods expected.",
        ),
    ],
)
def test_upload_form_errors(client, content, name, fields, message):
    response = upload(client, content, name=name, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_upload_too_large_is_refused_before_storing(client, settings):
    settings.INTERVENTION_IMPORT = {"MAX_FILE_BYTES": 10}
    response = upload(client, sample("interventions.csv"))
    assert "The file is too large" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_unusable_file_gives_a_failed_job_without_confirm(client):
    header_only = (";".join(HEADER) + "\n").encode()  # every column, no data row
    response = upload(client, header_only, name="header-only.csv")
    job = ImportJob.objects.latest("pk")
    assert job.status == "failed"
    html = client.get(response["Location"]).content.decode()
    assert 'id="file-errors"' in html
    assert "The file has no data rows." in html
    assert 'id="confirm-form"' not in html
    assert "Traceback" not in html


def test_format_override(client):
    upload(client, sample("interventions.csv"), name="interventions.data", format="csv")
    job = ImportJob.objects.latest("pk")
    assert (job.status, job.format, job.error_rows) == ("previewed", "csv", 0)
    assert job.new > 0


def test_a_file_problem_gets_the_admin_s_hint_never_a_command_flag(client):
    content = csv_bytes([make_row(roomLabel="Salle \x81")]).decode().encode("latin-1")
    response = upload(client, content, name="latin.csv")
    job = ImportJob.objects.latest("pk")
    page = client.get(response["Location"]).content.decode()
    assert "The file is not valid UTF-8 (byte 0x81)." in page
    assert "choose a saved configuration that names its encoding" in page
    assert "--encoding" not in page
    assert job.errors.get(file_level=True).code == "file_not_decodable"
