"""``manage.py export_interventions``: output, options, failures that write nothing."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from imports.engine import ImportOptions, run_import
from imports.parsing.config import parse_config
from tests.imports.export_support import LATIN_XML, add, counts, paris
from training.models import Room, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(demo):
    add("IV-1", paris(2027, 3, 1, 9, 0))
    add("IV-2", paris(2027, 9, 6, 14, 0))
    Room.objects.create(guid="R-9", label="Économie")


def export(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_interventions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_without_output_the_csv_goes_to_standard_output(schedule, settings):
    settings.TIME_ZONE = "Europe/Paris"
    out, err = export()
    lines = out.splitlines()
    assert lines[0].startswith("interventionGuid,trainingGuid,")
    assert (
        lines[1]
        == "IV-1,TR-1,PATH-DATA,SE-1,Spring 2027,2027-03-01T09:00:00,2,R-101,Room 101,20,jdoe,A"
    )
    assert err == "2 interventions exported to standard output.\n"


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_a_file_imports_back_unchanged(schedule, tmp_path, file_format):
    config = tmp_path / "config.xml"
    config.write_text(LATIN_XML)
    target = tmp_path / f"out.{file_format}"
    export("-o", str(target), "--config", str(config))
    result = run_import(
        target.read_bytes(), target.name, parse_config(LATIN_XML)[0], ImportOptions()
    )
    assert counts(result) == (0, 0, 2, 0)


def test_filters(schedule, settings):
    settings.TIME_ZONE = "Europe/Paris"
    assert export("--since", "2027-09-06")[0].count("\n") == 2
    assert export("--until", "2027-03-01")[0].count("IV-1") == 1
    assert export("--training", "TR-2")[0].count("\n") == 1  # the header alone
    assert export("--session", "SE-1", "--until", "2027-02-28")[1].startswith("0 interventions")


def test_a_value_the_encoding_cannot_hold_writes_nothing(schedule, tmp_path):
    Room.objects.filter(guid="R-101").update(label="Room €")
    config = tmp_path / "config.xml"
    config.write_text(LATIN_XML)
    target = tmp_path / "out.csv"
    with pytest.raises(CommandError) as caught:
        export("-o", str(target), "--config", str(config))
    assert str(caught.value) == (
        "Line 2, intervention IV-1, column roomLabel: Room € cannot be written in iso8859-1."
        " Nothing was exported."
    )
    assert caught.value.returncode == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.xml"]
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("export_interventions", "--config", str(config), stdout=out)
    assert out.getvalue() == ""


def test_spreadsheets_need_a_file_and_dates_must_be_dates(schedule):
    with pytest.raises(CommandError, match="--format xlsx needs -o FILE."):
        export("--format", "xlsx")
    with pytest.raises(CommandError, match="2027-13-01 is not a date"):
        export("--since", "2027-13-01")


def test_a_wrong_configuration_is_refused(schedule, tmp_path):
    config = tmp_path / "config.xml"
    config.write_text("<actions/>")
    with pytest.raises(CommandError) as caught:
        export("--config", str(config))
    assert caught.value.returncode == 2


def test_a_default_that_would_change_interventions_writes_nothing(schedule, tmp_path):
    """A training left to its default TR-1: IV-3 of training TR-2 would come back in TR-1 (its
    session by title). The message, exit status 1, no file; the other training's export
    imports back unchanged."""
    add("IV-3", paris(2027, 3, 3, 9, 0), session=Session.objects.get(guid="SE-3"))
    xml = LATIN_XML.replace("<trainingGuid/><sessionGuid/>", "<sessionTitle/>").replace(
        "<interventionStatus/><sessionTitle/>", "<interventionStatus/>"
    )
    xml = xml.replace(
        "</fields>", "</fields><defaults><trainingGuid>TR-1</trainingGuid></defaults>"
    )
    config = tmp_path / "by_title.xml"
    config.write_text(xml)
    target = tmp_path / "out.csv"
    with pytest.raises(CommandError) as caught:
        export("-o", str(target), "--config", str(config))
    assert str(caught.value) == (
        f'Configuration "{config}" does not write trainingGuid and gives it the default TR-1:'
        " 1 of the 3 interventions to export differ from it (the first: intervention IV-3,"
        " TR-2); imported with this configuration, the file would give them TR-1. Export with"
        " a configuration that writes trainingGuid (or with none), or leave those"
        " interventions out. Nothing was exported."
    )
    assert caught.value.returncode == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["by_title.xml"]
    out = io.StringIO()
    with pytest.raises(CommandError, match="intervention IV-3, TR-2"):
        call_command("export_interventions", "--config", str(config), stdout=out)
    assert out.getvalue() == ""
    export("-o", str(target), "--config", str(config), "--training", "TR-1")
    parsed = parse_config(xml)[0]
    result = run_import(target.read_bytes(), target.name, parsed, ImportOptions())
    assert (result.errors, counts(result)) == ([], (0, 0, 2, 0))


def test_a_status_default_refuses_the_cancelled_ones_and_status_leaves_them_out(
    schedule, tmp_path, settings
):
    settings.TIME_ZONE = "Europe/Paris"
    add("IV-3", paris(2027, 3, 3, 9, 0), status="C")
    config = tmp_path / "no_header.xml"
    config.write_bytes(Path("samples/shapes/no_header.xml").read_bytes())
    with pytest.raises(CommandError) as caught:
        export("--config", str(config))
    assert (
        "1 of the 3 interventions to export differ from it (the first: intervention IV-3, C)"
        in (str(caught.value))
    )
    out, err = export("--config", str(config), "--status", "A")
    assert err == "2 interventions exported to standard output.\n"
    assert [line.split(";")[0] for line in out.splitlines()] == ["IV-1", "IV-2"]  # no header
    parsed = parse_config(config.read_bytes())[0]
    result = run_import(out.encode(), "EXPORT.TXT", parsed, ImportOptions())
    assert (result.errors, counts(result)) == ([], (0, 0, 2, 0))
    assert export("--status", "C")[0].splitlines()[1].startswith("IV-3,")
