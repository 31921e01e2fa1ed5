"""Every page of ours in French and in English (issue 28, "Translations").

Each page is rendered with ``Accept-Language: fr``: it is ``<html lang="fr">``, Django's admin
itself is French, and no sentence of ours is left in English: the msgids of our catalogues
(``imports/locale``, ``training/locale``), cut at their placeholders, whose longer pieces must
not appear in the French HTML. The same pages in English show the English texts. The
catalogues' completeness is ``.ci/check_messages.py``'s (``make lint``)."""

import html
import json
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from imports import jobs
from imports.batch.consolidators import report_text, send_report
from imports.engine import run_import
from imports.jobs.models import ImportConfiguration, ImportJob
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import client_for, make_user, post, preview_url, upload
from tests.imports.parsing.test_mapping import FRENCH, ROW
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo", "media")
ROOT = Path(__file__).resolve().parents[3]
CATALOGUES = [ROOT / app / "locale/fr/LC_MESSAGES/django.po" for app in ("imports", "training")]
# A piece of a msgid is a sentence of ours when it has at least this many letters and two words.
LONGER = 12


def msgids(po: Path) -> list[tuple[str, str]]:
    """(msgid, its French translation) of a catalogue, plural forms included."""
    found: list[tuple[str, str]] = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?|msgctxt) (".*")$', line)
            if match:
                key = match.group(1)
                fields[key] = json.loads(match.group(2))
            elif line.startswith('"') and key:
                fields[key] += json.loads(line)
        if fields.get("msgid"):
            french = fields.get("msgstr") or fields.get("msgstr[1]", "")
            found.append((fields["msgid"], french))
            if "msgid_plural" in fields:
                found.append((fields["msgid_plural"], fields.get("msgstr[1]", "")))
    return found


def sentences() -> set[str]:
    """The longer pieces of our msgids (text between placeholders and tags), not also French."""
    pieces: set[str] = set()
    for po in CATALOGUES:
        for msgid, french in msgids(po):
            for piece in re.split(r"%\(\w+\)s|\{[\w.]+\}|<[^>]+>", msgid):
                piece = piece.strip(" ,.;:()—…|")
                letters = sum(character.isalpha() for character in piece)
                if letters >= LONGER and " " in piece and piece not in french:
                    pieces.add(piece)
    return pieces


SENTENCES = sentences()


def text_of(page: str) -> str:
    """A page's visible text and shown attribute values, unescaped, spaces collapsed."""
    page = re.sub(r"<script.*?</script>", " ", page, flags=re.S)
    page = re.sub(r'<input type="hidden"[^>]*>', " ", page)  # data sent back, not shown
    values = " ".join(re.findall(r'(?:value|placeholder|title|data-[\w-]+)="([^"]*)"', page))
    text = re.sub(r"<[^>]+>", " ", page) + " " + values
    return re.sub(r"\s+", " ", html.unescape(text))


def english_left(page: str) -> list[str]:
    text = text_of(page)
    return sorted(sentence for sentence in SENTENCES if sentence in text)


def test_the_catalogues_hold_sentences_to_look_for():
    assert len(SENTENCES) > 150
    assert any(sentence.startswith("Upload a file to see what") for sentence in SENTENCES)


# The pages


@pytest.fixture
def importer(db):
    return make_user("importer", superuser=True)


def french(user) -> Client:
    client = client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    return client


