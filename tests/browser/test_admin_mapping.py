"""Headers and keys as people type them, in headless Chromium: a file with French headers and
one misspelt teacher is mapped, the mapping saved, the suggestion accepted, the file
confirmed, and the data checked; then an undo takes the import back. A file without header
row, its start and end in three columns and no status, is mapped with a default status."""

import os
import shutil
from pathlib import Path

import pytest
from django.urls import reverse

from imports.jobs.models import ImportConfiguration
from imports.parsing.config import parse_config
from tests.imports.parsing.test_mapping import MAPPED, SPLIT_COLUMNS, split_file
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

    page.wait_for_selector("#mapping-form")  # straight to the mapping step (issue 28)
    assert "names its columns its own way" in page.inner_text("ul.messagelist")
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


def test_a_file_without_header_mapped_with_its_start_end_and_a_default_status(
    site, page, artifacts, tmp_path
):
    """Issue 27 in Chromium: a planning tool's export without header row (a date, a start
    time and an end time, no status column) is mapped with "the first row is data", the new
    columns and a default status; the saved XML says so and the preview has both rows new,
    with the start joined and the duration from the end."""
    path = tmp_path / "export-planning.txt"
    path.write_bytes(split_file())
    page.goto(site + reverse("admin:login") + "?next=" + reverse("admin:index"))
    page.fill("#id_username", "manager")
    page.fill("#id_password", "secret-pw")
    page.click("input[type=submit]")
    page.wait_for_url(site + reverse("admin:index"))
    page.goto(site + reverse("admin:training_intervention_import"))
    page.set_input_files("#id_file", str(path))
    page.click("input[name=preview]")

    page.wait_for_selector("#mapping-form")  # straight to the mapping step
    assert "IV-S1 · IV-S2" in page.inner_text("#mapping")  # line 1 among the values
    page.check("#id_first_row_is_data")
    for index, column in enumerate(SPLIT_COLUMNS):
        page.select_option(f"#id_column_{index}", column)
    assert page.locator("#id_default_interventionGuid").count() == 0
    page.fill("#id_default_interventionStatus", "X")  # not a status code: refused
    page.fill("#id_name", "Planning tool export")
    page.click("#save-mapping")

    page.wait_for_selector("#mapping-problems")
    assert "The default of interventionStatus is not valid: Status has invalid value X" in (
        page.inner_text("#mapping-problems")
    )
    assert not ImportConfiguration.objects.exists()
    assert page.is_checked("#id_first_row_is_data")  # the choices are kept
    assert page.input_value(f"#id_column_{SPLIT_COLUMNS.index('interventionEndTime')}") == (
        "interventionEndTime"
    )
    page.fill("#id_default_interventionStatus", "A")
    page.screenshot(path=artifacts / "mapping-defaults.png", full_page=True)
    keep(artifacts, "mapping-defaults.png")
    page.click("#save-mapping")

    page.wait_for_selector("#counts")
    assert "saved as the configuration Planning tool export" in page.inner_text("ul.messagelist")
    assert (page.inner_text("#count-new"), page.inner_text("#count-errors")) == ("2", "0")
    saved = ImportConfiguration.objects.get(name="Planning tool export")
    assert "<skipFirstLine>no</skipFirstLine>" in saved.xml
    assert "<interventionStartTime/>\n          <interventionEndTime/>" in saved.xml
    assert "<defaults>\n          <interventionStatus>A</interventionStatus>" in saved.xml
    (config,) = parse_config(saved.xml)
    assert (config.skip_first_line, config.columns, config.defaults) == (
        False,
        tuple(SPLIT_COLUMNS),
        (("interventionStatus", "A"),),
    )

    page.wait_for_selector("#row-table")  # no error: the rows are shown first
    first, second = page.inner_text("#row-1"), page.inner_text("#row-2")
    assert "new" in first and "new" in second
    for text in ("interventionDate: 05/03/2027 09:00", "interventionDuration: 3"):  # 3 May
        assert text in first
    for text in ("interventionDate: 05/04/2027 14:00", "interventionDuration: 1.5"):
        assert text in second
    assert "interventionStatus: A" in first
    page.screenshot(path=artifacts / "mapping-defaults-preview.png", full_page=True)
    assert not Intervention.objects.exists()  # a preview writes nothing
