"""Credentials: tokens (hashed in the database, expiring, several per user, revocable), the
command that makes them, the admin's session, 401 without credentials, throttling per token."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from imports.jobs.models import ImportJob
from tests.imports.admin_support import IMPORTER_PERMS, csrf_token, make_user
from tests.imports.api.api_support import IMPORTS, problem, upload
from tests.imports.api.conftest import client_with, token_for

pytestmark = pytest.mark.usefixtures("demo", "media")
PATHS = ["/api/v1/", IMPORTS + "1/", IMPORTS + "1/errors/", "/api/v1/interventions/"]


def create_token(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("create_api_token", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.parametrize("path", PATHS)
def test_no_credentials_is_401_with_the_scheme(db, path):
    response = APIClient().get(path)
    problem(response, 401, "api_not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_a_post_without_credentials_is_401_and_creates_nothing(db):
    problem(upload(APIClient()), 401, "api_not_authenticated")
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("key", ["nope", "0" * 64, "é" * 10])
def test_an_unknown_token_is_401(db, key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}".encode().decode("latin-1"))
    problem(client.get("/api/v1/"), 401, "api_token_not_valid")


def test_the_command_prints_the_key_on_its_last_line_and_stores_only_its_digest(importer):
    lines = create_token("importer")
    key = lines[-1]
    assert len(key) >= 32 and " " not in key
    stored = AuthToken.objects.get(user=importer)
    assert key not in (stored.digest, stored.token_key) and stored.token_key == key[:15]
    assert len(stored.digest) == 128  # SHA-512, hex
    assert stored.expiry > timezone.now() + dt.timedelta(days=89)
    assert client_with(key).get("/api/v1/").status_code == 200


def test_a_user_holds_several_tokens_and_revoking_one_keeps_the_others(importer):
    first, second = create_token("importer")[-1], create_token("importer")[-1]
    assert first != second and AuthToken.objects.filter(user=importer).count() == 2
    response = client_with(first).delete("/api/v1/auth/token/")
    assert response.status_code == 204
    problem(client_with(first).get("/api/v1/"), 401, "api_token_not_valid")
    assert client_with(second).get("/api/v1/").status_code == 200


def test_a_token_deleted_in_the_admin_is_revoked(importer):
    key = token_for(importer)
    AuthToken.objects.filter(user=importer).delete()
    problem(client_with(key).get("/api/v1/"), 401, "api_token_not_valid")


def test_an_expired_token_is_401_and_a_get_does_not_delete_it(importer):
    key = create_token("importer", "--days", "1")[-1]
    AuthToken.objects.filter(user=importer).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    problem(client_with(key).get("/api/v1/"), 401, "api_token_not_valid")
    assert AuthToken.objects.filter(user=importer).count() == 1  # reading writes nothing
    lines = create_token("importer")  # the command deletes the expired ones
    assert lines[0] == "1 expired token(s) of importer deleted."
    assert AuthToken.objects.filter(user=importer).count() == 1


def test_days_0_never_expires_and_the_setting_gives_the_default(importer, settings):
    create_token("importer", "--days", "0")
    assert AuthToken.objects.get(user=importer).expiry is None
    settings.INTERVENTION_IMPORT = {"API_TOKEN_DAYS": 2}
    create_token("importer")
    latest = AuthToken.objects.filter(user=importer, expiry__isnull=False).get()
    assert latest.expiry < timezone.now() + dt.timedelta(days=2, minutes=1)


def test_the_command_refuses_an_unknown_or_inactive_user(db):
    with pytest.raises(CommandError, match="User ghost not found"):
        create_token("ghost")
    user = make_user("gone")
    user.is_active = False
    user.save()
    with pytest.raises(CommandError, match="not active"):
        create_token("gone")


def test_an_inactive_users_token_is_401(importer):
    key = token_for(importer)
    importer.is_active = False
    importer.save()
    problem(client_with(key).get("/api/v1/"), 401, "api_token_not_valid")


def test_a_logged_in_admin_user_uses_the_session_with_csrf(importer):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(importer)
    assert client.get("/api/v1/").status_code == 200
    problem(client.post(IMPORTS, {}, format="json"), 403, "api_permission_denied")  # CSRF
    token = csrf_token(client)
    client.credentials(HTTP_X_CSRFTOKEN=token)
    assert upload(client).status_code == 201


def test_a_session_of_a_user_who_is_not_staff_is_not_enough(db):
    user = make_user("plain", IMPORTER_PERMS)
    user.is_staff = False
    user.save()
    client = APIClient()
    client.force_login(user)
    problem(client.get("/api/v1/"), 401, "api_not_authenticated")


def test_revoking_needs_a_token(importer):
    client = APIClient()
    client.force_login(importer)
    problem(client.delete("/api/v1/auth/token/"), 409, "api_no_token")


def test_requests_are_throttled_per_token(importer, settings):
    settings.INTERVENTION_IMPORT = {"API_THROTTLE_RATE": "2/minute"}
    first, second = client_with(token_for(importer)), client_with(token_for(importer))
    assert [first.get("/api/v1/").status_code for _ in range(2)] == [200, 200]
    response = first.get("/api/v1/")
    problem(response, 429, "api_throttled")
    assert int(response["Retry-After"]) >= 1
    assert second.get("/api/v1/").status_code == 200  # another token counts on its own
