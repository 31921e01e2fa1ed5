"""The planning tools' shapes shipped in samples/shapes/ (issue 27), each imported as it is
with its configuration by the command, as README's table "What your file looks like" says:
what is stored, and a second import that changes nothing."""

from pathlib import Path

import pytest
from django.utils import timezone

from tests.imports.command_support import run_command
from training.models import Intervention, Room

SHAPES = Path(__file__).resolve().parents[3] / "samples" / "shapes"
# (start as the site shows it, minutes, room, teacher, status) of each intervention stored
Stored = set[tuple[str, int, str, str, str]]


def stored() -> Stored:
    rows = Intervention.objects.values_list(
        "start", "duration_minutes", "room__guid", "teacher__login", "status"
    )
    return {
        (timezone.localtime(start).strftime("%Y-%m-%d %H:%M"), minutes, room, teacher, status)
        for start, minutes, room, teacher, status in rows
    }


@pytest.mark.parametrize(
    ("sample", "config", "expected"),
    [
        # a .TXT export with no header row and no status column (a default)
        (
            "EXPORT_NO_HEADER.TXT",
            "no_header.xml",
            {
                ("2027-05-03 09:00", 180, "R-101", "jdoe", "A"),
                ("2027-05-04 09:00", 180, "R-101", "asmith", "A"),
                ("2027-05-05 14:00", 120, "R-201", "bmartin", "A"),
            },
        ),
        # three states: planifié and confirmé are active, annulé is cancelled
        (
            "three_states.csv",
            "three_states.xml",
            {
                ("2027-06-07 09:00", 180, "R-101", "jdoe", "A"),
                ("2027-06-08 09:00", 180, "R-101", "jdoe", "A"),
                ("2027-06-09 09:00", 180, "R-101", "jdoe", "C"),
            },
        ),
        # a weekday before the date, start and end times, no GUID, no room label, no status
        (
            "ade_planning.csv",
            "ade_planning.xml",
            {
                ("2027-03-04 09:00", 180, "R-101", "jdoe", "A"),
                ("2027-03-04 14:00", 90, "R-101", "jdoe", "A"),
                ("2027-03-05 08:30", 45, "A-204", "asmith", "A"),
            },
        ),
        # YYYY/MM/DD dates, 12-hour start times in their own column, minutes, its own states
        (
            "moodle_sessions.csv",
            "moodle_sessions.xml",
            {
                ("2027-03-08 09:00", 90, "R-102", "bmartin", "A"),
                ("2027-03-08 13:30", 45, "R-102", "bmartin", "A"),
                ("2027-03-09 12:00", 120, "R-102", "bmartin", "C"),
            },
        ),
        # tab-separated, a lesson number repeated on every slot (ignored: GUIDs derived),
        # DD.MM.YYYY dates, hours as 1,5 and 01h30, no status
        (
            "untis_lessons.tsv",
            "untis_lessons.xml",
            {
                ("2027-04-14 08:00", 90, "R-201", "bmartin", "A"),
                ("2027-04-15 08:00", 90, "R-201", "bmartin", "A"),
                ("2027-04-16 10:00", 90, "R-201", "bmartin", "A"),
            },
        ),
    ],
)
def test_each_shape_imports_as_exported(demo, sample, config, expected):
    status, out, err = run_command(
        "import_interventions", str(SHAPES / sample), "--config", str(SHAPES / config)
    )
    assert (status, err) == (0, ""), out
    assert f"{len(expected)} new, 0 updated, 0 unchanged, 0 rows with errors." in out
    assert stored() == expected
    assert all(len(guid) <= 40 for guid in Intervention.objects.values_list("guid", flat=True))
    again = run_command(
        "import_interventions", str(SHAPES / sample), "--config", str(SHAPES / config), "--force"
    )
    assert f"0 new, 0 updated, {len(expected)} unchanged" in again[1]


def test_a_room_the_file_names_without_a_label_is_labelled_with_its_guid(demo):
    status, out, _ = run_command(
        "import_interventions",
        str(SHAPES / "ade_planning.csv"),
        "--config",
        str(SHAPES / "ade_planning.xml"),
    )
    assert status == 0, out
    assert "The file has no roomLabel column" in out
    assert Room.objects.get(guid="A-204").label == "A-204"  # created by the file
    assert Room.objects.get(guid="R-101").label == "Room 101"  # kept
