"""The jobs list and the interventions list fit a 1280×800 screen without cutting a column:
the widest text wraps (issue 28)."""

from pathlib import Path

from django.core.management import call_command
from django.urls import reverse

from .conftest import log_in

ROOT = Path(__file__).resolve().parents[2]


def overflow(page) -> int:
    """How many pixels the list is wider than what shows it (0: no column cut or scrolled):
    the admin puts the table in a box that scrolls sideways, and the page itself."""
    return page.evaluate(
        """() => {
            const box = document.querySelector('#changelist .results');
            const table = document.querySelector('#result_list');
            const page = document.documentElement.scrollWidth - window.innerWidth;
            return Math.max(page, table.scrollWidth - box.clientWidth);
        }"""
    )


def test_the_lists_fit_a_1280_by_800_screen(site, page, tmp_path):
    long_name = "planning_" + "tres_long_nom_de_fichier_exporte_par_l_outil_" * 3 + ".csv"
    path = tmp_path / long_name
    path.write_bytes((ROOT / "samples" / "interventions.csv").read_bytes())
    call_command("import_interventions", str(path), verbosity=0)
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, site)
    for name in ("admin:training_intervention_changelist", "admin:imports_importjob_changelist"):
        page.goto(site + reverse(name))
        page.wait_for_selector("#result_list")
        assert overflow(page) <= 0, name
