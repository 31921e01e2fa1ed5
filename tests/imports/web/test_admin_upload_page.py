"""The upload page: the expected columns with their formats, and template links for the
default layout and each saved configuration, downloadable by importers."""

import pytest
from django.urls import reverse

from imports.jobs.models import ImportConfiguration
from tests.imports.admin_support import (
    IMPORTER_PERMS,
    SAMPLES,
    client_for,
    import_url,
    make_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def template_url(file_format: str) -> str:
    return reverse("admin:training_intervention_import_template", args=[file_format])


def test_the_upload_page_lists_the_columns_and_links_every_template(admin_client):
    config = ImportConfiguration.objects.create(
        name="seed", xml=(SAMPLES / "config.xml").read_text()
    )
    html = admin_client.get(import_url()).content.decode()
    assert "<td><code>interventionDate</code></td><td>required</td><td>ISO 8601" in html
    assert "<td><code>trainingPathCode</code></td><td>this or trainingGuid</td>" in html
    assert "<td>A (active) or C (cancelled)</td>" in html
    assert f'href="{template_url("csv")}"' in html
    assert f'href="{template_url("xlsx")}"' in html
    assert f'href="{template_url("xlsx")}?configuration={config.pk}"' in html
    assert "Configuration seed: " in html


def test_an_importer_downloads_the_templates_without_seeing_configurations(demo):
    config = ImportConfiguration.objects.create(
        name="seed", xml=(SAMPLES / "config.xml").read_text()
    )
    client = client_for(make_user("importer", IMPORTER_PERMS))
    default = client.get(template_url("csv"))
    assert default.status_code == 200
    assert default["Content-Disposition"] == 'attachment; filename="interventions.csv"'
    assert default.content.decode("utf-8-sig").splitlines()[1].startswith("IV-EXAMPLE-1;TR-1;")
    chosen = client.get(template_url("xlsx"), {"configuration": config.pk})
    assert chosen["Content-Disposition"] == 'attachment; filename="seed.xlsx"'


@pytest.mark.parametrize(
    ("path", "query", "status"),
    [("pdf", {}, 404), ("csv", {"configuration": "x"}, 404), ("csv", {"configuration": 999}, 404)],
)
def test_a_template_that_does_not_exist_is_not_found(admin_client, path, query, status):
    assert admin_client.get(template_url(path), query).status_code == status


def test_a_template_needs_the_import_permission():
    client = client_for(make_user("viewer", ("training.view_intervention",)))
    assert client.get(template_url("csv")).status_code == 403
