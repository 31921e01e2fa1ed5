"""Saved configurations in the admin: validation with XML line numbers, template downloads."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from imports.jobs.models import ImportConfiguration, ImportJob
from tests.conftest import HEADER
from tests.imports.admin_support import SAMPLES, client_for, make_user, post, sample, upload

pytestmark = pytest.mark.usefixtures("demo", "media")

POSITIONAL = """<import-config>
  <import>
    <providers>
      <fileSystemSourceProvider>
        <skipFirstLine>no</skipFirstLine>
        <columnsMapping>
          <interventionGuid/><trainingGuid/><ignoredColumn/><sessionGuid/>
          <interventionDate/><interventionDuration/><roomGuid/><roomLabel/>
          <teacherLogin/><interventionStatus/>
        </columnsMapping>
        <delimiter>comma</delimiter>
      </fileSystemSourceProvider>
    </providers>
    <actions><createOrUpdateInterventionAction><fields>
      <interventionGuid/><trainingGuid/><sessionGuid/><interventionDate/>
      <interventionDuration/><roomGuid/><roomLabel/><teacherLogin/>
      <interventionStatus><active>A</active><cancelled>C</cancelled></interventionStatus>
    </fields></createOrUpdateInterventionAction></actions>
  </import>
</import-config>
"""


def add_url() -> str:
    return reverse("admin:imports_importconfiguration_add")


def test_valid_configuration_is_saved(client):
    response = post(
        client, add_url(), {"name": "seed", "xml": (SAMPLES / "config.xml").read_text()}
    )
    assert response.status_code == 302
    assert ImportConfiguration.objects.get().name == "seed"


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        ("<actions>\n<createOrUpdateInterventionAction>\n<fields>\n<bogus/>", "line "),
        (
            "<actions>\n  <createOrUpdateInterventionAction>\n    <fields>\n      <nonsense/>\n"
            "    </fields>\n  </createOrUpdateInterventionAction>\n</actions>",
            "line 4",
        ),
    ],
)
def test_invalid_configuration_shows_problems_with_lines(client, xml, expected):
    response = post(client, add_url(), {"name": "bad", "xml": xml})
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["xml"]
    assert errors and any(expected in error for error in errors)
    assert not ImportConfiguration.objects.exists()


def test_template_downloads_follow_the_column_order(client):
    config = ImportConfiguration.objects.create(name="positional", xml=POSITIONAL)
    expected = [
        "interventionGuid", "trainingGuid", "ignoredColumn", "sessionGuid", "interventionDate",
        "interventionDuration", "roomGuid", "roomLabel", "teacherLogin", "interventionStatus",
    ]  # fmt: skip
    url = reverse("admin:imports_importconfiguration_template", args=[config.pk, "csv"])
    response = client.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="positional.csv"'
    header, example = response.content.decode("utf-8-sig").splitlines()
    assert header == ",".join(expected)
    assert example.startswith("IV-EXAMPLE-1,TR-1,,SE-1,")
    url = reverse("admin:imports_importconfiguration_template", args=[config.pk, "xlsx"])
    sheet = load_workbook(io.BytesIO(client.get(url).content)).active
    assert [cell.value for cell in sheet[1]] == expected
    assert sheet.max_row == 2


def test_header_row_configuration_template_lists_every_field(client):
    config = ImportConfiguration.objects.create(
        name="seed", xml=(SAMPLES / "config.xml").read_text()
    )
    url = reverse("admin:imports_importconfiguration_template", args=[config.pk, "csv"])
    lines = client.get(url).content.decode("utf-8-sig").splitlines()
    assert lines[0] == ";".join(HEADER) and len(lines) == 2


def test_change_form_links_the_templates(client):
    config = ImportConfiguration.objects.create(
        name="seed", xml=(SAMPLES / "config.xml").read_text()
    )
    html = client.get(
        reverse("admin:imports_importconfiguration_change", args=[config.pk])
    ).content.decode()
    assert reverse("admin:imports_importconfiguration_template", args=[config.pk, "xlsx"]) in html


def test_template_download_needs_view_permission():
    config = ImportConfiguration.objects.create(
        name="seed", xml=(SAMPLES / "config.xml").read_text()
    )
    client = client_for(make_user("staff"))
    url = reverse("admin:imports_importconfiguration_template", args=[config.pk, "csv"])
    assert client.get(url).status_code == 403


def test_upload_with_a_saved_configuration(client):
    config = ImportConfiguration.objects.create(name="positional", xml=POSITIONAL)
    rows = b"IV-9,TR-1,whatever,SE-1,2027-03-01T09:00:00,3,R-101,Room 101,jdoe,A\n"
    upload(client, rows, name="positional.csv", configuration=str(config.pk))
    job = ImportJob.objects.get()
    assert (job.configuration, job.configuration_name) == (config, "positional")
    assert (job.new, job.error_rows, job.status) == (1, 0, "previewed")


def test_upload_with_the_header_row_by_default(client):
    upload(client, sample("interventions.csv"))
    job = ImportJob.objects.get()
    assert (job.configuration, job.configuration_name, job.error_rows) == (None, "", 0)


def test_the_xml_help_text_shows_its_tags_as_text(client):
    response = client.get(add_url())
    page = response.content.decode()
    assert "An &lt;actions&gt; block or a full &lt;import-config&gt; file." in page
