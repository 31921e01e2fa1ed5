"""Helpers of the admin tests: users, a CSRF-enforcing client, uploads and the URLs."""

from pathlib import Path

from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
IMPORTER_PERMS = ("training.add_intervention", "training.change_intervention")


def make_user(username: str, perms: tuple[str, ...] = (), superuser: bool = False) -> User:
    user = User.objects.create_user(username, password="pw", is_staff=True)
    user.is_superuser = superuser
    user.save()
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def client_for(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_token(client: Client) -> str:
    if "csrftoken" not in client.cookies:
        client.get(reverse("admin:index"))
    return client.cookies["csrftoken"].value


def post(client: Client, url: str, data: dict | None = None, **extra):
    data = dict(data or {})
    data["csrfmiddlewaretoken"] = csrf_token(client)
    return client.post(url, data, **extra)


def upload(client: Client, content: bytes, name: str = "interventions.csv", **fields):
    data = {"file": SimpleUploadedFile(name, content), "format": "", "configuration": ""}
    data.update(fields)
    return post(client, import_url(), data)


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def import_url() -> str:
    return reverse("admin:training_intervention_import")


def preview_url(job_id: int) -> str:
    return reverse("admin:training_intervention_import_preview", args=[job_id])


def confirm_url(job_id: int) -> str:
    return reverse("admin:training_intervention_import_confirm", args=[job_id])


def discard_url(job_id: int) -> str:
    return reverse("admin:training_intervention_import_discard", args=[job_id])


def job_url(job_id: int) -> str:
    return reverse("admin:imports_importjob_change", args=[job_id])


def report_url(job_id: int) -> str:
    return reverse("admin:imports_importjob_report", args=[job_id])


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]
