"""The Linxia demo, loaded once per test process into a database of its own.

Loading the demo (the network, the catalog, months of hall days, cases, reviews,
complaints and the management records) is the slowest set-up of the suite. Each test
process loads it once, into a copy of its empty, migrated test database; a module that
reads the demo switches the connection to that copy for its tests, inside a
transaction rolled back at the module's end, so what one module changes the next never
sees, and the other modules of the process keep their empty database.
"""

from __future__ import annotations

import io
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def _connected_to(name: str):
    """The default connection opened on the database ``name`` until the block ends."""
    previous = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = previous


def _server(settings: dict):
    return psycopg.connect(
        dbname="postgres",
        host=settings.get("HOST") or None,
        port=settings.get("PORT") or None,
        user=settings.get("USER") or None,
        password=settings.get("PASSWORD") or None,
        autocommit=True,
    )


def _copy_database(source: str) -> str:
    """A copy of the (empty, migrated) test database; returns its name."""
    settings = connection.settings_dict
    connection.close()
    if connection.vendor == "sqlite":
        target = f"{source}-demo"
        Path(target).unlink(missing_ok=True)
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return target
    target = f"{source}_demo"
    with _server(settings) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{target}"')
        server.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    return target


def _drop_database(name: str) -> None:
    connection.close()
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
        return
    with _server(connection.settings_dict) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')


class DemoDatabase:
    def __init__(self, name: str, output: str, uploads: Path, started):
        self.name, self.output, self.uploads = name, output, uploads
        # The loader's clock reads no earlier than this: a sweep at this moment must find
        # nothing the loader did not already sweep, however long the tests run after it.
        self.started = started

    @contextmanager
    def opened(self):
        """The demo's database for the block, every change rolled back at its end."""
        with (
            _connected_to(self.name),
            override_settings(
                PASSWORD_HASHERS=FAST_HASHERS, ONEWINDOW_UPLOAD_ROOT=str(self.uploads)
            ),
            transaction.atomic(),
        ):
            yield
            transaction.set_rollback(True)


@pytest.fixture(scope="session")
def demo_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded (and committed) once for this test process."""
    uploads = tmp_path_factory.mktemp("demo-uploads")
    with django_db_blocker.unblock():
        name = _copy_database(connection.settings_dict["NAME"])
        out = io.StringIO()
        started = timezone.now()
        with (
            _connected_to(name),
            override_settings(PASSWORD_HASHERS=FAST_HASHERS, ONEWINDOW_UPLOAD_ROOT=str(uploads)),
        ):
            call_command("load_demo", "--if-empty", stdout=out)
        try:
            yield DemoDatabase(name, out.getvalue(), uploads, started)
        finally:
            _drop_database(name)


@pytest.fixture(scope="module")
def demo_opened(demo_database, django_db_blocker):
    """For a module's own ``demo`` fixture: the demo's database, opened for the module."""
    with django_db_blocker.unblock(), demo_database.opened():
        yield SimpleNamespace(
            output=demo_database.output,
            uploads=demo_database.uploads,
            started=demo_database.started,
        )
