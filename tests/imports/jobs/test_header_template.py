"""Templates: the header row a layout expects and one example row that imports cleanly
against the demo data, as that layout reads it; the description of the expected columns."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from imports.engine import ImportOptions, run_import
from imports.jobs.header_template import column_guide, template_file
from imports.parsing.config import HEADER_CONFIG, parse_config
from tests.conftest import HEADER
from training.models import Intervention

POSITIONAL_LATIN = """<import-config><import><providers><fileSystemSourceProvider>
  <columnsMapping><interventionGuid/><ignoredColumn/><trainingGuid/><sessionTitle/>
  <interventionDate/><interventionDuration/><roomGuid/><roomLabel/><teacherLogin/>
  <interventionStatus/></columnsMapping>
  <fileEncoding>ISO-8859-1</fileEncoding><delimiter>comma</delimiter>
  <dateFormat>DD/MM/YYYY HH:II</dateFormat></fileSystemSourceProvider></providers>
  <actions><createOrUpdateInterventionAction><fields><interventionGuid/><trainingGuid/>
  <sessionTitle/><interventionDate/><interventionDuration/><roomGuid/><roomLabel/>
  <teacherLogin/><interventionStatus><active>ON</active><cancelled>OFF</cancelled>
  </interventionStatus></fields></createOrUpdateInterventionAction></actions>
</import></import-config>"""
SPLIT = """<import-config><import><providers><fileSystemSourceProvider>
  <columnsMapping><interventionGuid/><trainingGuid/><sessionGuid/><interventionDate/>
  <interventionStartTime/><interventionEndTime/><interventionEndDate/><roomGuid/><roomLabel/>
  <teacherLogin/><interventionStatus/></columnsMapping>
  <dateFormat>DD/MM/YYYY</dateFormat><durationUnit>minutes</durationUnit>
  </fileSystemSourceProvider></providers>
  <actions><createOrUpdateInterventionAction><fields><interventionGuid/><trainingGuid/>
  <sessionGuid/><interventionDate/><interventionStartTime/><interventionEndTime/>
  <interventionEndDate/><roomGuid/><roomLabel/><teacherLogin/><interventionStatus/>
  </fields></createOrUpdateInterventionAction></actions>
</import></import-config>"""
CONFIGS = {
    "default": HEADER_CONFIG,
    "positional": parse_config(POSITIONAL_LATIN)[0],
    "split": parse_config(SPLIT)[0],
}


@pytest.mark.django_db
@pytest.mark.parametrize("layout", CONFIGS)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_each_template_imports_cleanly_against_the_demo_data(demo, layout, file_format):
    config = CONFIGS[layout]
    data = template_file(config, file_format)
    options = ImportOptions(time_zone="Europe/Paris")
    result = run_import(data, f"template.{file_format}", config, options)
    assert (result.file_errors, result.errors, result.new) == ([], [], 1)
    assert [w.code for w in result.warnings if w.level == "ERROR"] == []
    intervention = Intervention.objects.get()
    assert intervention.guid == "IV-EXAMPLE-1"
    assert intervention.start == dt.datetime(2027, 4, 12, 7, 0, tzinfo=dt.UTC)  # 09:00 in Paris
    assert intervention.status == "A"
    assert intervention.duration_minutes == 180


def test_the_example_is_written_as_the_layout_reads_it():
    text = template_file(CONFIGS["positional"], "csv").decode("utf-8-sig")
    header, example = text.splitlines()
    assert header.split(",")[:3] == ["interventionGuid", "ignoredColumn", "trainingGuid"]
    assert example == "IV-EXAMPLE-1,,TR-1,Spring 2027,12/04/2027 09:00,3,R-101,Room 101,jdoe,ON"


def test_the_default_template_has_every_column():
    sheet = load_workbook(io.BytesIO(template_file(HEADER_CONFIG, "xlsx"))).active
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet.max_row == 2


def test_the_column_guide_says_what_each_column_needs_and_holds():
    guide = {column.name: column for column in column_guide(HEADER_CONFIG)}
    assert list(guide) == HEADER
    assert guide["interventionGuid"].needed == "optional column; no empty cell"
    assert guide["teacherLogin"].needed == "required"
    assert guide["interventionGuid"].format == "text, up to 40 characters"
    assert guide["trainingPathCode"].needed == "this or trainingGuid"
    assert guide["roomCapacity"].needed == "optional"
    assert guide["interventionStatus"].format == "A (active) or C (cancelled)"
    assert guide["interventionDate"].format.startswith("ISO 8601 (2027-04-12 09:00")
    positional = {column.name: column for column in column_guide(CONFIGS["positional"])}
    assert "ignoredColumn" not in positional
    assert positional["interventionDate"].format == "DD/MM/YYYY HH:MM, in the site's time zone"
    assert positional["interventionStatus"].format == "ON (active) or OFF (cancelled)"
    split = {column.name: column for column in column_guide(CONFIGS["split"])}
    assert split["interventionEndTime"].needed == "this or interventionDuration"
    assert split["interventionStartTime"].format.startswith("the start's time of day (09:00")
    assert split["interventionEndDate"].format == "DD/MM/YYYY, in the site's time zone"


def test_a_split_template_writes_the_start_and_the_end_in_parts():
    text = template_file(CONFIGS["split"], "csv").decode("utf-8-sig")
    example = text.splitlines()[1].split(";")
    assert example[3:7] == ["12/04/2027", "09:00", "12:00", "12/04/2027"]
