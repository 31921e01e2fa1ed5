"""The admin's "Undo this import": the preview, the confirm, permissions and four-eyes."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports import jobs
from imports.jobs.models import ImportJob
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import client_for, make_user, post
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo", "media")
UNDO_PERMS = ("training.change_intervention", "training.delete_intervention")
VIEW_JOBS = ("imports.view_importjob",)


def committed_import(user) -> ImportJob:
    rows = [make_row(interventionGuid="IV-1"), make_row(interventionGuid="IV-2")]
    upload = SimpleUploadedFile("file.csv", csv_bytes(rows))
    job = jobs.create_job(upload, user)
    jobs.preview_job(job)
    done = jobs.confirm_job(job, None)  # by a second person when four-eyes is on
    assert done.job.status == ImportJob.Status.IMPORTED
    done.job.refresh_from_db()
    return done.job


def undo_url(job: ImportJob) -> str:
    return reverse("admin:imports_importjob_undo", args=[job.pk])


def job_url(job: ImportJob) -> str:
    return reverse("admin:imports_importjob_change", args=[job.pk])


def test_the_job_page_links_to_the_undo_and_its_preview_writes_nothing(admin_user):
    job = committed_import(admin_user)
    client = client_for(admin_user)
    page = client.get(job_url(job)).content.decode()
    assert undo_url(job) in page and "Undo this import" in page
    response = client.get(undo_url(job))
    assert response.status_code == 200
    counts = response.context["preview"].counts
    assert (counts.deleted, counts.restored, counts.kept) == (2, 0, 0)
    assert Intervention.objects.count() == 2  # a GET writes nothing
    assert not job.undos.exists()


def test_confirming_undoes_and_links_both_jobs(admin_user):
    job = committed_import(admin_user)
    client = client_for(admin_user)
    response = post(client, undo_url(job), {"action": "undo"})
    undo = job.undos.get()
    assert response.status_code == 302 and response.url == job_url(undo)
    assert Intervention.objects.count() == 0
    assert (undo.status, undo.confirmed_by, undo.undo_counts["deleted"]) == (
        "imported",
        admin_user,
        2,
    )
    undo_page = client.get(job_url(undo)).content.decode()
    assert "the undo of import" in undo_page and job_url(job) in undo_page
    import_page = client.get(job_url(job)).content.decode()
    assert "Undone by" in import_page and job_url(undo) in import_page
    assert "Undo this import" not in import_page
    listing = client.get(reverse("admin:imports_importjob_changelist")).content.decode()
    assert f"Undo of import {job.pk}: 2 deleted, 0 restored, 0 kept (changed since)." in listing


def test_a_kept_row_is_shown_with_its_guid(admin_user):
    job = committed_import(admin_user)
    edited = Intervention.objects.get(guid="IV-2")
    edited.duration_minutes = 480
    edited.save()
    client = client_for(admin_user)
    page = client.get(undo_url(job)).content.decode()
    assert "intervention IV-2" in page
    forced = client.get(undo_url(job), {"force": "1"})
    assert forced.context["preview"].counts.kept == 0
    post(client, undo_url(job), {"action": "undo"})
    assert list(Intervention.objects.values_list("guid", flat=True)) == ["IV-2"]


def test_undo_twice_is_refused_with_the_reason(admin_user):
    job = committed_import(admin_user)
    client = client_for(admin_user)
    post(client, undo_url(job), {"action": "undo"})
    response = client.get(undo_url(job))
    assert "cannot be undone: it was undone by job" in response.content.decode()
    again = post(client, undo_url(job), {"action": "undo"}, follow=True)
    assert "cannot be undone" in again.content.decode()
    assert job.undos.count() == 1


@pytest.mark.parametrize(
    ("perms", "allowed"),
    [
        (VIEW_JOBS + UNDO_PERMS, True),
        (VIEW_JOBS + ("training.change_intervention",), False),
        (VIEW_JOBS + ("training.delete_intervention",), False),
        (VIEW_JOBS, False),
    ],
)
def test_undo_needs_change_and_delete_permissions(admin_user, perms, allowed):
    job = committed_import(admin_user)
    user = make_user("operator", perms)
    client = client_for(user)
    page = client.get(job_url(job)).content.decode()
    assert ("Undo this import" in page) is allowed
    assert client.get(undo_url(job)).status_code == (200 if allowed else 403)
    response = post(client, undo_url(job), {"action": "undo"})
    assert (response.status_code == 403) is not allowed
    assert Intervention.objects.count() == (0 if allowed else 2)


def test_four_eyes_the_asker_may_not_confirm_another_person_does(admin_user, settings):
    settings.INTERVENTION_IMPORT = {"FOUR_EYES": True}
    job = committed_import(make_user("uploader", superuser=True))
    asker = client_for(admin_user)
    response = post(asker, undo_url(job), {"action": "undo"}, follow=True)
    assert "another person must confirm it" in response.content.decode()
    waiting = job.undos.get()
    assert waiting.status == "previewed" and Intervention.objects.count() == 2
    page = asker.get(undo_url(job))
    assert not page.context["may_confirm_waiting"]
    refused = post(asker, undo_url(job), {"action": "confirm"}, follow=True)
    assert "was asked for by you" in refused.content.decode()
    assert Intervention.objects.count() == 2
    other = client_for(make_user("reviewer", VIEW_JOBS + UNDO_PERMS))
    assert other.get(undo_url(job)).context["may_confirm_waiting"]
    post(other, undo_url(job), {"action": "confirm"})
    waiting.refresh_from_db()
    assert (waiting.status, waiting.confirmed_by.username) == ("imported", "reviewer")
    assert Intervention.objects.count() == 0


def test_a_waiting_undo_can_be_discarded_and_is_never_confirmed_as_an_import(admin_user, settings):
    settings.INTERVENTION_IMPORT = {"FOUR_EYES": True}
    job = committed_import(admin_user)
    client = client_for(admin_user)
    post(client, undo_url(job), {"action": "undo"})
    waiting = job.undos.get()
    assert (
        jobs.confirm_job(waiting, make_user("x", superuser=True)).verdict == jobs.Verdict.NOT_OPEN
    )
    post(client, undo_url(job), {"action": "discard"})
    assert not job.undos.exists() and Intervention.objects.count() == 2


def test_an_import_that_is_not_committed_has_no_undo(admin_user):
    upload = SimpleUploadedFile("file.csv", csv_bytes([make_row()]))
    job = jobs.create_job(upload, admin_user)
    jobs.preview_job(job)
    client = client_for(admin_user)
    assert "Undo this import" not in client.get(job_url(job)).content.decode()
    page = client.get(undo_url(job)).content.decode()
    assert "it is not a committed import (previewed)" in page


def listed_statuses(client, language: str = "en") -> dict[str, str]:
    """The jobs list's status cell of each job, by its id."""
    listing = client.get(
        reverse("admin:imports_importjob_changelist"), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    rows = re.findall(r'<tr>.*?<a href="[^"]*/(\d+)/change/">.*?</tr>', listing, re.S)
    cells = re.findall(
        r'<a href="[^"]*/(\d+)/change/">\d+</a></th><td class="field-status_shown">(.*?)</td>',
        listing,
    )
    assert rows and len(cells) == len(rows)
    return dict(cells)


@pytest.mark.parametrize(
    ("language", "waiting", "done", "imported"),
    [
        ("en", "Undo waiting for confirmation", "Undone", "Imported"),
        ("fr", "Annulation en attente de confirmation", "Annulation faite", "Importé"),
    ],
)
def test_the_jobs_list_shows_an_undo_as_an_undo_waiting_then_done(
    admin_user, settings, language, waiting, done, imported
):
    settings.INTERVENTION_IMPORT = {"FOUR_EYES": True}
    job = committed_import(admin_user)
    client = client_for(admin_user)
    post(client, undo_url(job), {"action": "undo"})
    undo = job.undos.get()
    statuses = listed_statuses(client, language)
    assert (statuses[str(job.pk)], statuses[str(undo.pk)]) == (imported, waiting)
    post(
        client_for(make_user("reviewer", VIEW_JOBS + UNDO_PERMS)),
        undo_url(job),
        {"action": "confirm"},
    )
    statuses = listed_statuses(client, language)
    assert (statuses[str(job.pk)], statuses[str(undo.pk)]) == (imported, done)


@pytest.mark.parametrize(
    ("language", "zone"), [("en", "Times in UTC."), ("fr", "Heures dans le fuseau UTC.")]
)
def test_a_waiting_undo_says_when_it_was_asked_for_the_language_s_way(
    admin_user, settings, language, zone
):
    settings.INTERVENTION_IMPORT = {"FOUR_EYES": True}
    job = committed_import(admin_user)
    client = client_for(admin_user)
    post(client, undo_url(job), {"action": "undo"})
    asked = job.undos.get().created_at
    page = client.get(undo_url(job), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    shown = asked.strftime("%m/%d/%Y %H:%M" if language == "en" else "%d/%m/%Y %H:%M")
    waiting = re.search(r'<p id="undo-waiting">(.*?)</p>', page, re.S)
    assert waiting is not None and shown in waiting.group(1)
    assert page.count(zone) == 1
