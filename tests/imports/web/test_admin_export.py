"""The admin's export: the Export button (what the list shows), the "Export selected" action,
the choice of saved configuration and format, the view permission."""

import csv
import html
import io

import pytest
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from imports.jobs.models import ImportConfiguration, ImportJob
from tests.imports.admin_support import client_for, make_user, post, preview_url, upload
from tests.imports.export_support import LATIN, LATIN_XML, add, counts, import_again, paris
from training.models import Intervention, Teacher

pytestmark = pytest.mark.django_db


@pytest.fixture
def schedule(demo):
    asmith = Teacher.objects.get(login="asmith")
    add("IV-1", paris(2027, 3, 1, 9, 0))
    add("IV-2", paris(2027, 3, 2, 9, 0), status="C")
    add("IV-3", paris(2027, 3, 3, 9, 0), teacher=asmith)


def export_url(**params) -> str:
    url = reverse("admin:training_intervention_export")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_list_has_an_export_button_that_keeps_its_filters(client, schedule):
    response = client.get(reverse("admin:training_intervention_changelist") + "?status__exact=A")
    assert (
        f'href="{export_url(status__exact="A")}" class="export_link"' in response.content.decode()
    )


def test_the_export_page_offers_configurations_and_formats(client, schedule):
    ImportConfiguration.objects.create(name="Latin", xml=LATIN_XML)
    response = client.get(export_url(status__exact="A"))
    page = response.content.decode()
    assert "2 interventions will be exported" in page
    assert '<input type="hidden" name="status__exact" value="A">' in page
    assert ">Latin</option>" in page and 'value="ods"' in page


