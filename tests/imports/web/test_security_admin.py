"""Security of the admin import flow, with CSRF checks enforced on every client.

Every import URL (found from the admin's own URL list) refuses users without add and change on
interventions; every POST needs the CSRF token; the confirm form names a job, never a file; a
job is acted on only while it is a preview; no page shows a server path or a traceback; the
error report is an attachment; markup in cells and file names is escaped; oversized uploads
are refused before anything is stored or parsed.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import NoReverseMatch, reverse

from imports import jobs
from imports.jobs.models import ImportJob
from tests.conftest import csv_bytes, make_row
from tests.imports.admin_support import (
    IMPORTER_PERMS,
    client_for,
    confirm_url,
    discard_url,
    import_url,
    job_url,
    make_user,
    page_messages,
    post,
    preview_url,
    report_url,
    upload,
)
from training.models import Intervention, Room

pytestmark = pytest.mark.usefixtures("demo", "media")

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE_NAME = f"{IMG}.csv"


def previewed(client, rows=None, name: str = "f.csv") -> ImportJob:
    rows = [make_row()] if rows is None else rows
    response = upload(client, csv_bytes(rows), name=name)
    assert response.status_code == 302
    client.get(response["Location"])  # consume the upload's message
    return ImportJob.objects.latest("pk")


def import_url_names() -> list[str]:
    """Every URL the import flow adds to the Intervention admin (none are hand-listed)."""
    model_admin = admin.site._registry[Intervention]
    names = [url.name for url in model_admin.get_urls() if url.name and "_import" in url.name]
    return sorted(names)


def reverse_import_url(name: str, job_id: int) -> str:
    try:
        return reverse(f"admin:{name}")
    except NoReverseMatch:
        return reverse(f"admin:{name}", args=[job_id])


def every_import_url(job_id: int) -> list[str]:
    urls = [reverse_import_url(name, job_id) for name in import_url_names()]
    return urls + [report_url(job_id)]


def test_the_inventory_finds_the_import_urls_and_not_the_stock_ones():
    names = import_url_names()
    expected = {"import", "import_preview", "import_confirm", "import_discard"}
    assert {f"training_intervention_{n}" for n in expected} <= set(names)
    assert "training_intervention_process_import" not in names


NOT_IMPORTERS = [
    (),
    ("training.view_intervention",),
    ("training.add_intervention", "training.view_intervention"),
    ("training.change_intervention", "training.view_intervention"),
    ("training.add_intervention", "training.delete_intervention"),
    ("imports.add_importconfiguration", "imports.change_importconfiguration"),
]


@pytest.mark.parametrize("perms", NOT_IMPORTERS, ids=lambda p: "+".join(p) or "no-perms")
@pytest.mark.parametrize("method", ["get", "post"])
def test_403_on_every_import_url_without_add_and_change(client, perms, method):
    job = previewed(client)
    staff = client_for(make_user("staff", perms))
    for url in every_import_url(job.pk):
        response = post(staff, url) if method == "post" else staff.get(url)
        assert response.status_code == 403, url
    job.refresh_from_db()
    assert job.status == "previewed"
    assert not Intervention.objects.exists()


def test_anonymous_users_are_sent_to_the_login_page(client):
    job = previewed(client)
    anonymous = Client(enforce_csrf_checks=True)
    for url in every_import_url(job.pk):
        response = anonymous.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_importer_reaches_every_import_page(client):
    job = previewed(client)
    importer = client_for(make_user("importer", IMPORTER_PERMS))
    for url in (import_url(), preview_url(job.pk), report_url(job.pk)):
        assert importer.get(url).status_code == 200, url


def test_every_post_without_a_csrf_token_is_refused(client):
    job = previewed(client)
    jobs_before = ImportJob.objects.count()
    for url in every_import_url(job.pk):
        response = client.post(url, {"confirm": "Confirm import", "strict": "on"})
        assert response.status_code == 403, url
        assert "CSRF" in response.content.decode(), url
    job.refresh_from_db()
    assert job.status == "previewed"
    assert ImportJob.objects.count() == jobs_before
    assert not Intervention.objects.exists()


def test_post_with_a_forged_token_is_refused(client):
    job = previewed(client)
    response = client.post(confirm_url(job.pk), {"csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert ImportJob.objects.get(pk=job.pk).status == "previewed"


class FormInputs(HTMLParser):
    """The forms of a page: action and the inputs (name, type, value) of each."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict] = {}
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {"action": attrs.get("action"), "inputs": []}
            self.forms[attrs.get("id") or str(len(self.forms))] = self._current
        elif tag in ("input", "select", "textarea", "button") and self._current is not None:
            self._current["inputs"].append(
                (attrs.get("name"), attrs.get("type", tag), attrs.get("value") or "")
            )

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def test_confirm_form_names_the_job_and_never_a_file(client):
    job = previewed(client, name="schedule.csv")
    parser = FormInputs()
    parser.feed(client.get(preview_url(job.pk)).content.decode())
    confirm = parser.forms["confirm-form"]
    assert confirm["action"] == confirm_url(job.pk)
    names = {name for name, _, _ in confirm["inputs"]}
    assert names == {"csrfmiddlewaretoken", "strict", "confirm"}
    assert not any(kind == "file" for _, kind, _ in confirm["inputs"])
    assert not any(re.search("file|path|name", name) for name in names - {"confirm"})
    values = " ".join(value for _, _, value in confirm["inputs"])
    assert "schedule" not in values and job.file.name not in values
    assert parser.forms["discard-form"]["action"] == discard_url(job.pk)


