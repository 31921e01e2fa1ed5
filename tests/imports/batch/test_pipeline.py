"""The batch pipeline: file discovery, content guard, consolidators (via the command)."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from imports.jobs.models import ImportJob
from tests.conftest import HEADER, csv_bytes, make_row
from training.models import Intervention

pytestmark = pytest.mark.django_db
FIELDS = "".join(f"<{name}/>" for name in HEADER)


def config_xml(*imports: str) -> str:
    return "<import-config>" + "".join(imports) + "</import-config>"


def import_block(file_name: str = "interventions_*.csv", path: str = "in", extra: str = "") -> str:
    return f"""<import><providers><fileSystemSourceProvider>
      <fileName>{file_name}</fileName><path>{path}</path><delimiter>semicolon</delimiter>
      </fileSystemSourceProvider></providers>
      <actions><createOrUpdateInterventionAction><fields>{FIELDS}</fields>
      </createOrUpdateInterventionAction></actions>
      <consolidators>{extra}</consolidators></import>"""


@pytest.fixture
def data_dir(tmp_path, settings):
    settings.INTERVENTION_IMPORT = {"DATA_DIR": str(tmp_path)}
    (tmp_path / "in").mkdir()
    return tmp_path


def write_config(data_dir: Path, xml: str) -> str:
    path = data_dir / "import-config.xml"
    path.write_text(xml)
    return str(path)


def call(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_interventions", *args, stdout=out, stderr=err)
        return 0, out.getvalue(), err.getvalue()
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)


def test_files_are_found_by_wildcard_in_name_order(demo, data_dir):
    (data_dir / "in" / "interventions_b.csv").write_bytes(
        csv_bytes([make_row(interventionGuid="B")])
    )
    (data_dir / "in" / "interventions_a.csv").write_bytes(
        csv_bytes([make_row(interventionGuid="A")])
    )
    (data_dir / "in" / "other.csv").write_bytes(csv_bytes([make_row(interventionGuid="X")]))
    status, out, _ = call("--config", write_config(data_dir, config_xml(import_block())), "--json")
    assert status == 0
    files = [Path(json.loads(line)["file"]).name for line in out.splitlines()]
    assert files == ["interventions_a.csv", "interventions_b.csv"]
    assert sorted(Intervention.objects.values_list("guid", flat=True)) == ["A", "B"]


def test_several_imports_run_in_order(demo, data_dir):
    (data_dir / "in" / "first.csv").write_bytes(csv_bytes([make_row(interventionDuration="2")]))
    (data_dir / "in" / "second.csv").write_bytes(csv_bytes([make_row(interventionDuration="5")]))
    xml = config_xml(import_block("first.csv"), import_block("second.csv"))
    status, out, _ = call("--config", write_config(data_dir, xml))
    assert status == 0
    assert Intervention.objects.get().duration_minutes == 300


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (import_block(path="../elsewhere"), "Path ../elsewhere may not contain '..'."),
        (import_block(file_name="../*.csv"), "File name ../*.csv may not contain a folder."),
    ],
)
def test_paths_outside_the_data_folder_are_refused(demo, data_dir, block, message):
    status, _, err = call("--config", write_config(data_dir, config_xml(block)))
    assert status == 2
    assert message in err


BACKUP = "<moveToBackupConsolidator><backupFolder>done</backupFolder></moveToBackupConsolidator>"
NO_FILE_NAME = (
    "The <import> has no <fileName> (in <fileSystemSourceProvider>)."
    " Give FILEs to import with this configuration."
)


@pytest.mark.parametrize(
    ("second", "line", "message"),
    [
        (import_block(path="/etc"), 7, "Path /etc is absolute."),
        (
            import_block(file_name="/etc/passwd"),
            7,
            "File name /etc/passwd may not contain a folder.",
        ),
        (
            import_block(extra=BACKUP.replace(">done<", ">/srv/backup<")),
            11,
            "Path /srv/backup is absolute.",
        ),
        (
            import_block(extra=BACKUP.replace("</m", "<addTimeStamp>maybe</addTimeStamp></m")),
            11,
            "<addTimeStamp> has invalid value maybe, yes or no expected.",
        ),
        (import_block(path="link"), 6, "Path link is outside the data folder"),
        (import_block().replace("<fileName>interventions_*.csv</fileName>", ""), 6, NO_FILE_NAME),
    ],
    ids=[
        "absolute-path",
        "absolute-file-name",
        "absolute-backup-folder",
        "time-stamp-not-yes-no",
        "link-leading-outside",
        "no-file-name",
    ],
)
def test_a_bad_later_import_stops_the_run_before_anything_is_written(
    demo, data_dir, tmp_path_factory, second, line, message
):
    """The whole configuration is checked first: the first <import> is not run either."""
    (data_dir / "in" / "first.csv").write_bytes(csv_bytes([make_row()]))
    (data_dir / "link").symlink_to(tmp_path_factory.mktemp("outside"), target_is_directory=True)
    config = write_config(data_dir, config_xml(import_block("first.csv", extra=BACKUP), second))
    status, out, err = call("--config", config)
    assert status == 2
    assert f"{config}: line {line}: {message}" in err
    assert "Traceback" not in err
    assert out == ""
    assert Intervention.objects.count() == 0
    assert ImportJob.objects.count() == 0
    assert (data_dir / "in" / "first.csv").exists()
    assert not (data_dir / "done").exists()


def test_a_missing_data_folder_is_unusable_input(demo, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = write_config(tmp_path, config_xml(import_block()))
    status, out, err = call("--config", config, "--data-dir", "nowhere")
    assert status == 2
    assert f"Data folder {tmp_path / 'nowhere'} does not exist." in err
    assert "Create it, or choose another with --data-dir." in err
    assert not (tmp_path / "nowhere").exists()
    assert ImportJob.objects.count() == 0


def test_a_data_folder_that_is_a_file_is_unusable_input(demo, tmp_path):
    (tmp_path / "data").write_text("not a folder")
    config = write_config(tmp_path, config_xml(import_block()))
    status, _, err = call("--config", config, "--data-dir", str(tmp_path / "data"))
    assert status == 2
    assert f"Data folder {tmp_path / 'data'} is not a folder." in err


def test_files_with_a_configurations_consolidators_need_the_data_folder(demo, tmp_path, settings):
    settings.INTERVENTION_IMPORT = {"DATA_DIR": str(tmp_path / "missing")}
    source = tmp_path / "one.csv"
    source.write_bytes(csv_bytes([make_row()]))
    config = write_config(tmp_path, config_xml(import_block(extra=BACKUP)))
    status, _, err = call(str(source), "--config", config)
    assert status == 2
    assert f"Data folder {tmp_path / 'missing'} does not exist." in err
    assert source.exists()
    assert Intervention.objects.count() == 0


def test_no_matching_file_names_the_pattern_and_the_data_folder(demo, data_dir):
    (data_dir / "in" / "other.csv").write_bytes(csv_bytes([make_row()]))
    config = write_config(data_dir, config_xml(import_block()))
    status, out, err = call("--config", config)
    assert status == 0
    assert err == f"No file matches in/interventions_*.csv in data folder {data_dir}.\n"
    assert out == ""


def test_same_content_is_skipped_unless_forced(demo, data_dir):
    (data_dir / "in" / "interventions_1.csv").write_bytes(csv_bytes([make_row()]))
    config = write_config(data_dir, config_xml(import_block()))
    assert call("--config", config)[0] == 0
    job = ImportJob.objects.get()
    assert (job.status, job.new, len(job.sha256)) == ("imported", 1, 64)
    status, out, _ = call("--config", config)
    assert status == 0
    skipped = rf"Already imported on \d{{4}}-\d\d-\d\d \d\d:\d\d \(job #{job.pk}\)\."
    assert re.search(rf": {skipped} Use --force to import it again\.$", out.strip())
    status, out, _ = call("--config", config, "--json")
    [report] = [json.loads(line) for line in out.splitlines()]
    assert report["code"] == "already_imported"
    assert re.fullmatch(skipped, report["skipped"])
    assert ImportJob.objects.count() == 1
    status, out, _ = call("--config", config, "--force")
    assert "0 new, 0 updated, 1 unchanged" in out
    assert ImportJob.objects.count() == 2


def test_error_log_backup_email_and_time_logger(demo, data_dir):
    rows = [make_row(), make_row(interventionGuid="IV-2", trainingGuid="TR-9")]
    (data_dir / "in" / "interventions_1.csv").write_bytes(csv_bytes(rows))
    consolidators = """
      <timeStampedErrorLogConsolidator><location>logs</location></timeStampedErrorLogConsolidator>
      <moveToBackupConsolidator><backupFolder>done</backupFolder>
        <addTimeStamp>yes</addTimeStamp></moveToBackupConsolidator>
      <emailReportConsolidator><targetEmail>a@example.org</targetEmail>
        <targetEmail>b@example.org</targetEmail><attachErrorLog>yes</attachErrorLog>
      </emailReportConsolidator>
      <timeLoggerConsolidator/>"""
    xml = config_xml(import_block(extra=consolidators))
    status, out, _ = call("--config", write_config(data_dir, xml))
    assert status == 1
    [log] = (data_dir / "logs").iterdir()
    assert re.fullmatch(r"\d{8}_\d{6}_interventions_1\.csv\.log", log.name)
    cells = ",".join(make_row(interventionGuid="IV-2", trainingGuid="TR-9")[n] for n in HEADER)
    assert log.read_text() == f"Line number:3,ERROR,{cells},Training with guid TR-9 is not found.\n"
    assert not (data_dir / "in" / "interventions_1.csv").exists()
    [backup] = (data_dir / "done").iterdir()
    assert re.fullmatch(r"\d{8}_\d{6}_interventions_1\.csv", backup.name)
    [message] = mail.outbox
    assert message.to == ["a@example.org", "b@example.org"]
    assert "Rows with errors: 1" in message.body
    assert message.attachments[0][0] == log.name
    assert re.search(r"import took \d+\.\d\d s\.", out)


def test_command_options_for_ad_hoc_runs(demo, tmp_path):
    source = tmp_path / "one.csv"
    source.write_bytes(csv_bytes([make_row(interventionGuid="", roomGuid="")]))
    args = [
        str(source),
        "--error-log",
        str(tmp_path / "logs"),
        "--backup-dir",
        str(tmp_path / "bk"),
    ]
    status, _, _ = call(*args, "--email", "ops@example.org")
    assert status == 1
    [log] = (tmp_path / "logs").iterdir()
    assert "Field interventionGuid is empty." in log.read_text()
    assert (tmp_path / "bk" / "one.csv").exists()
    assert mail.outbox[0].to == ["ops@example.org"]


def test_explicit_files_are_reimported_without_the_guard(demo, tmp_path):
    source = tmp_path / "one.csv"
    source.write_bytes(csv_bytes([make_row()]))
    assert call(str(source))[0] == 0
    status, out, _ = call(str(source))
    assert "0 new, 0 updated, 1 unchanged" in out


def test_no_files_and_no_config_is_a_usage_error(demo):
    status, _, err = call()
    assert status == 2
    assert "Give FILEs to import, or --config with a provider." in err


def test_a_consolidator_that_fails_is_a_message_and_the_others_still_run(demo, data_dir):
    (data_dir / "in" / "interventions_1.csv").write_bytes(csv_bytes([make_row()]))
    (data_dir / "done").write_text("a file where the backup folder should be")
    consolidators = """
      <moveToBackupConsolidator><backupFolder>done</backupFolder></moveToBackupConsolidator>
      <emailReportConsolidator><targetEmail>a@example.org</targetEmail></emailReportConsolidator>"""
    xml = config_xml(import_block(extra=consolidators))
    status, out, err = call("--config", write_config(data_dir, xml))
    assert status == 1
    assert "Traceback" not in err
    failed = r"moveToBackupConsolidator failed \(.+\); the import itself is done\."
    assert re.search(r"interventions_1\.csv: " + failed, err)
    assert Intervention.objects.filter(guid="IV-1").exists()  # the import is kept
    assert (data_dir / "in" / "interventions_1.csv").exists()  # not moved
    assert len(mail.outbox) == 1  # the next consolidator ran


def test_the_email_report_counts_rows_with_schedule_conflicts(demo, data_dir):
    rows = [make_row(), make_row(interventionGuid="IV-2"), make_row(interventionGuid="IV-3")]
    rows[2]["interventionDate"] = "2027-03-02T09:00:00"  # a free slot
    (data_dir / "in" / "interventions_1.csv").write_bytes(csv_bytes(rows))
    email = (
        "<emailReportConsolidator><targetEmail>a@example.org</targetEmail>"
        "</emailReportConsolidator>"
    )
    status, _, _ = call("--config", write_config(data_dir, config_xml(import_block(extra=email))))
    assert status == 0  # warnings do not change the exit status
    [message] = mail.outbox
    assert "Rows with schedule conflicts: 2" in message.body


def test_a_txt_export_named_by_the_configuration_is_imported(demo, data_dir):
    """Planning tools name their exports .TXT: the configuration's *.TXT finds and reads it."""
    (data_dir / "in" / "PLANNING.TXT").write_bytes(csv_bytes([make_row(interventionGuid="T")]))
    status, out, _ = call("--config", write_config(data_dir, config_xml(import_block("*.TXT"))))
    assert status == 0, out
    assert "1 new" in out
    assert Intervention.objects.filter(guid="T").exists()
