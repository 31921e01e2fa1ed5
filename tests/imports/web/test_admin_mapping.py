"""The admin's mapping step: a file whose header names the columns its own way."""

import pytest
from django.urls import reverse

from imports.jobs.models import ImportConfiguration, ImportJob
from imports.parsing.config import parse_config
from tests.imports.admin_support import client_for, make_user, post, preview_url, upload
from tests.imports.parsing.test_mapping import FRENCH, MAPPED, ROW

pytestmark = pytest.mark.usefixtures("demo", "media")
IMPORTER = ("training.add_intervention", "training.change_intervention")


def french_file(*rows: list[str]) -> bytes:
    lines = [";".join(FRENCH), *(";".join(row) for row in rows or [ROW])]
    return ("\n".join(lines) + "\n").encode()


def mapping_url(job: ImportJob) -> str:
    return reverse("admin:training_intervention_import_mapping", args=[job.pk])


def uploaded(client, content: bytes) -> ImportJob:
    upload(client, content, name="planning.csv")
    return ImportJob.objects.latest("pk")


def mapping_data(columns: list[str], name: str = "Planning FR") -> dict:
    data = {f"column_{index}": column for index, column in enumerate(columns)}
    data["name"] = name
    return data


def test_a_french_header_offers_the_mapping_step_with_proposals(admin_user):
    client = client_for(admin_user)
    job = uploaded(client, french_file())
    assert job.status == "failed"
    page = client.get(preview_url(job.pk)).content.decode()
    assert mapping_url(job) in page
    response = client.get(mapping_url(job))
    form = response.context["form"]
    assert [form[f"column_{i}"].initial for i in range(len(FRENCH))] == MAPPED
    assert "2027-05-03T09:00:00" in response.content.decode()  # the first values
    assert form["name"].initial == "Mapping of planning"


def test_saving_the_mapping_previews_the_file_with_it(admin_user):
    client = client_for(admin_user)
    job = uploaded(client, french_file())
    response = post(client, mapping_url(job), mapping_data(MAPPED), follow=True)
    assert "The mapping was saved as the configuration Planning FR" in response.content.decode()
    job.refresh_from_db()
    assert (job.status, job.new, job.error_rows, job.configuration.name) == (
        "previewed",
        1,
        0,
        "Planning FR",
    )
    saved = ImportConfiguration.objects.get(name="Planning FR")
    (config,) = parse_config(saved.xml)
    assert config.columns[3] == "interventionDate"
    assert saved.header == FRENCH


def test_a_later_upload_with_the_same_header_uses_the_saved_mapping_by_itself(admin_user):
    client = client_for(admin_user)
    post(client, mapping_url(uploaded(client, french_file())), mapping_data(MAPPED))
    other = ["IV-F2", *ROW[1:]]
    response = upload(client, french_file(other), name="next-week.csv")
    job = ImportJob.objects.latest("pk")
    assert (job.status, job.configuration.name, job.new) == ("previewed", "Planning FR", 1)
    shown = client.get(response.url).content.decode()
    assert "it was read with it" in shown


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            {5: "interventionDate"},
            "Column interventionDate is chosen for more than one file column.",
        ),
        ({8: "ignoredColumn"}, "Mandatory column teacherLogin is not mapped."),
    ],
)
def test_a_wrong_mapping_is_refused_and_nothing_saved(admin_user, change, problem):
    client = client_for(admin_user)
    job = uploaded(client, french_file())
    columns = [change.get(i, name) for i, name in enumerate(MAPPED)]
    response = post(client, mapping_url(job), mapping_data(columns))
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert not ImportConfiguration.objects.exists()
    job.refresh_from_db()
    assert job.status == "failed"


def test_the_mapping_step_needs_the_permission_to_add_a_configuration(admin_user):
    job = uploaded(client_for(admin_user), french_file())
    importer = client_for(make_user("importer", IMPORTER))
    assert mapping_url(job) not in importer.get(preview_url(job.pk)).content.decode()
    assert importer.get(mapping_url(job)).status_code == 403
    mapper = client_for(make_user("mapper", IMPORTER + ("imports.add_importconfiguration",)))
    assert mapper.get(mapping_url(job)).status_code == 200


def test_a_file_whose_header_is_fine_needs_no_mapping(admin_user):
    client = client_for(admin_user)
    from tests.conftest import csv_bytes, make_row

    upload(client, csv_bytes([make_row()]))
    job = ImportJob.objects.latest("pk")
    response = client.get(mapping_url(job))
    assert response.status_code == 302 and response.url == preview_url(job.pk)


def test_a_header_with_a_nul_is_saved_storable_and_found_again(admin_user):
    """A header cell holding a NUL (issue 25): the mapping keeps its storable copy (PostgreSQL
    refuses the NUL in its JSON) and the next file with the same header is read with it."""
    client = client_for(admin_user)
    header = [FRENCH[0] + "\x00", *FRENCH[1:]]
    content = ("\n".join([";".join(header), ";".join(ROW)]) + "\n").encode()
    response = post(client, mapping_url(uploaded(client, content)), mapping_data(MAPPED))
    assert response.status_code == 302
    saved = ImportConfiguration.objects.get(name="Planning FR")
    assert saved.header == [FRENCH[0] + "\u2400", *FRENCH[1:]]
    other = ["IV-F2", *ROW[1:]]
    upload(client, ("\n".join([";".join(header), ";".join(other)]) + "\n").encode())
    job = ImportJob.objects.latest("pk")
    assert (job.status, job.configuration.name, job.new) == ("previewed", "Planning FR", 1)
