"""Fixtures of the API tests: users with the admin's permissions, their tokens and clients."""

import pytest
from django.core.cache import caches
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.imports.admin_support import IMPORTER_PERMS, make_user

UNDO_PERMS = ("training.change_intervention", "training.delete_intervention")
VIEW_PERMS = ("imports.view_importjob", "training.view_intervention")


def token_for(user) -> str:
    return AuthToken.objects.create(user, expiry=None)[1]


def client_with(key: str | None) -> APIClient:
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def api_client(user) -> APIClient:
    return client_with(token_for(user))


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    """Each test counts its own requests (the throttle's cache outlives a test)."""
    caches["imports"].clear()
    caches["default"].clear()
    yield


@pytest.fixture
def importer(db):
    return make_user("importer", IMPORTER_PERMS + UNDO_PERMS + VIEW_PERMS)


@pytest.fixture
def reviewer(db):
    return make_user("reviewer", IMPORTER_PERMS + UNDO_PERMS + VIEW_PERMS)


@pytest.fixture
def api(importer):
    """The importer's client, authenticated by a token."""
    return api_client(importer)
