"""Headers and keys as people type them, in headless Chromium: a file with French headers and
one misspelt teacher is mapped, the mapping saved, the suggestion accepted, the file
confirmed, and the data checked; then an undo takes the import back."""

import os
import shutil
from pathlib import Path

import pytest

from imports.jobs.models import ImportConfiguration
from tests.imports.parsing.test_mapping import MAPPED
from training.models import Intervention

from .conftest import preview_file

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FRENCH = "Identifiant;Formation;Session;Date début;Durée (h);Salle;Nom de la salle;Formateur;Statut"
ROWS = [
    "IV-FR-1;TR-1;SE-1;2027-05-03T09:00:00;2;R-101;Room 101;jdoe;A",
    "IV-FR-2;TR-1;SE-2;2027-05-04T09:00:00;3;R-101;Room 101;jdoee;A",  # misspelt
    "IV-FR-3;TR-1;SE-1;2027-05-05T09:00:00;1;R-102;Room 102;asmith;C",
]


def keep(artifacts: Path, name: str) -> None:
    """Copy a screenshot to docs/screenshots when missing or asked (UPDATE_SCREENSHOTS)."""
    target = SCREENSHOTS / name
    if os.environ.get("UPDATE_SCREENSHOTS") or not target.exists():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(artifacts / name, target)


def test_map_save_accept_the_suggestion_confirm_and_undo(site, page, artifacts, tmp_path):
    path = tmp_path / "planning-mai.csv"
    path.write_text("\n".join([FRENCH, *ROWS]) + "\n", encoding="utf-8")
    preview_file(page, site, path)

    page.wait_for_selector("#unreadable")
    assert "Column interventionGuid is missing" in page.inner_text("#file-errors")
    page.click("#map-columns")
    page.wait_for_selector("#mapping-form")
    chosen = page.eval_on_selector_all("#mapping select", "els => els.map(e => e.value)")
    assert chosen == [name for name in MAPPED if name not in ("roomCapacity", "ignoredColumn")]
    assert "2027-05-03T09:00:00" in page.inner_text("#mapping")
    page.fill("#id_name", "Planning mensuel")
    page.screenshot(path=artifacts / "mapping.png", full_page=True)
    keep(artifacts, "mapping.png")
    page.click("#save-mapping")

    page.wait_for_selector("#counts")
    assert "saved as the configuration Planning mensuel" in page.inner_text("ul.messagelist")
    assert page.inner_text("#count-errors") == "1"
    group = page.locator(".error-group").first
    assert "Teacher with login jdoee is not found." in group.inner_text()
    assert "Did you mean jdoe?" in group.inner_text()
    assert group.locator(".fix-replacement").input_value() == "jdoe"
    page.screenshot(path=artifacts / "fixes.png", full_page=True)
    keep(artifacts, "fixes.png")
    group.locator(".fix-replace").click()

    page.wait_for_selector("#fix-list")
    assert page.inner_text("#count-errors") == "0"
    assert page.inner_text("#count-new") == "3"
    assert "jdoee" in page.inner_text("#fix-list")
    page.click("input[name=confirm]")
    page.wait_for_selector(".messagelist .success")

    stored = dict(Intervention.objects.values_list("guid", "teacher__login"))
    assert stored == {"IV-FR-1": "jdoe", "IV-FR-2": "jdoe", "IV-FR-3": "asmith"}
    assert ImportConfiguration.objects.get(name="Planning mensuel").header[3] == "Date début"

    page.click("#undo-import")
    page.wait_for_selector("#undo-preview")
    assert page.inner_text("#undo-deleted") == "3"
    page.screenshot(path=artifacts / "undo.png", full_page=True)
    keep(artifacts, "undo.png")
    page.click("#confirm-undo")
    page.wait_for_selector("#undoes")
    assert not Intervention.objects.exists()
