"""Fixtures of the admin tests: uploads in a temporary MEDIA_ROOT, a superuser's client."""

import pytest

from .admin_support import client_for, make_user


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files go to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def admin_user(db):
    return make_user("admin", superuser=True)


@pytest.fixture
def client(admin_user):
    """A superuser's client, CSRF checks enforced."""
    return client_for(admin_user)
