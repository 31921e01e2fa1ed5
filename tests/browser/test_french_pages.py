"""The admin in French with a French browser, in headless Chromium (issue 28): the upload,
the mapping step and the preview, with Django's own words and ours in French; their
screenshots are in docs/admin.md ("Languages")."""

from pathlib import Path

import pytest
from django.urls import reverse

from .conftest import CHROMIUM_ARGS  # noqa: F401  (the browser fixture's own arguments)
from .test_admin_mapping import FRENCH, ROWS, keep

pytestmark = pytest.mark.browser


@pytest.fixture
def french_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_upload_mapping_and_preview_pages_in_french(site, french_page, artifacts, tmp_path):
    page = french_page
    page.goto(site + reverse("admin:login") + "?next=" + reverse("admin:index"))
    assert page.get_attribute("html", "lang") == "fr"
    assert "Nom d’utilisateur" in page.inner_text("body")
    page.fill("#id_username", "manager")
    page.fill("#id_password", "secret-pw")
    page.click("input[type=submit]")
    page.wait_for_url(site + reverse("admin:index"))
    page.goto(site + reverse("admin:training_intervention_import"))
    assert "DÉCONNEXION" in page.inner_text("#user-tools").upper()
    page.screenshot(path=artifacts / "fr-upload.png", full_page=True)
    keep(artifacts, "fr-upload.png")

    path = Path(tmp_path) / "planning_mai.csv"
    path.write_text("\n".join([FRENCH, *ROWS]) + "\n", encoding="utf-8")
    page.set_input_files("#id_file", str(path))
    page.click("input[name=preview]")
    page.wait_for_selector("#mapping-form")
    assert "planning_mai.csv nomme ses colonnes à sa façon" in page.inner_text("ul.messagelist")
    page.fill("#id_name", "Planning mensuel")
    page.screenshot(path=artifacts / "fr-mapping.png", full_page=True)
    keep(artifacts, "fr-mapping.png")
    page.click("#save-mapping")
    page.wait_for_selector("#counts")
    text = page.inner_text("#content")
    assert "Le formateur dont l'identifiant est jdoee est introuvable." in text.replace("’", "'")
    page.screenshot(path=artifacts / "fr-preview.png", full_page=True)
    keep(artifacts, "fr-preview.png")