def english(user) -> Client:
    client = client_for(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


ROWS = [
    make_row(interventionGuid="IV-1"),
    # the same teacher at the same time: a schedule conflict
    make_row(interventionGuid="IV-2", roomGuid="R-NEW", roomLabel="New room", roomCapacity="9"),
    make_row(interventionGuid="IV-3", teacherLogin="nobody"),
    make_row(
        interventionGuid="IV-4",
        interventionDate="2027-03-02T09:00:00",
        roomGuid="R-102",
        roomLabel="Room 102",
        roomCapacity="30",
    ),
]


def previewed(user, rows=ROWS) -> ImportJob:
    upload = SimpleUploadedFile("planning.csv", csv_bytes(rows))
    job = jobs.create_job(upload, user)
    jobs.preview_job(job)
    return job


def imported(user) -> ImportJob:
    job = previewed(user, [make_row(interventionGuid="IV-9")])
    done = jobs.confirm_job(job, user)
    assert done.job.status == ImportJob.Status.IMPORTED
    return done.job


def mapping_job(client) -> ImportJob:
    content = ("\n".join([";".join(FRENCH), ";".join(ROW)]) + "\n").encode()
    upload(client, content, name="planning_mars.csv")
    return ImportJob.objects.latest("pk")


def pages(user, client: Client) -> dict[str, str]:
    """Every page of ours, as ``client`` (French or English) gets it."""
    job = previewed(user)
    assert job.error_rows and job.rooms_created and job.rooms_updated
    done = imported(user)
    ImportConfiguration.objects.create(name="Planning", xml=_config_xml())
    configuration = ImportConfiguration.objects.get()
    intervention = Intervention.objects.get()
    undo = reverse("admin:imports_importjob_undo", args=[done.pk])
    urls = {
        "upload": reverse("admin:training_intervention_import"),
        "preview errors": preview_url(job.pk) + "?view=errors",
        "preview rows": preview_url(job.pk) + "?view=rows",
        "preview rows new": preview_url(job.pk) + "?view=rows&outcome=new",
        "job list": reverse("admin:imports_importjob_changelist"),
        "job page": reverse("admin:imports_importjob_change", args=[job.pk]),
        "imported job page": reverse("admin:imports_importjob_change", args=[done.pk]),
        "undo": undo,
        "undo forced": undo + "?force=1",
        "export": reverse("admin:training_intervention_export"),
        "configurations": reverse("admin:imports_importconfiguration_changelist"),
        "configuration": reverse(
            "admin:imports_importconfiguration_change", args=[configuration.pk]
        ),
        "interventions": reverse("admin:training_intervention_changelist"),
        "intervention": reverse("admin:training_intervention_change", args=[intervention.pk]),
        "index": reverse("admin:index"),
    }
    shown = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        shown[name] = response.content.decode()
    # the undo, done: its job page; a file that names its columns its own way: the mapping step
    post(client, undo, {"action": "undo"})
    undo_job = done.undos.get()
    shown["undo job page"] = client.get(
        reverse("admin:imports_importjob_change", args=[undo_job.pk])
    ).content.decode()
    mapped = mapping_job(client)
    shown["unreadable preview"] = client.get(preview_url(mapped.pk)).content.decode()
    mapping = reverse("admin:training_intervention_import_mapping", args=[mapped.pk])
    shown["mapping"] = client.get(mapping).content.decode()
    return shown


def _config_xml() -> str:
    return (ROOT / "samples" / "config.xml").read_text(encoding="utf-8")


def test_every_page_of_ours_is_french_with_a_french_browser(importer):
    client = french(importer)
    shown = pages(importer, client)
    left = {name: english_left(page) for name, page in shown.items()}
    assert {name: found for name, found in left.items() if found} == {}
    for name, page in shown.items():
        assert '<html lang="fr"' in page, name
        assert "Déconnexion" in page, name  # Django's admin itself
    preview = text_of(shown["preview errors"])
    assert "Conflits de planning" in preview and "Erreurs par message" in preview
    assert "Confirmer l’import" in preview and "Lignes en erreur" in preview
    assert "Salles" in preview and "Nouvelles salles (1)" in preview
    assert "Colonnes attendues" in text_of(shown["upload"])
    assert "Annuler cet import" in text_of(shown["imported job page"])
    assert "Exporter" in text_of(shown["export"])
    jobs_list = text_of(shown["job list"])
    assert "aperçu — nouvelles" in jobs_list and "Résultat" in jobs_list
    assert "Formateur" in text_of(shown["interventions"])
    assert "Formation" in text_of(shown["index"])


def test_every_page_of_ours_is_english_with_an_english_browser(importer):
    shown = pages(importer, english(importer))
    for name, page in shown.items():
        assert '<html lang="en"' in page, name
        assert "Log out" in page, name
    preview = text_of(shown["preview errors"])
    assert "Schedule conflicts" in preview and "Errors by message" in preview
    assert "Confirm import" in preview and "Rows with errors" in preview
    assert "Upload a file to see what it would change" in text_of(shown["upload"])
    assert "Undo this import" in text_of(shown["imported job page"])
    assert "preview: 3 new" in text_of(shown["job list"])


def test_the_login_page_is_french_and_the_site_language_is_the_default():
    page = Client(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").get(reverse("admin:login")).content
    text = page.decode()
    assert '<html lang="fr"' in text
    assert "Nom d’utilisateur" in text and "Connexion" in text
    english_page = Client().get(reverse("admin:login")).content.decode()
    assert '<html lang="en"' in english_page and "Username" in english_page


def test_the_language_chosen_on_the_admin_pages_wins_over_the_browser(importer):
    client = english(importer)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="language-form"' in page and reverse("set_language") in page
    index = reverse("admin:index")
    response = post(client, reverse("set_language"), {"language": "fr", "next": index})
    assert response.status_code == 302 and response.url == index
    page = client.get(reverse("admin:training_intervention_import")).content.decode()
    assert '<html lang="fr"' in page and "Colonnes attendues" in page


def test_admin_messages_are_french(importer):
    client = french(importer)
    response = upload(client, csv_bytes([make_row()]), name="planning.csv")
    page = client.get(response.url).content.decode()
    assert "Aperçu de planning.csv" in page
    job = ImportJob.objects.latest("pk")
    confirm = reverse("admin:training_intervention_import_confirm", args=[job.pk])
    response = post(client, confirm, {"confirm": "1"}, follow=True)
    text = text_of(response.content.decode())
    assert "lanning.csv importé — nouvelles : 1" in text
    assert not english_left(response.content.decode())


def test_the_email_report_is_in_the_site_language(settings):
    rows = [make_row(), make_row(interventionGuid="IV-2", teacherLogin="x")]
    result = run_import(csv_bytes(rows), "planning.csv")
    with translation.override("fr"):
        body = report_text(result)
        send_report(result, ["ops@example.org"], None)
    assert "Lignes en erreur\u00a0: 1" in body and "Nouvelles\u00a0: 1" in body
    assert english_left(body) == []
    assert mail.outbox[0].subject.startswith("Import de ")
    with translation.override("en"):
        assert "Rows with errors: 1" in report_text(result)