def test_exporting_what_the_list_shows_filters_and_search(client, schedule):
    response = client.get(
        export_url(status__exact="A", q="asmith", file_format="csv", export="Export")
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert type(response) is StreamingHttpResponse  # made as it is sent: nothing can fail
    assert response["Content-Disposition"].startswith('attachment; filename="interventions-')
    assert [row[0] for row in rows_of(response)] == ["interventionGuid", "IV-3"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
def test_a_download_with_a_saved_configuration_imports_back_unchanged(
    client, schedule, file_format, settings
):
    settings.TIME_ZONE = "Europe/Paris"  # the site's zone, which the export writes times in
    configuration = ImportConfiguration.objects.create(name="Latin", xml=LATIN_XML)
    response = client.get(
        export_url(configuration=configuration.pk, file_format=file_format, export="Export")
    )
    assert type(response) is FileResponse  # made whole first: a value may fail
    data = b"".join(response.streaming_content)
    assert counts(import_again(data, LATIN, file_format)) == (0, 0, 3, 0)


def test_a_value_the_encoding_cannot_hold_is_a_message_not_a_file(client, schedule):
    Teacher.objects.filter(login="asmith").update(login="asmith€")
    configuration = ImportConfiguration.objects.create(name="Latin", xml=LATIN_XML)
    response = client.get(
        export_url(configuration=configuration.pk, file_format="csv", export="Export")
    )
    assert response["Content-Type"].startswith("text/html")
    assert "intervention IV-3, column teacherLogin: asmith€ cannot be written" in (
        response.content.decode()
    )


def test_the_action_exports_the_selected_interventions(client, schedule):
    changelist = reverse("admin:training_intervention_changelist")
    selected = list(
        Intervention.objects.filter(guid__in=["IV-1", "IV-3"]).values_list("pk", flat=True)
    )
    data = {"action": "export_selected", "_selected_action": selected, "index": 0}
    page = post(client, changelist, data)
    assert "2 interventions will be exported" in page.content.decode()
    response = post(client, changelist, {**data, "file_format": "csv", "export": "Export"})
    assert [row[0] for row in rows_of(response)] == ["interventionGuid", "IV-1", "IV-3"]


def test_the_action_across_every_page_keeps_the_list_filters(client, schedule):
    changelist = reverse("admin:training_intervention_changelist") + "?status__exact=C"
    data = {"action": "export_selected", "_selected_action": [1], "select_across": "1", "index": 0}
    response = post(client, changelist, {**data, "file_format": "csv", "export": "Export"})
    assert [row[0] for row in rows_of(response)] == ["interventionGuid", "IV-2"]


def test_export_needs_the_view_permission(schedule):
    viewer = client_for(make_user("viewer", ("training.view_intervention",)))
    other = client_for(make_user("other", ("training.view_room",)))
    assert viewer.get(export_url(file_format="csv", export="Export")).status_code == 200
    assert other.get(export_url(file_format="csv", export="Export")).status_code == 403
    assert (
        'class="export_link"'
        in viewer.get(reverse("admin:training_intervention_changelist")).content.decode()
    )


def test_an_export_get_writes_nothing(client, schedule):
    before = list(Intervention.objects.values_list("guid", "updated_at"))
    client.get(export_url(file_format="xlsx", export="Export"))
    assert list(Intervention.objects.values_list("guid", "updated_at")) == before


def test_an_edited_download_previews_only_the_edited_value(client, schedule, media):
    response = client.get(export_url(file_format="xlsx", export="Export"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    [row] = [row for row in sheet.iter_rows(min_row=2) if row[0].value == "IV-3"]
    row[header.index("interventionDuration")].value = 4
    edited = io.BytesIO()
    workbook.save(edited)
    upload(client, edited.getvalue(), name="edited.xlsx")
    job = ImportJob.objects.latest("pk")
    assert (job.new, job.updated, job.unchanged, job.error_rows) == (0, 1, 2, 0)
    html = client.get(preview_url(job.pk)).content.decode()
    assert "<strong>interventionDuration</strong>: 2 → 4" in html
    assert html.count("</strong>: ") == 1  # one change, in one row (IV-3)


# A planning tool's columns without a status: every slot active (README, "What your file
# looks like"). UTF-8 and ISO dates: a CSV of it is streamed as it is made.
NO_STATUS_XML = """<import-config><import><providers><fileSystemSourceProvider>
  <delimiter>semicolon</delimiter>
  <columnsMapping>
    <interventionGuid/><trainingGuid/><sessionGuid/><interventionDate/><interventionDuration/>
    <roomGuid/><roomLabel/><teacherLogin/>
  </columnsMapping>
</fileSystemSourceProvider></providers>
<actions><createOrUpdateInterventionAction>
  <fields>
    <interventionGuid/><trainingGuid/><sessionGuid/><interventionDate/><interventionDuration/>
    <roomGuid/><roomLabel/><teacherLogin/>
  </fields>
  <defaults><interventionStatus>A</interventionStatus></defaults>
</createOrUpdateInterventionAction></actions>
</import></import-config>"""


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_default_that_would_change_interventions_is_a_message_not_a_file(
    client, schedule, file_format, settings
):
    """A status left to its default A: the cancelled IV-2 would come back active. The page
    says so (the streamed CSV too: refused before its first byte); the list filtered to the
    active interventions exports, and imports back unchanged."""
    settings.TIME_ZONE = "Europe/Paris"
    configuration = ImportConfiguration.objects.create(name="No status", xml=NO_STATUS_XML)
    chosen = {"configuration": configuration.pk, "file_format": file_format, "export": "Export"}
    response = client.get(export_url(**chosen))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = html.unescape(response.content.decode())
    assert (
        'Configuration "No status" does not write interventionStatus and gives it the default A:'
        " 1 of the 3 interventions to export differ from it (the first: intervention IV-2, C)"
    ) in page
    response = client.get(export_url(status__exact="A", **chosen))
    assert (type(response) is StreamingHttpResponse) == (file_format == "csv")
    data = b"".join(response.streaming_content)
    config = configuration.import_config()
    Intervention.objects.filter(status="C").delete()
    assert counts(import_again(data, config, file_format)) == (0, 0, 2, 0)


def test_the_action_gives_the_message_too(client, schedule):
    configuration = ImportConfiguration.objects.create(name="No status", xml=NO_STATUS_XML)
    changelist = reverse("admin:training_intervention_changelist")
    selected = list(Intervention.objects.values_list("pk", flat=True))
    data = {"action": "export_selected", "_selected_action": selected, "index": 0}
    chosen = {"configuration": configuration.pk, "file_format": "csv", "export": "Export"}
    page = html.unescape(post(client, changelist, {**data, **chosen}).content.decode())
    assert "the first: intervention IV-2, C)" in page
