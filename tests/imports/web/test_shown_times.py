"""One way to show a date-time on every admin page of ours (issue 28): the page's language's
(``config/formats``: ``03/01/2027 09:00`` in English, ``01/03/2027 09:00`` in French), in the
site's time zone, which the page names once; no ISO 8601, no month names, no a.m./p.m."""

import re

import pytest
from django.urls import reverse

from imports.engine import ImportOptions, run_import
from imports.jobs.models import ImportJob
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import post, preview_url, upload

pytestmark = pytest.mark.usefixtures("demo", "media")

# IV-1 is stored at 09:00 (Paris); the file moves it to 14:00, adds IV-2 in conflict with it
# (same teacher and room, 14:00) and IV-3 with a misspelt teacher, fixed in the preview.
MOVED = make_row(interventionDate="2027-03-01T14:00:00")
CONFLICTING = make_row(interventionGuid="IV-2", interventionDate="2027-03-01T15:00:00")
MISSPELT = make_row(
    interventionGuid="IV-3", teacherLogin="jdoee", interventionDate="2027-03-02T09:00:00"
)
ZONE = "Europe/Paris"
SHOWN = {
    "en": {"moved": "03/01/2027 09:00 → 03/01/2027 14:00", "zone": f"Times in {ZONE}."},
    "fr": {
        "moved": "01/03/2027 09:00 → 01/03/2027 14:00",
        "zone": f"Heures dans le fuseau {ZONE}.",
    },
}
DATE_TIME = {"en": r"\d\d/\d\d/\d{4} \d\d:\d\d", "fr": r"\d\d/\d\d/\d{4} \d\d:\d\d"}
OTHER_SHAPES = [
    r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d",  # ISO 8601
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December) \d",
    r"\d (?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre"
    r"|décembre) \d{4}",
    r"\b[ap]\.m\.",
    r"\b(?:midnight|noon|minuit|midi)\b",
]


def text_of(html: str) -> str:
    """What a person reads: no script, no style, no tags (attributes hold ISO days); nor the
    jobs list's date hierarchy, which names days and months to choose from ("December 8")."""
    html = re.sub(r"<(script|style|datalist)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<nav class="toplinks">.*?</nav>', " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def job(client, settings):
    settings.TIME_ZONE = ZONE
    run_import(csv_bytes([make_row()]), "first.csv", options=ImportOptions())
    upload(client, csv_bytes([MOVED, CONFLICTING, MISSPELT]))
    job = ImportJob.objects.latest("pk")
    fix_url = reverse("admin:training_intervention_import_fix", args=[job.pk])
    message = "Teacher with login jdoee is not found."
    fixed = {"column": "teacherLogin", "value": "jdoee", "message": message}
    post(client, fix_url, {**fixed, "replacement": "jdoe", "action": "replace"})
    job.refresh_from_db()
    assert job.fixes and job.error_rows == 0
    return job


def pages(job: ImportJob) -> dict[str, str]:
    calendar = reverse("admin:training_intervention_import_calendar", args=[job.pk])
    return {
        "preview rows": preview_url(job.pk) + "?view=rows",
        "history": reverse("admin:imports_importjob_change", args=[job.pk]),
        "jobs list": reverse("admin:imports_importjob_changelist"),
        "interventions list": reverse("admin:training_intervention_changelist"),
        "calendar": calendar + "?week=2027-03-01",
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_shows_date_times_one_way_and_names_the_zone_once(client, job, language):
    for name, url in pages(job).items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, name
        text = text_of(response.content.decode())
        assert text.count(SHOWN[language]["zone"]) == 1, name
        for shape in OTHER_SHAPES:
            assert not re.search(shape, text), (name, re.search(shape, text))
        if name != "calendar":  # its blocks show times of day, its heads days
            assert re.search(DATE_TIME[language], text), name


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_preview_shows_the_change_the_conflict_and_the_fix_the_language_s_way(
    client, job, language
):
    html = client.get(preview_url(job.pk) + "?view=rows", HTTP_ACCEPT_LANGUAGE=language)
    text = text_of(html.content.decode())
    assert SHOWN[language]["moved"] in text  # the update's old and new start, in Paris
    conflict = re.search(
        r'<div class="module" id="schedule-conflicts">(.*?)</div>', html.content.decode(), re.S
    )
    assert conflict is not None
    day = "03/01/2027" if language == "en" else "01/03/2027"
    assert f"{day} 15:00" in text_of(conflict.group(1))  # IV-2's start in the message
    fixes = re.search(r'<table id="fix-list">(.*?)</table>', html.content.decode(), re.S)
    assert re.search(DATE_TIME[language], text_of(fixes.group(1)))  # when the fix was made