def test_a_file_named_in_the_confirm_post_is_ignored(client):
    """Fields naming another job's file (the stock import-export form's) change nothing."""
    job = previewed(client, [make_row(interventionGuid="IV-MINE")], name="mine.csv")
    other = previewed(client, [make_row(interventionGuid="IV-OTHER")], name="other.csv")
    smuggled = {
        name: other.file.name
        for name in ("import_file_name", "original_file_name", "file", "file_name", "path")
    }
    post(client, confirm_url(job.pk), smuggled)
    assert list(Intervention.objects.values_list("guid", flat=True)) == ["IV-MINE"]
    other.refresh_from_db()
    assert other.status == "previewed"


def imported(client, job):
    post(client, confirm_url(job.pk))


def failed_all_or_nothing(client, job):
    post(client, confirm_url(job.pk), {"strict": "on"})


def expired(client, job):
    ImportJob.objects.filter(pk=job.pk).update(created_at=job.created_at.replace(year=2000))
    jobs.purge_expired()


ROWS_WITH_AN_ERROR = [make_row(), make_row(interventionGuid="IV-2", teacherLogin="nobody")]


@pytest.mark.parametrize(
    ("close", "status"),
    [(imported, "imported"), (failed_all_or_nothing, "failed"), (expired, "expired")],
    ids=["imported", "failed", "expired"],
)
def test_a_closed_job_cannot_be_confirmed_or_discarded_again(client, close, status):
    job = previewed(client, ROWS_WITH_AN_ERROR)
    close(client, job)
    client.get(preview_url(job.pk))  # consume the messages of the first action
    job.refresh_from_db()
    assert job.status == status
    before = (
        list(Intervention.objects.values_list("guid", "updated_at")),
        job.finished_at,
        job.confirmed_by_id,
    )

    replay = post(client, confirm_url(job.pk))
    discard = post(client, discard_url(job.pk))

    assert replay["Location"] == discard["Location"] == preview_url(job.pk)
    job.refresh_from_db()
    after = (
        list(Intervention.objects.values_list("guid", "updated_at")),
        job.finished_at,
        job.confirmed_by_id,
    )
    assert (job.status, after) == (status, before)
    messages = page_messages(client.get(preview_url(job.pk)))
    assert messages == [
        f"This import is {status}; nothing was done.",
        "Only a preview can be discarded; nothing was done.",
    ]


def test_a_discarded_job_is_gone(client):
    job = previewed(client)
    post(client, discard_url(job.pk))
    for url in (confirm_url(job.pk), discard_url(job.pk)):
        assert post(client, url).status_code == 404
    assert not Intervention.objects.exists()


def forbidden_texts() -> list[str]:
    return [
        str(django_settings.MEDIA_ROOT),
        str(Path(django_settings.MEDIA_ROOT).resolve()),
        str(django_settings.BASE_DIR),
        "Traceback",
        'File "',
        "site-packages",
    ]


def every_page(client, settings) -> list[tuple[str, object]]:
    """Every kind of page the flow shows, including its error pages."""
    ok = previewed(client, ROWS_WITH_AN_ERROR)
    broken = previewed(client, name="header-only.csv", rows=[])
    gone = previewed(client)
    default_storage.delete(gone.file.name)
    pages = [
        ("upload form", client.get(import_url())),
        ("upload errors", upload(client, b"", name="empty.csv")),
        ("preview", client.get(preview_url(ok.pk))),
        ("rows", client.get(preview_url(ok.pk), {"view": "rows"})),
        ("failed preview", client.get(preview_url(broken.pk))),
        ("job page", client.get(job_url(ok.pk))),
        ("job list", client.get(reverse("admin:imports_importjob_changelist"))),
        ("report", client.get(report_url(ok.pk))),
        ("missing job", client.get(preview_url(999_999))),
        ("missing report", client.get(report_url(999_999))),
        ("confirm by GET", client.get(confirm_url(ok.pk))),
        ("csrf failure", client.post(confirm_url(ok.pk))),
        ("forbidden", client_for(make_user("staff")).get(preview_url(ok.pk))),
    ]
    post(client, confirm_url(gone.pk))
    settings.INTERVENTION_IMPORT = {"MAX_FILE_BYTES": 32}
    pages.append(("too large", upload(client, b"x" * 64, name="big.csv")))
    pages.append(("file gone", client.get(preview_url(gone.pk))))
    pages.append(("file gone job page", client.get(job_url(gone.pk))))
    return pages


