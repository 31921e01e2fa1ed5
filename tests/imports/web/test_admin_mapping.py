"""The admin's mapping step: a file whose header names the columns its own way."""

import html

import pytest
from django.urls import reverse

from imports.jobs import service
from imports.jobs.models import ImportConfiguration, ImportJob
from imports.parsing.config import parse_config
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import client_for, make_user, post, preview_url, upload
from tests.imports.parsing.test_mapping import FRENCH, MAPPED, ROW, SPLIT_COLUMNS, split_file

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


def headerless(*rows: list[str]) -> bytes:
    return ("\n".join(";".join(row) for row in rows) + "\n").encode()


OTHER = ["IV-F2", *ROW[1:3], "2027-05-04T09:00:00", *ROW[4:]]


@pytest.mark.parametrize("said_at_upload", [True, False])
def test_a_file_without_header_row_is_mapped_with_its_first_row_as_data(admin_user, said_at_upload):
    """Said on the upload form, or seen (line 1 holds a date and numbers): the mapping step
    shows line 1 among the values, saves <skipFirstLine>no</skipFirstLine>, and both rows are
    previewed; no saved header to match later uploads by (line 1 is data)."""
    client = client_for(admin_user)
    fields = {"first_row_is_data": "on"} if said_at_upload else {}
    upload(client, headerless(ROW, OTHER), name="planning.csv", **fields)
    job = ImportJob.objects.latest("pk")
    assert job.first_row_is_data is said_at_upload
    page = client.get(mapping_url(job))
    form = page.context["form"]
    assert form["first_row_is_data"].initial is True
    assert "IV-F1 · IV-F2" in page.content.decode()  # line 1 among the first values
    data = {**mapping_data(MAPPED), "first_row_is_data": "on"}
    response = post(client, mapping_url(job), data)
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.new, job.error_rows, job.first_row_is_data) == (
        "previewed",
        2,
        0,
        True,
    )
    saved = ImportConfiguration.objects.get(name="Planning FR")
    assert "<skipFirstLine>no</skipFirstLine>" in saved.xml
    (config,) = parse_config(saved.xml)
    assert config.skip_first_line is False
    assert (saved.header, saved.header_key) == ([], "")


def test_the_first_row_is_data_with_a_configuration(admin_user):
    """A saved configuration that skips line 1, and a file without header row: the upload
    form's choice wins, both rows are read."""
    client = client_for(admin_user)
    post(client, mapping_url(uploaded(client, french_file())), mapping_data(MAPPED))
    configuration = ImportConfiguration.objects.get(name="Planning FR")
    fields = {"first_row_is_data": "on", "configuration": str(configuration.pk)}
    upload(client, headerless(ROW, OTHER), name="next.csv", **fields)
    job = ImportJob.objects.latest("pk")
    assert (job.status, job.new, job.error_rows) == ("previewed", 2, 0)


def split_data(name: str = "Planning sans statut", **defaults: str) -> dict:
    data = {**mapping_data(SPLIT_COLUMNS, name), "first_row_is_data": "on"}
    data.update({f"default_{column}": value for column, value in defaults.items()})
    return data


