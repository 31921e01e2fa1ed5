"""The command's text lines in the site's language (LANGUAGE_CODE, or --language); what
programs read stays English: --json (the seed's words and the codes) and the batch error log
(issue 28)."""

import json
import re
from pathlib import Path

import pytest
from django.core import mail

from tests.conftest import HEADER, csv_bytes, make_row
from tests.imports.admin_support import SAMPLES
from tests.imports.command_support import run_command

pytestmark = pytest.mark.usefixtures("demo")
WITH_ERRORS = str(SAMPLES / "interventions_with_errors.csv")
FIELDS = "".join(f"<{name}/>" for name in HEADER)


@pytest.fixture
def french_site(settings):
    settings.LANGUAGES = [("en", "English"), ("fr", "Français")]
    settings.LANGUAGE_CODE = "fr"


def test_the_text_lines_are_french_with_a_french_language_code(french_site):
    status, out, err = run_command("import_interventions", WITH_ERRORS, "--dry-run")
    assert status == 1
    assert (
        f"{WITH_ERRORS}\u00a0: ligne 3\u00a0: La formation dont le GUID est TR-9 est introuvable."
        in err
    )
    assert "ligne 8\u00a0: Le formateur dont l'identifiant est nobody est introuvable." in err
    assert "ligne 9\u00a0: Le statut X n'est pas valide\u00a0: A or C attendu." in err
    assert "not found" not in err
    assert "nouvelles\u00a0: 1, mises à jour\u00a0: 0, inchangées\u00a0: 0" in out
    assert "(essai\u00a0: rien n'a été écrit)." in out
    assert err.endswith("Certaines lignes ont des erreurs.")


def test_json_stays_english_with_its_codes_in_a_french_setting(french_site):
    status, out, _ = run_command("import_interventions", WITH_ERRORS, "--dry-run", "--json")
    assert status == 1
    errors = json.loads(out)["errors"]
    assert {"line": 8, "message": "Teacher with login nobody is not found."}.items() <= (
        next(error for error in errors if error["line"] == 8).items()
    )
    assert next(e for e in errors if e["line"] == 8)["code"] == "teacher_not_found"
    assert not [e for e in errors if "introuvable" in e["message"]]
    assert set(errors[0]) == {"line", "column", "value", "message", "level", "code"}


def test_language_option_and_a_suggestion_in_french(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(csv_bytes([make_row(teacherLogin="jdoee")]))
    status, _, err = run_command("import_interventions", str(path), "--language", "fr")
    assert status == 1
    assert (
        "ligne 2\u00a0: Le formateur dont l'identifiant est jdoee est introuvable."
        " Vouliez-vous dire jdoe\u00a0?"
    ) in err
    status, _, err = run_command("import_interventions", str(path))
    assert "line 2: Teacher with login jdoee is not found. Did you mean jdoe?" in err


def test_the_error_log_stays_english_and_the_email_report_is_french(
    french_site, tmp_path, settings
):
    settings.INTERVENTION_IMPORT = {"DATA_DIR": str(tmp_path)}
    (tmp_path / "in").mkdir()
    rows = [make_row(), make_row(interventionGuid="IV-2", trainingGuid="TR-9")]
    (tmp_path / "in" / "interventions_1.csv").write_bytes(csv_bytes(rows))
    config = tmp_path / "import-config.xml"
    config.write_text(
        f"""<import-config><import><providers><fileSystemSourceProvider>
      <fileName>interventions_*.csv</fileName><path>in</path><delimiter>semicolon</delimiter>
      </fileSystemSourceProvider></providers>
      <actions><createOrUpdateInterventionAction><fields>{FIELDS}</fields>
      </createOrUpdateInterventionAction></actions><consolidators>
      <timeStampedErrorLogConsolidator><location>logs</location></timeStampedErrorLogConsolidator>
      <emailReportConsolidator><targetEmail>a@example.org</targetEmail>
      </emailReportConsolidator><timeLoggerConsolidator/></consolidators></import></import-config>"""
    )
    status, out, err = run_command("import_interventions", "--config", str(config))
    assert status == 1
    [log] = Path(tmp_path / "logs").iterdir()
    cells = ",".join(rows[1][name] for name in HEADER)
    assert log.read_text() == f"Line number:3,ERROR,{cells},Training with guid TR-9 is not found.\n"
    [message] = mail.outbox
    assert message.subject == "Import de interventions_1.csv\u00a0: erreurs"
    assert "Lignes en erreur\u00a0: 1" in message.body
    assert "ligne 3\u00a0: La formation dont le GUID est TR-9 est introuvable." in message.body
    assert re.search(r"l'import a pris \d+\.\d\d s\.", out)
    assert "ligne 3\u00a0: La formation dont le GUID est TR-9 est introuvable." in err
