"""cancelMissing on the command and the batch pipeline (issue 29): ``--cancel-missing``,
``--confirm-cancel N``, the configuration's ``<cancelMissing>``, the summary line, ``--json``,
the job, the error log's WARNING lines and the e-mail report."""

import json
import re

import pytest
from django.core import mail

from imports.jobs.models import ImportJob
from tests.conftest import HEADER, csv_bytes
from tests.imports.command_support import run_command
from tests.imports.engine.test_cancel_missing import FILE_ROWS, many_stored, stored
from training.models import Intervention

pytestmark = pytest.mark.usefixtures("demo", "media")
FIELDS = "".join(f"<{name}/>" for name in HEADER)


@pytest.fixture
def week(tmp_path):
    path = tmp_path / "week.csv"
    path.write_bytes(csv_bytes(FILE_ROWS[:2]))
    return str(path)


def test_the_summary_line_counts_them(week):
    stored("IV-X", "2027-03-03T15:00:00")
    stored("IV-A", "2027-03-02T10:00:00")  # named by the file: 1 of 2, 50 %
    status, out, _ = run_command("import_interventions", week, "--cancel-missing", "--dry-run")
    assert status == 0
    assert "is not in the file: cancelled as missing." in out and "IV-X" in out
    assert out.rstrip().endswith(
        "1 new, 0 updated, 1 unchanged, 0 rows with errors, 1 cancelled as missing"
        " (dry run: nothing written)."
    )
    assert Intervention.objects.get(guid="IV-X").status == "A"
    status, out, _ = run_command("import_interventions", week, "--cancel-missing")
    assert status == 0 and "0 rows with errors, 1 cancelled as missing." in out
    assert Intervention.objects.get(guid="IV-X").status == "C"
    job = ImportJob.objects.get()
    assert (job.cancel_missing, job.cancelled_missing, job.status) == (True, 1, "imported")


def test_off_the_summary_is_as_before(week):
    status, out, _ = run_command("import_interventions", week)
    assert out.rstrip().endswith("2 new, 0 updated, 0 unchanged, 0 rows with errors.")


def test_json_gives_the_count_and_the_guids(week):
    stored("IV-X", "2027-03-03T15:00:00")
    stored("IV-A", "2027-03-02T10:00:00")
    status, out, _ = run_command("import_interventions", week, "--cancel-missing", "--json")
    report = json.loads(out)
    assert (report["cancelled_missing"], report["cancelled_missing_guids"]) == (1, ["IV-X"])
    assert ImportJob.objects.get(pk=report["job"]).cancelled_missing == 1


def test_too_many_is_exit_2_with_the_count_and_the_flag(week):
    many_stored(3)
    status, out, err = run_command("import_interventions", week, "--cancel-missing")
    assert status == 2
    assert re.search(r"3 of the 3 active interventions .* \(100 %\) would be cancelled", err)
    assert "give that count with --confirm-cancel" in err
    assert set(Intervention.objects.values_list("status", flat=True)) == {"A"}
    status, out, _ = run_command("import_interventions", week, "--cancel-missing", "--dry-run")
    assert status == 0 and out.count("cancelled as missing.") == 3
    assert "Give that count with --confirm-cancel to import." in out
    args = ("--cancel-missing", "--confirm-cancel", "3")
    status, out, _ = run_command("import_interventions", week, *args)
    assert status == 0 and "3 cancelled as missing." in out
    assert Intervention.objects.filter(status="C").count() == 3


def test_the_undo_command_restores_them(week):
    stored("IV-X", "2027-03-03T15:00:00")
    stored("IV-A", "2027-03-02T10:00:00")
    _, out, _ = run_command("import_interventions", week, "--cancel-missing", "--json")
    job = json.loads(out)["job"]
    status, out, _ = run_command("undo_import", str(job))
    assert status == 0 and "1 deleted, 1 restored" in out
    assert Intervention.objects.get(guid="IV-X").status == "A"


def config_with(data_dir, extra: str) -> str:
    xml = f"""<import-config><import><providers><fileSystemSourceProvider>
      <fileName>week*.csv</fileName><path>in</path><delimiter>semicolon</delimiter>
      </fileSystemSourceProvider></providers>
      <actions><createOrUpdateInterventionAction><fields>{FIELDS}</fields>
      <cancelMissing>yes</cancelMissing>
      </createOrUpdateInterventionAction></actions>
      <consolidators>{extra}</consolidators></import></import-config>"""
    path = data_dir / "config.xml"
    path.write_text(xml)
    return str(path)


def test_the_pipeline_carries_it_to_the_error_log_and_the_email(tmp_path, settings):
    settings.INTERVENTION_IMPORT = {"DATA_DIR": str(tmp_path)}
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "week1.csv").write_bytes(csv_bytes(FILE_ROWS[:2]))
    stored("IV-X", "2027-03-03T15:00:00")
    stored("IV-A", "2027-03-02T10:00:00")
    extra = """<timeStampedErrorLogConsolidator><location>logs</location>
      </timeStampedErrorLogConsolidator>
      <emailReportConsolidator><targetEmail>a@example.org</targetEmail>
      </emailReportConsolidator>"""
    status, out, _ = run_command("import_interventions", "--config", config_with(tmp_path, extra))
    assert status == 0 and "1 cancelled as missing." in out
    [log] = (tmp_path / "logs").iterdir()
    assert log.read_text() == (
        "Line number:0,WARNING,,Intervention IV-X (session SE-1, 2027-03-03 15:00 to"
        " 2027-03-03 16:00, teacher jdoe, room R-101) is not in the file: cancelled as missing.\n"
    )
    [message] = mail.outbox
    assert "Cancelled as missing: 1" in message.body
    assert "Intervention IV-X (session SE-1" in message.body
    assert Intervention.objects.get(guid="IV-X").status == "C"
    assert ImportJob.objects.get().cancelled_missing == 1