def test_defaults_are_offered_saved_in_the_xml_and_reused(admin_user):
    """A file without header row, a date, a start time and an end time, no status: the
    status's default makes the mapping complete, the XML keeps it inside the action, and the
    saved configuration reads the next file the same way."""
    client = client_for(admin_user)
    upload(client, split_file(), name="export.txt")
    job = ImportJob.objects.latest("pk")
    page = client.get(mapping_url(job))
    form = page.context["form"]
    assert "default_interventionStatus" in form.fields
    assert "default_interventionGuid" not in form.fields  # it identifies each row
    assert 'id="defaults"' in page.content.decode()
    response = post(client, mapping_url(job), split_data(interventionStatus="A"))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.new, job.error_rows) == ("previewed", 2, 0)
    saved = ImportConfiguration.objects.get(name="Planning sans statut")
    assert "<skipFirstLine>no</skipFirstLine>" in saved.xml
    assert "<defaults>\n          <interventionStatus>A</interventionStatus>\n" in saved.xml
    (config,) = parse_config(saved.xml)
    assert config.columns == tuple(SPLIT_COLUMNS)
    assert config.defaults == (("interventionStatus", "A"),)
    assert "interventionStatus" in config.fields
    shown = html.unescape(client.get(preview_url(job.pk)).content.decode())
    said = "The file has no column interventionStatus: every row takes the configuration's"
    assert f"{said} default A." in shown
    # the saved configuration again, chosen on the upload form: the same result
    fields = {"first_row_is_data": "on", "configuration": str(saved.pk)}
    upload(client, split_file(), name="export-again.txt", **fields)
    again = ImportJob.objects.latest("pk")
    assert (again.status, again.new, again.error_rows) == ("previewed", 2, 0)


@pytest.mark.parametrize(
    ("defaults", "problem"),
    [
        ({}, "Mandatory column interventionStatus is not mapped. Map it, or give it a default."),
        (
            {"interventionStatus": "X"},
            "The default of interventionStatus is not valid: Status has invalid value X, A or C"
            " expected.",
        ),
        (
            {"interventionStatus": "A", "interventionStartTime": "midi"},
            "The default of interventionStartTime is not valid:",
        ),
        (
            {"interventionStatus": "A", "roomCapacity": "-3"},
            "The default of roomCapacity is not valid:",
        ),
        ({"interventionStatus": "  "}, "Mandatory column interventionStatus is not mapped."),
    ],
)
def test_a_default_the_import_would_refuse_is_a_form_error(admin_user, defaults, problem):
    client = client_for(admin_user)
    upload(client, split_file(), name="export.txt")
    job = ImportJob.objects.latest("pk")
    response = post(client, mapping_url(job), split_data(**defaults))
    assert response.status_code == 200
    assert problem in html.unescape(response.content.decode())
    assert not ImportConfiguration.objects.exists()
    job.refresh_from_db()
    assert job.status == "failed"


def test_the_service_refuses_a_default_guid(admin_user):
    """The form offers no default for interventionGuid; the service refuses one all the same
    (the configuration's imports.E029)."""
    client = client_for(admin_user)
    upload(client, split_file(), name="export.txt")
    job = ImportJob.objects.latest("pk")
    columns = ["ignoredColumn", *SPLIT_COLUMNS[1:]]
    problems, said = service.save_mapping(
        job,
        header=[""] * len(columns),
        columns=columns,
        name="Guid",
        first_row_is_data=True,
        defaults={"interventionGuid": "IV-1", "interventionStatus": "A"},
    )
    assert "Column interventionGuid cannot have a default: it identifies each row." in problems
    assert said == "" and not ImportConfiguration.objects.exists()


def test_the_defaults_of_a_mapping_saved_for_the_same_cells_are_offered_again(admin_user):
    client = client_for(admin_user)
    no_status = [i for i, name in enumerate(MAPPED) if name != "interventionStatus"]
    header, row = [FRENCH[i] for i in no_status], [ROW[i] for i in no_status]
    content = ("\n".join([";".join(header), ";".join(row)]) + "\n").encode()
    data = mapping_data([MAPPED[i] for i in no_status])
    data["default_interventionStatus"] = "C"
    assert post(client, mapping_url(uploaded(client, content)), data).status_code == 302
    assert ImportJob.objects.latest("pk").new == 1
    swapped = [header[1], header[0], *header[2:]]
    other = ["IV-F2", *row[1:]]
    content = "\n".join([";".join(swapped), ";".join([other[1], other[0], *other[2:]])]) + "\n"
    job = uploaded(client, content.encode())
    form = client.get(mapping_url(job)).context["form"]
    assert form["default_interventionStatus"].initial == "C"
    assert form["column_0"].initial == "trainingGuid"


