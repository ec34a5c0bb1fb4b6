"""The Linxia demo, loaded once per test run into a database of its own.

Loading the demo (the network, the catalog, months of hall days, cases, reviews,
complaints and the management records) is the slowest set-up of the suite. The first
test process to need it loads it into a copy of its empty, migrated test database and
leaves a copy of the result for the run; the other processes (pytest-xdist) copy that; a module that
reads the demo switches the connection to that copy for its tests, inside a
transaction rolled back at the module's end, so what one module changes the next never
sees, and the other modules of the process keep their empty database.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import shutil
import sqlite3
import tempfile
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

RUN_VARIABLE = "ONEWINDOW_TEST_RUN"
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


def _demo_name(source: str) -> str:
    return f"{source}-demo" if connection.vendor == "sqlite" else f"{source}_demo"


def _copy_database(source: str, *, target: str) -> str:
    """A copy of the database ``source`` named ``target``; returns the name."""
    settings = connection.settings_dict
    connection.close()
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(target + suffix).unlink(missing_ok=True)
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return target
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


def _load(name: str, uploads: Path) -> tuple[str, datetime]:
    """The demo loaded into the database ``name``: what the loader printed, and a moment
    no later than its clock."""
    out = io.StringIO()
    started = timezone.now()
    with (
        _connected_to(name),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS, ONEWINDOW_UPLOAD_ROOT=str(uploads)),
    ):
        call_command("load_demo", "--if-empty", stdout=out)
    return out.getvalue(), started


def _shared_folder() -> Path | None:
    """Under pytest-xdist, the folder the processes of one run share the loaded demo
    through (the id the controlling process gave the run names it, ``RUN_VARIABLE``);
    None when the suite runs in one process."""
    run = os.environ.get(RUN_VARIABLE)
    if not run:
        return None
    folder = Path(tempfile.gettempdir()) / f"onewindow-demo-{run}"
    folder.mkdir(exist_ok=True)
    return folder


@contextmanager
def _locked(path: Path):
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _shared_load(folder: Path, source: str, name: str, uploads: Path) -> tuple[str, datetime]:
    """The first process of the run to need the demo loads it and leaves a copy (the
    database and its files) in ``folder``; the others copy that instead of loading it
    again. A process waits only when it reaches a module that reads the demo while
    another is still loading it."""
    ready = folder / "ready.json"
    with _locked(folder / "lock"):
        if ready.exists():
            info = json.loads(ready.read_text())
            _copy_database(info["database"], target=name)
            shutil.copytree(info["uploads"], uploads, dirs_exist_ok=True)
            return info["output"], datetime.fromisoformat(info["started"])
        _copy_database(source, target=name)
        output, started = _load(name, uploads)
        kept = _copy_database(name, target=_kept_name(folder, name))
        shutil.copytree(uploads, folder / "uploads", dirs_exist_ok=True)
        info = {
            "database": kept,
            "vendor": connection.vendor,
            "uploads": str(folder / "uploads"),
            "output": output,
            "started": started.isoformat(),
        }
        ready.write_text(json.dumps(info))
        return output, started


def _kept_name(folder: Path, name: str) -> str:
    if connection.vendor == "sqlite":
        return str(folder / "demo.sqlite3")
    return f"{name}_run"


def drop_shared_demo() -> None:
    """At the end of an xdist run (the controlling process): the run's copy goes."""
    folder = _shared_folder()
    if folder is None:
        return
    ready = folder / "ready.json"
    if ready.exists():
        info = json.loads(ready.read_text())
        if info.get("vendor") == "postgresql":
            _drop_database(info["database"])
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def demo_database(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded (and committed) once for this test process (and, under xdist,
    loaded once for the run and copied by the other processes)."""
    uploads = tmp_path_factory.mktemp("demo-uploads")
    with django_db_blocker.unblock():
        source = connection.settings_dict["NAME"]
        name = _demo_name(source)
        folder = _shared_folder()
        if folder is None:
            _copy_database(source, target=name)
            output, started = _load(name, uploads)
        else:
            output, started = _shared_load(folder, source, name, uploads)
        try:
            yield DemoDatabase(name, output, uploads, started)
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
