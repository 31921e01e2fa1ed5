"""The upload form's reading choices: encoding, delimiter, date format and sheet, each
automatic by default, as the command's options; kept on the job and on its re-upload link."""

import datetime as dt
import io

import pytest
from django.core import signing
from django.utils import timezone
from openpyxl import Workbook

from imports.jobs import kept_uploads
from imports.jobs.models import ImportJob
from imports.jobs.service import kept_upload
from tests.conftest import HEADER, csv_bytes, make_row
from tests.imports.admin_support import confirm_url, import_url, job_url, preview_url, upload
from training.models import Intervention

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]
UTC = dt.UTC


def french_excel(*dates: str) -> bytes:
    rows = [
        make_row(interventionGuid=f"IV-{n}", interventionDate=date, roomLabel="Salle Hélène")
        for n, date in enumerate(dates, start=1)
    ]
    return csv_bytes(rows).decode().encode("cp1252")


def test_an_ordinary_french_excel_export_previews_with_no_choice(demo, admin_client):
    response = upload(admin_client, french_excel("10/03/2027 09:00", "25/03/2027 14:00"))
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert (job.status, job.new, job.error_rows) == ("previewed", 2, 0)
    html = admin_client.get(preview_url(job.pk)).content.decode()
    assert "read as Windows-1252" in html
    assert "Dates of column interventionDate read as DD/MM/YYYY HH:MM" in html


def test_the_choices_are_kept_on_the_job_and_obeyed(demo, admin_client):
    data = csv_bytes([make_row(interventionDate="03/04/2027 09:00")], sep="|")
    data = data.decode().encode("iso-8859-1")
    upload(
        admin_client,
        data,
        encoding="iso-8859-1",
        delimiter="|",
        date_format="MM/DD/YYYY HH:II",
        conflicts="warn",
    )
    job = ImportJob.objects.get()
    assert (job.encoding, job.delimiter, job.date_format) == ("iso-8859-1", "|", "MM/DD/YYYY HH:II")
    assert (job.new, job.error_rows) == (1, 0)
    html = admin_client.get(preview_url(job.pk)).content.decode()
    assert "encoding iso-8859-1; delimiter | pipe; date format MM/DD/YYYY HH:II</td>" in html
    admin_client.post(confirm_url(job.pk), {"strict": ""})
    assert Intervention.objects.get().start == dt.datetime(2027, 3, 4, 9, 0, tzinfo=UTC)


def test_the_date_format_choice_is_obeyed_over_what_the_dates_tell(demo, admin_client):
    upload(admin_client, french_excel("25/03/2027 09:00"), date_format="MM/DD/YYYY HH:II")
    job = ImportJob.objects.get()
    assert job.error_rows == 1
    assert job.errors.get(level="ERROR").message == "Date 25/03/2027 09:00 not valid."


def test_a_date_format_that_is_not_one_is_a_form_error_naming_the_tokens(demo, admin_client):
    response = upload(admin_client, french_excel("25/03/2027 09:00"), date_format="JJ/MM/AAAA")
    assert response.status_code == 200
    assert response.context["form"].errors["date_format"] == [
        "Date format JJ/MM/AAAA not valid. Use YYYY, MM, DD, HH, II (minutes), SS, hh and AA"
        " (a 12-hour clock and its AM/PM), WW (a weekday name) and the separators ' /_.:;,-'."
    ]
    assert ImportJob.objects.count() == 0


def test_the_sheet_choice_reads_that_sheet(demo, admin_client):
    workbook = Workbook()
    workbook.active.title = "Planning"
    workbook.active.append(HEADER)
    workbook.active.append([make_row(interventionGuid="IV-1")[n] for n in HEADER])
    other = workbook.create_sheet("Corrections")
    other.append(HEADER)
    other.append([make_row(interventionGuid="IV-7")[n] for n in HEADER])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload(admin_client, buffer.getvalue(), name="planning.xlsx", sheet="Corrections")
    job = ImportJob.objects.get()
    assert (job.sheet, job.new) == ("Corrections", 1)
    html = admin_client.get(preview_url(job.pk)).content.decode()
    assert (
        "Sheet Corrections was read; the workbook&#x27;s other sheets were not: Planning." in html
    )
    assert not Intervention.objects.exists()