def french_week(*days: str) -> bytes:
    rows = [[f"IV-W{day}", *ROW[1:3], f"{day}/03/2027 09:00", *ROW[4:]] for day in days]
    return french_file(*rows)


def test_the_mapping_saves_the_date_format_the_file_s_dates_tell(admin_user, settings):
    """A French file (25/03 tells day first) mapped once; next week's file, whose days are all
    12 or less, is read day first on an American English site: the saved dateFormat says so."""
    settings.LANGUAGE_CODE = "en-us"
    client = client_for(admin_user)
    job = uploaded(client, french_week("24", "25"))
    post(client, mapping_url(job), mapping_data(MAPPED))
    (config,) = parse_config(ImportConfiguration.objects.get(name="Planning FR").xml)
    assert config.date_format_source == "DD/MM/YYYY HH:II"
    upload(client, french_week("10", "11", "12"), name="next-week.csv")
    job = ImportJob.objects.latest("pk")
    assert (job.configuration.name, job.new, job.error_rows) == ("Planning FR", 3, 0)
    french = {"HTTP_ACCEPT_LANGUAGE": "fr"}  # the page writes dates as French does
    rows = client.get(preview_url(job.pk), {"view": "rows"}, **french).content.decode()
    assert "10/03/2027 09:00" in rows and "12/03/2027 09:00" in rows


def test_a_french_site_reads_a_week_of_small_days_day_first_without_a_mapping(admin_user, settings):
    settings.LANGUAGE_CODE = "fr"
    week = [
        make_row(interventionGuid=f"IV-{day}", interventionDate=f"{day}/03/2027 09:00")
        for day in ("10", "11", "12")
    ]
    client = client_for(admin_user)
    upload(client, csv_bytes(week), name="semaine.csv")
    job = ImportJob.objects.latest("pk")
    assert (job.new, job.error_rows) == (3, 0)
    page = client.get(preview_url(job.pk)).content.decode()
    # The note in the site's language (issue 28: row messages in the reader's language).
    assert "lues avec le jour en premier (DD/MM/YYYY HH:MM), comme les dates" in page
    french = {"HTTP_ACCEPT_LANGUAGE": "fr"}  # the page writes dates as French does
    rows = client.get(preview_url(job.pk), {"view": "rows"}, **french).content.decode()
    assert "10/03/2027 09:00" in rows and "12/03/2027 09:00" in rows


def test_a_header_of_its_own_names_opens_the_mapping_step_directly(admin_user):
    client = client_for(admin_user)
    response = upload(client, french_file(), name="planning_mars.csv")
    job = ImportJob.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == mapping_url(job)
    page = client.get(response["Location"]).content.decode()
    assert "planning_mars.csv names its columns its own way" in page
    assert "cannot be imported" not in page


def test_the_mapping_saves_the_encoding_and_delimiter_found_so_no_warning_repeats(admin_user):
    """A warning said on every upload of a known mapping (the encoding guessed) is said once:
    the mapping saves what was found."""
    client = client_for(admin_user)
    windows = french_file().decode().replace("R-101", "Salle René").encode("cp1252")
    job = uploaded(client, windows)
    assert job.read_with == {"encoding": "Windows-1252", "delimiter": ";"}
    post(client, mapping_url(job), mapping_data(MAPPED))
    saved = ImportConfiguration.objects.get(name="Planning FR")
    assert "<fileEncoding>Windows-1252</fileEncoding>" in saved.xml
    assert "<delimiter>semicolon</delimiter>" in saved.xml
    upload(client, windows, name="next-week.csv")
    again = ImportJob.objects.latest("pk")
    assert (again.configuration.name, again.error_rows) == ("Planning FR", 0)
    assert not again.errors.filter(code="file_auto_encoding").exists()
