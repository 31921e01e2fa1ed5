"""Benchmark databases: a seeded template per state, and a fresh copy of it for every run.

SQLite: templates are files, a run gets a file copy. PostgreSQL: templates are databases,
a run gets ``CREATE DATABASE ... TEMPLATE``. Either way every variant starts from the same state.
"""

import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql


class SqliteBench:
    kind = "sqlite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, name: str) -> Path:
        return self.folder / f"{name}.sqlite3"

    def url(self, name: str) -> str:
        return f"sqlite:///{self._file(name)}"

    def drop(self, name: str) -> None:
        """The file and its journal (a run stopped midway leaves its WAL, which SQLite would
        replay into the next copy of that name)."""
        for suffix in ("", "-wal", "-shm", "-journal"):
            self._file(name).with_name(f"{name}.sqlite3{suffix}").unlink(missing_ok=True)

    def exists(self, name: str) -> bool:
        return self._file(name).exists()

    def copy(self, template: str, name: str) -> str:
        self.drop(name)
        shutil.copyfile(self._file(template), self._file(name))
        return self.url(name)

    def version(self) -> str:
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"


class PostgresBench:
    kind = "postgresql"

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.base = parts.path.lstrip("/") or "intervention_bench"
        self._parts = parts

    def url(self, name: str) -> str:
        return urlunsplit(self._parts._replace(path=f"/{self.base}_{name}"))

    def _admin(self) -> psycopg.Connection:
        admin_url = urlunsplit(self._parts._replace(path="/postgres"))
        return psycopg.connect(admin_url, autocommit=True)

    def drop(self, name: str) -> None:
        with self._admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(f"{self.base}_{name}")
                )
            )

    def exists(self, name: str) -> bool:
        with self._admin() as conn:
            found = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (f"{self.base}_{name}",)
            ).fetchone()
        return found is not None

    def create(self, name: str) -> str:
        self.drop(name)
        with self._admin() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(f"{self.base}_{name}"))
            )
        return self.url(name)

    def copy(self, template: str, name: str) -> str:
        self.drop(name)
        with self._admin() as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(f"{self.base}_{name}"), sql.Identifier(f"{self.base}_{template}")
                )
            )
        return self.url(name)

    def analyze(self, name: str) -> None:
        with psycopg.connect(self.url(name), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")

    def version(self) -> str:
        with self._admin() as conn:
            return conn.execute("SHOW server_version").fetchone()[0].join(("PostgreSQL ", ""))