def test_no_page_shows_a_server_path_or_a_traceback(client, settings):
    for label, response in every_page(client, settings):
        assert response.status_code in (200, 403, 404, 405), label
        content = response.content.decode("utf-8-sig")
        for text in forbidden_texts():
            assert text not in content, (label, text)
        for job in ImportJob.objects.exclude(file=""):
            assert job.file.name not in content, (label, job.file.name)


def test_error_report_is_an_attachment(client):
    job = previewed(client, ROWS_WITH_AN_ERROR, name="week 12.csv")
    response = client.get(report_url(job.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="errors-{job.pk}-week 12.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_hostile_file_name_in_the_report_header_stays_one_header(client):
    job = previewed(client, ROWS_WITH_AN_ERROR, name=f"a'b;c\u00e9{IMG}.csv")
    disposition = client.get(report_url(job.pk))["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert not re.search(r"[\r\n<>\"]", disposition)


def assert_escaped(html: str, *hostile: str) -> None:
    for text in hostile:
        assert text not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html or "&lt;script&gt;" in html


def test_markup_in_cells_and_file_name_is_escaped_everywhere(client):
    previewed(client, [make_row(interventionGuid="IV-X")])
    post(client, confirm_url(ImportJob.objects.latest("pk").pk))
    client.get(reverse("admin:index"))  # consume the messages
    rows = [
        make_row(interventionGuid="IV-X", roomGuid=IMG, roomLabel=SCRIPT),
        make_row(interventionGuid="IV-Y", teacherLogin=SCRIPT, sessionTitle=IMG, sessionGuid=""),
    ]
    response = upload(client, csv_bytes(rows), name=HOSTILE_NAME)
    job = ImportJob.objects.latest("pk")
    assert job.file_name == HOSTILE_NAME

    pages = {
        "preview with message": client.get(response["Location"]),
        "errors": client.get(preview_url(job.pk), {"view": "errors"}),
        "rows": client.get(preview_url(job.pk), {"view": "rows"}),
        "job page": client.get(job_url(job.pk)),
        "job list": client.get(reverse("admin:imports_importjob_changelist")),
    }
    confirm = post(client, confirm_url(job.pk))
    pages["confirmed with message"] = client.get(confirm["Location"])

    for label, page in pages.items():
        assert page.status_code == 200, label
        assert_escaped(page.content.decode(), SCRIPT, IMG)
    assert f"Preview of {HOSTILE_NAME}" in page_messages(pages["preview with message"])[0]
    assert "&lt;img src=x onerror=alert(1)&gt;.csv" in pages["job page"].content.decode()
    assert "roomGuid</strong>: R-101 → &lt;img" in pages["rows"].content.decode()
    assert Room.objects.filter(guid=IMG, label=SCRIPT).exists()  # kept as data


# Upload size: Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count files and
# FILE_UPLOAD_MAX_MEMORY_SIZE only decides memory or temporary file; MAX_FILE_BYTES is the limit.
CONTENT = csv_bytes([make_row(interventionGuid=f"IV-{n}") for n in range(40)])


LIMIT = len(CONTENT) + 10


@pytest.mark.parametrize(
    ("over", "accepted"),
    [(-1, True), (0, True), (1, False), (10_000, False)],
    ids=["below", "at-limit", "one-over", "far-over"],
)
@pytest.mark.parametrize("in_memory", [True, False], ids=["memory", "temp-file"])
def test_upload_over_max_file_bytes_is_refused_before_storing(
    client, settings, tmp_path, over, accepted, in_memory
):
    content = CONTENT + b"\n" * (LIMIT - len(CONTENT) + over)  # blank lines: still valid
    settings.INTERVENTION_IMPORT = {"MAX_FILE_BYTES": LIMIT}
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * len(content) if in_memory else 16
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()

    response = upload(client, content)

    assert list((tmp_path / "uploads").iterdir()) == []  # no temporary file left behind
    if accepted:
        assert response.status_code == 302
        job = ImportJob.objects.get()
        assert (job.size, job.status, job.new) == (len(content), "previewed", 40)
        return
    assert response.status_code == 200
    message = f"The file is too large ({len(content)} bytes, {LIMIT} at most)."
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not Path(django_settings.MEDIA_ROOT, "imports").exists()


def test_oversized_garbage_gets_the_size_message_only(client, settings):
    """Refused before parsing: the content would give a read error if it were read."""
    settings.INTERVENTION_IMPORT = {"MAX_FILE_BYTES": 100}
    response = upload(client, b"\x00\xff" * 100, name="junk.xlsx")
    html = response.content.decode()
    assert "The file is too large (200 bytes, 100 at most)." in html
    assert "cannot be read" not in html and "not a valid zip" not in html
    assert not ImportJob.objects.exists()


def test_data_upload_max_memory_size_does_not_limit_files(client, settings):
    """Django's request-body limit ignores file parts: our own MAX_FILE_BYTES must exist."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = upload(client, CONTENT)
    assert len(CONTENT) > 100
    assert response.status_code == 302
    assert ImportJob.objects.get().size == len(CONTENT)
