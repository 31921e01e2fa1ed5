"""Database settings: SQLite gets a page cache big enough for large imports."""

import pytest
from django.conf import settings
from django.db import connection


@pytest.mark.django_db
def test_the_sqlite_page_cache_is_set_and_postgresql_is_left_alone():
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            assert cursor.fetchone()[0] == -settings.SQLITE_CACHE_KIB
        assert settings.SQLITE_CACHE_KIB >= 65536
    else:
        assert "init_command" not in settings.DATABASES["default"].get("OPTIONS", {})
