"""The planning tools' shapes shipped in samples/shapes/ (issue 27), each imported as it is
with its configuration by the command, as README's table "What your file looks like" says."""

from pathlib import Path

import pytest

from tests.imports.command_support import run_command
from training.models import Intervention

SHAPES = Path(__file__).resolve().parents[3] / "samples" / "shapes"


@pytest.mark.parametrize(
    ("sample", "config", "statuses"),
    [
        # a .TXT export with no header row and no status column (a default)
        ("EXPORT_NO_HEADER.TXT", "no_header.xml", {"PL-01": "A", "PL-02": "A", "PL-03": "A"}),
        # three states: planifié and confirmé are active, annulé is cancelled
        ("three_states.csv", "three_states.xml", {"ST-01": "A", "ST-02": "A", "ST-03": "C"}),
    ],
)
def test_each_shape_imports_as_exported(demo, sample, config, statuses):
    status, out, err = run_command(
        "import_interventions", str(SHAPES / sample), "--config", str(SHAPES / config)
    )
    assert (status, err) == (0, ""), out
    assert f"{len(statuses)} new, 0 updated, 0 unchanged, 0 rows with errors." in out
    stored = Intervention.objects.filter(guid__in=statuses).values_list("guid", "status")
    assert dict(stored) == statuses
    again = run_command(
        "import_interventions", str(SHAPES / sample), "--config", str(SHAPES / config), "--force"
    )
    assert f"0 new, 0 updated, {len(statuses)} unchanged" in again[1]
