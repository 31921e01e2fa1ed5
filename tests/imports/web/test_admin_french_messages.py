"""Row messages in the reader's language (issue 28): the admin says them in French from their
codes and parameters; what programs read (the stored English text, the error report's
``code`` column) stays as it is."""

import csv
import html
import io
import re

import pytest
from django.utils import translation

from imports.jobs.models import ImportJob
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import preview_url, report_url, upload
from training.models import Teacher

pytestmark = pytest.mark.usefixtures("demo", "media")
FRENCH = "Le formateur dont l'identifiant est jdoe est introuvable."
ENGLISH = "Teacher with login jdoe is not found."


@pytest.fixture
def french(settings):
    """French for the request: by the browser (LocaleMiddleware, when the site has it) and
    active in the test's thread (when it has not)."""
    settings.LANGUAGES = [("en", "English"), ("fr", "Français")]
    with translation.override("fr"):
        yield {"HTTP_ACCEPT_LANGUAGE": "fr"}


def previewed_without_jdoe(client) -> ImportJob:
    Teacher.objects.filter(login="jdoe").update(login="jdoe.old")
    response = upload(client, csv_bytes([make_row(), make_row(interventionGuid="IV-2")]))
    assert response.status_code == 302
    return ImportJob.objects.latest("pk")


def page(client, job: ImportJob, browser: dict) -> str:
    response = client.get(preview_url(job.pk), {"view": "errors"}, **browser)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def report(client, job: ImportJob, browser: dict) -> list[dict[str, str]]:
    content = client.get(report_url(job.pk), **browser).content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(content), delimiter=";"))


def test_the_preview_says_the_row_messages_in_french_and_the_report_keeps_the_codes(client, french):
    job = previewed_without_jdoe(client)
    shown = page(client, job, french)
    assert shown.count(FRENCH) >= 2  # the group and each row of the error list
    # The English text is only the group's key, in the fix form's hidden field.
    assert ENGLISH not in re.sub(r'value="[^"]*"', "", shown)
    assert {error.message for error in job.errors.all()} == {ENGLISH}  # stored as the engine said
    rows = report(client, job, french)
    assert [(row["line"], row["error"], row["code"]) for row in rows] == [
        ("2", FRENCH, "teacher_not_found"),
        ("3", FRENCH, "teacher_not_found"),
    ]


def test_in_english_the_messages_are_the_seeds_words(client):
    job = previewed_without_jdoe(client)
    with translation.override("en"):
        shown = page(client, job, {"HTTP_ACCEPT_LANGUAGE": "en"})
        rows = report(client, job, {"HTTP_ACCEPT_LANGUAGE": "en"})
    assert ENGLISH in shown and FRENCH not in shown
    assert {row["error"] for row in rows} == {ENGLISH}


def test_an_error_stored_before_its_parameters_shows_its_english_text(client, french):
    job = previewed_without_jdoe(client)
    job.errors.update(params=None)
    assert ENGLISH in page(client, job, french)
    assert {row["error"] for row in report(client, job, french)} == {ENGLISH}


def test_a_file_problem_made_of_several_sentences_is_french_too(client, french):
    header = ["interventionGuid", "trainingGuid", "sessionGuid", "interventionDate"]
    response = upload(client, csv_bytes([make_row()], header=header))
    assert response.status_code in (200, 302)
    job = ImportJob.objects.latest("pk")
    problem = job.errors.get(file_level=True)
    assert problem.code == "header_missing_column"
    assert problem.message.startswith(
        "Column roomGuid is missing from the header row. Column teacherLogin is missing"
    )
    with translation.override("fr"):
        text = problem.text
    assert text.startswith(
        "La colonne roomGuid manque dans la ligne d'en-tête. La colonne teacherLogin manque"
    )
    assert "La ligne d'en-tête contenait\u00a0: " in text
    assert "La colonne roomGuid manque dans la ligne d'en-tête." in page(client, job, french)