def test_the_form_offers_every_choice_automatic_by_default(admin_client):
    response = admin_client.get(import_url())
    form = response.context["form"]
    for name in ("format", "encoding", "delimiter", "date_format", "sheet", "configuration"):
        assert form[name].value() in (None, ""), name
    html = response.content.decode()
    assert '<datalist id="date-formats"><option value="DD/MM/YYYY HH:II">' in html
    assert 'list="date-formats"' in html


def test_the_reupload_link_makes_the_same_choices_again(demo, admin_client):
    upload(admin_client, french_excel("25/03/2027 09:00"), encoding="windows-1252", delimiter="\t")
    job = ImportJob.objects.get()
    html = admin_client.get(job_url(job.pk)).content.decode()
    assert f"{import_url()}?encoding=windows-1252&amp;delimiter=%09" in html
    form = admin_client.get(import_url(), {"encoding": "windows-1252", "delimiter": "\t"})
    bound = form.context["form"]
    assert (bound["encoding"].value(), bound["delimiter"].value()) == ("windows-1252", "\t")


def kept_token(response) -> str:
    return response.context["form"].data["kept_file"]


def test_the_chosen_file_stays_chosen_after_an_error_and_is_used(demo, admin_client):
    data = french_excel("25/03/2027 09:00")
    response = upload(admin_client, data, name="Planning mars.csv", date_format="JJ/MM")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chosen file: <strong>Planning mars.csv</strong>, kept" in html
    token = kept_token(response)
    assert f'name="kept_file" value="{token}"' in html
    fixed = {
        "kept_file": token,
        "date_format": "DD/MM/YYYY HH:II",
        "format": "",
        "configuration": "",
    }
    response = admin_client.post(import_url(), fixed)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert (job.file_name, job.new, job.date_format) == ("Planning mars.csv", 1, "DD/MM/YYYY HH:II")
    assert job.file.read() == data
    assert kept_upload(token) is None  # the job holds its own copy: the kept one is gone


def test_a_second_error_keeps_the_same_file_and_a_new_file_replaces_it(demo, admin_client):
    first = upload(admin_client, french_excel("25/03/2027 09:00"), date_format="JJ")
    token = kept_token(first)
    again = admin_client.post(import_url(), {"kept_file": token, "date_format": "MM", "format": ""})
    assert kept_token(again) == token
    other = make_row(interventionGuid="IV-OTHER")
    response = upload(admin_client, csv_bytes([other]), name="other.csv", kept_file=token)
    assert response.status_code == 302
    assert ImportJob.objects.get().file_name == "other.csv"


@pytest.mark.parametrize("token", ["", "forged", "imports/1/interventions.csv"])
def test_no_file_and_no_good_token_is_the_required_error(admin_client, token):
    response = admin_client.post(import_url(), {"kept_file": token, "format": ""})
    assert response.context["form"].errors["file"] == ["This field is required."]
    assert ImportJob.objects.count() == 0


def test_a_token_cannot_point_outside_the_kept_folder(demo, admin_client):
    upload(admin_client, french_excel("25/03/2027 09:00"))
    job = ImportJob.objects.get()
    forged = signing.dumps({"path": job.file.name, "name": "x.csv"}, salt=kept_uploads.SALT)
    assert kept_upload(forged) is None


def test_kept_files_never_used_are_purged(demo, admin_client):
    token = kept_token(upload(admin_client, french_excel("25/03/2027 09:00"), date_format="JJ"))
    assert kept_upload(token) is not None
    later = timezone.now() + dt.timedelta(seconds=kept_uploads.KEPT_UPLOAD_MAX_AGE + 60)
    assert kept_uploads.purge_kept(now=timezone.now()) == 0
    assert kept_uploads.purge_kept(now=later) == 1
    assert kept_upload(token) is None


def test_the_preview_says_did_you_mean(demo, admin_client):
    upload(admin_client, csv_bytes([make_row(teacherLogin="JDoe")]))
    job = ImportJob.objects.get()
    assert job.errors.get(level="ERROR").suggestion == "jdoe"
    html = admin_client.get(preview_url(job.pk)).content.decode()
    assert "Teacher with login JDoe is not found. <span" in html
    assert "Did you mean <strong>jdoe</strong>?" in html
