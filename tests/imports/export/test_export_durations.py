"""Durations to the minute, exported and imported back: hours as a decimal number when two
decimals hold them (``1.5``, ``0.75``), else ``H:MM`` (``0:50``), minutes with the
configuration's ``durationUnit``, and a start and an end in parts; the round trip changes
nothing (0 new, 0 updated, N unchanged) in every format."""

import pytest

from imports.export.service import never_fails
from imports.parsing.config import parse_config
from tests.imports.export_support import add, counts, exported, import_again, paris
from training.models import Intervention

SPLIT = """<import-config><import><providers><fileSystemSourceProvider>
  <columnsMapping>
    <interventionGuid/><trainingGuid/><sessionGuid/><interventionDate/>
    <interventionStartTime/><interventionEndTime/><roomGuid/><roomLabel/><teacherLogin/>
    <interventionStatus/>
  </columnsMapping>{provider}
</fileSystemSourceProvider></providers>
<actions><createOrUpdateInterventionAction><fields>
  <interventionGuid/><trainingGuid/><sessionGuid/><interventionDate/><interventionStartTime/>
  <interventionEndTime/><roomGuid/><roomLabel/><teacherLogin/><interventionStatus/>
</fields></createOrUpdateInterventionAction></actions></import></import-config>"""
WITH_END_DATE = SPLIT.replace(
    "<interventionEndTime/><roomGuid/>", "<interventionEndTime/><interventionEndDate/><roomGuid/>"
)
MINUTES = """<import-config><import><providers><fileSystemSourceProvider>
  <delimiter>comma</delimiter><durationUnit>minutes</durationUnit>
  <columnsMapping>
    <interventionGuid/><trainingGuid/><sessionGuid/><interventionDate/><interventionDuration/>
    <roomGuid/><roomLabel/><teacherLogin/><interventionStatus/>
  </columnsMapping>
</fileSystemSourceProvider></providers>
<actions><createOrUpdateInterventionAction><fields>
  <interventionGuid/><trainingGuid/><sessionGuid/><interventionDate/><interventionDuration/>
  <roomGuid/><roomLabel/><teacherLogin/><interventionStatus/>
</fields></createOrUpdateInterventionAction></actions></import></import-config>"""
DURATIONS = {"IV-90": 90, "IV-45": 45, "IV-50": 50, "IV-120": 120, "IV-93": 93}


@pytest.fixture
def slots(demo):
    for n, (guid, minutes) in enumerate(DURATIONS.items()):
        add(guid, paris(2027, 3, 1 + n, 9, 0), duration_minutes=minutes)
    add("IV-NIGHT", paris(2027, 3, 10, 22, 0), duration_minutes=510)  # ends the next morning
    return len(DURATIONS) + 1


def duration_cells(data: bytes, column: int = 6) -> dict[str, str]:
    lines = data.decode().splitlines()[1:]
    return {line.split(",")[0]: line.split(",")[column] for line in lines}


def test_hours_are_written_as_a_number_when_two_decimals_hold_them(slots):
    assert duration_cells(exported()) == {
        "IV-90": "1.5",
        "IV-45": "0.75",
        "IV-50": "0:50",
        "IV-120": "2",
        "IV-93": "1.55",
        "IV-NIGHT": "8.5",
    }


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_the_round_trip_is_exact_to_the_minute(slots, file_format):
    data = exported(file_format=file_format)
    assert counts(import_again(data, None, file_format)) == (0, 0, slots, 0)


def test_1_h_30_and_45_min_exported_and_imported_back_change_nothing(demo):
    add("IV-1", paris(2027, 3, 1, 9, 0), duration_minutes=90)
    add("IV-2", paris(2027, 3, 1, 14, 0), duration_minutes=45)
    data = exported()
    assert counts(import_again(data, None, "csv")) == (0, 0, 2, 0)
    assert sorted(Intervention.objects.values_list("duration_minutes", flat=True)) == [45, 90]


def test_the_configuration_s_unit_is_written(slots):
    config = parse_config(MINUTES)[0]
    data = exported(config)
    assert duration_cells(data, 4)["IV-90"] == "90"
    assert duration_cells(data, 4)["IV-50"] == "50"
    assert counts(import_again(data, config, "csv")) == (0, 0, slots, 0)


@pytest.mark.parametrize("xml", [SPLIT, WITH_END_DATE], ids=["end", "end-date"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_start_and_an_end_in_parts_round_trip(slots, xml, file_format):
    config = parse_config(xml.format(provider="<delimiter>comma</delimiter>"))[0]
    data = exported(config, file_format)
    if file_format == "csv":
        lines = data.decode().splitlines()
        assert lines[0].startswith("interventionGuid,trainingGuid,sessionGuid,interventionDate,")
        night = next(line for line in lines if line.startswith("IV-NIGHT")).split(",")
        if xml is SPLIT:
            assert night[3:6] == ["2027-03-10", "22:00", "2027-03-11T06:30:00"]
        else:
            assert night[3:7] == ["2027-03-10", "22:00", "06:30", "2027-03-11"]
    assert counts(import_again(data, config, file_format)) == (0, 0, slots, 0)
    assert not never_fails(config, "csv")  # a repeated time has no place for its offset


def test_a_time_a_change_repeats_cannot_be_written_in_parts(demo):
    from imports.export.service import ExportError

    add("IV-R", paris(2027, 10, 31, 2, 30, fold=0), duration_minutes=60)
    config = parse_config(SPLIT.format(provider=""))[0]
    with pytest.raises(ExportError) as raised:
        exported(config)
    assert raised.value.code == "export_date_ambiguous"
    assert "intervention IV-R" in str(raised.value.message)


def test_a_date_format_in_parts_round_trips(slots):
    provider = "<delimiter>comma</delimiter><dateFormat>DD/MM/YYYY</dateFormat>"
    config = parse_config(WITH_END_DATE.format(provider=provider))[0]
    data = exported(config)
    night = next(line for line in data.decode().splitlines() if line.startswith("IV-NIGHT"))
    assert night.split(",")[3:7] == ["10/03/2027", "22:00", "06:30", "11/03/2027"]
    assert counts(import_again(data, config, "csv")) == (0, 0, slots, 0)
