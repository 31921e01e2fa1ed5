"""The "Read with" line says what was found when nothing was chosen (issue 28): the encoding,
the delimiter, and the order of the dates with what told it."""

import re

import pytest

from imports.jobs.models import ImportJob
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import client_for, preview_url, upload

pytestmark = pytest.mark.usefixtures("demo", "media")


def reading(client, job: ImportJob, language: str = "en") -> str:
    page = client.get(preview_url(job.pk), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    [line] = re.findall(r'<td id="job-reading">(.*?)</td>', page, re.S)
    return line


def test_what_was_found_is_said(admin_user, settings):
    settings.LANGUAGE_CODE = "fr"
    week = [
        make_row(interventionGuid=f"IV-{day}", interventionDate=f"{day}/03/2027 09:00")
        for day in ("10", "11")
    ]
    client = client_for(admin_user)
    upload(client, csv_bytes(week).decode().encode("cp1252"), name="semaine.csv")
    job = ImportJob.objects.latest("pk")
    assert job.read_with == {
        "encoding": "UTF-8",  # ASCII only: valid UTF-8
        "delimiter": ";",
        "date_order": "day",
        "date_order_by": "language",
    }
    assert reading(client, job) == (
        "encoding UTF-8 (found); delimiter ; semicolon (found); date format day first, as the"
        " site&#x27;s language writes dates (found)"
    )
    assert reading(client, job, "fr") == (
        "encodage UTF-8 (trouvé); séparateur ; point-virgule (trouvé); format de date jour"
        " d&#x27;abord, comme la langue du site écrit les dates (trouvé)"
    )


def test_what_was_chosen_is_said_as_chosen(admin_user):
    client = client_for(admin_user)
    data = csv_bytes([make_row(roomLabel="Salle René")]).decode().encode("cp1252")
    upload(client, data, name="export.csv", encoding="windows-1252", delimiter=";")
    job = ImportJob.objects.latest("pk")
    line = reading(client, job)
    assert line == "encoding windows-1252; delimiter ; semicolon; date format automatic"


def test_a_windows_file_says_windows_1252_was_found(admin_user):
    client = client_for(admin_user)
    upload(client, csv_bytes([make_row(roomLabel="Salle René")]).decode().encode("cp1252"))
    job = ImportJob.objects.latest("pk")
    assert reading(client, job).startswith("encoding Windows-1252 (found); delimiter ; semicolon")
