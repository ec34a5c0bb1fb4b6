"""The two databases a deployment runs on, each dumped, restored and measured its own way.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent
snapshot while the server runs. PostgreSQL: ``pg_dump --format=custom`` inside an
exported snapshot, and ``pg_restore``; the per-table counts and content hashes are taken
in that same snapshot, so they describe exactly what the dump holds.

A measure is ``{table: [rows, content hash]}``; the hash does not depend on row order.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

Measure = dict[str, list]


class BackupError(Exception):
    """A backup, restore or drill that cannot go on; the message is for the operator."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Target:
    """Where a database lives: ``kind`` is ``sqlite`` or ``postgresql``."""

    kind: str
    settings: dict

    @classmethod
    def of(cls, settings_dict: dict) -> Target:
        engine = settings_dict["ENGINE"]
        if engine.endswith("sqlite3"):
            return cls("sqlite", dict(settings_dict))
        if engine.endswith("postgresql"):
            return cls("postgresql", dict(settings_dict))
        raise BackupError(f"不支持的数据库类型：{engine}")

    @property
    def name(self) -> str:
        return str(self.settings["NAME"])

    def renamed(self, name: str) -> Target:
        return Target(self.kind, {**self.settings, "NAME": name})

    @property
    def dump_name(self) -> str:
        return "database.sqlite3" if self.kind == "sqlite" else "database.dump"

    # --- PostgreSQL connection details -----------------------------------------------
    def conninfo(self, dbname: str | None = None) -> str:
        s = self.settings
        parts = {
            "dbname": dbname or s["NAME"],
            "host": s.get("HOST") or "",
            "port": str(s.get("PORT") or ""),
            "user": s.get("USER") or "",
            "password": s.get("PASSWORD") or "",
        }
        return psycopg.conninfo.make_conninfo(**{k: v for k, v in parts.items() if v})

    def pg_args(self) -> list[str]:
        s = self.settings
        args = []
        if s.get("HOST"):
            args += ["--host", str(s["HOST"])]
        if s.get("PORT"):
            args += ["--port", str(s["PORT"])]
        if s.get("USER"):
            args += ["--username", str(s["USER"])]
        return args + ["--no-password"]

    def pg_env(self) -> dict:
        env = dict(os.environ)
        if self.settings.get("PASSWORD"):
            env["PGPASSWORD"] = str(self.settings["PASSWORD"])
        return env


def _run(command: list[str], env: dict, what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"{what}失败：找不到程序 {command[0]}（请安装 PostgreSQL 客户端）"
        ) from None
    if done.returncode != 0:
        raise BackupError(f"{what}失败：{done.stderr.strip()[-800:]}")


# --- dump --------------------------------------------------------------------------------
def dump(target: Target, into: Path) -> Measure:
    """Write the database to ``into`` and measure what was written."""
    if target.kind == "sqlite":
        source = sqlite3.connect(f"file:{target.name}?mode=ro", uri=True)
        copy = sqlite3.connect(into)
        try:
            source.backup(copy)
        finally:
            source.close()
            copy.close()
        return measure(Target("sqlite", {"NAME": str(into)}))
    with psycopg.connect(target.conninfo()) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        command = ["pg_dump", *target.pg_args(), "--format=custom", f"--snapshot={snapshot}"]
        command += ["--no-owner", "--file", str(into), "--dbname", target.name]
        _run(command, target.pg_env(), "数据库导出")
        counted = _measure_pg(conn)
        conn.rollback()
    return counted


# --- restore -----------------------------------------------------------------------------
def is_empty(target: Target) -> bool:
    """True when the database has no table of its own (a new or wiped database)."""
    if target.kind == "sqlite":
        path = Path(target.name)
        if not path.exists() or path.stat().st_size == 0:
            return True
        with _sqlite(target) as conn:
            return not _sqlite_tables(conn)
    with psycopg.connect(target.conninfo()) as conn:
        return not _pg_tables(conn)


def restore(target: Target, dump_file: Path) -> None:
    """Replace the database's content by the dump's (the caller checked it may)."""
    if target.kind == "sqlite":
        Path(target.name).parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(f"file:{dump_file}?mode=ro", uri=True)
        dest = sqlite3.connect(target.name)
        try:
            source.backup(dest)  # the destination's pages are replaced whole
        finally:
            source.close()
            dest.close()
        return
    with psycopg.connect(target.conninfo(), autocommit=True) as conn:
        # What the dump does not name must not stay: the schema is made anew.
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")
    command = ["pg_restore", *target.pg_args(), "--no-owner", "--exit-on-error"]
    command += ["--dbname", target.name, str(dump_file)]
    _run(command, target.pg_env(), "数据库恢复")


# --- scratch databases (the drill) -----------------------------------------------------
def create_database(target: Target, name: str) -> Target:
    scratch = target.renamed(name)
    if target.kind == "sqlite":
        return scratch
    with psycopg.connect(target.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                sql.Identifier(name)
            )
        )
    return scratch


def drop_database(base: Target, scratch: Target) -> None:
    if scratch.kind == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(scratch.name + suffix).unlink(missing_ok=True)
        return
    with psycopg.connect(base.conninfo(), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch.name)))


# --- measuring ---------------------------------------------------------------------------
def measure(target: Target) -> Measure:
    if target.kind == "sqlite":
        with _sqlite(target) as conn:
            return _measure_sqlite(conn)
    with psycopg.connect(target.conninfo()) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        counted = _measure_pg(conn)
        conn.rollback()
        return counted


class _sqlite:
    def __init__(self, target: Target):
        self.path = target.name

    def __enter__(self) -> sqlite3.Connection:
        self.conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        return self.conn

    def __exit__(self, *exc) -> None:
        self.conn.close()


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name"
    )
    return [name for (name,) in rows]


def _measure_sqlite(conn: sqlite3.Connection) -> Measure:
    found: Measure = {}
    for table in _sqlite_tables(conn):
        rows, total = 0, 0
        quoted = '"' + table.replace('"', '""') + '"'
        for row in conn.execute(f"SELECT * FROM {quoted}"):  # noqa: S608 (a table name read from the schema)
            rows += 1
            digest = hashlib.sha256(repr(row).encode()).digest()
            total = (total + int.from_bytes(digest, "big")) % (1 << 256)
        found[table] = [rows, f"{total:064x}"]
    return found


def _pg_tables(conn) -> list[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    )
    return [name for (name,) in rows]


def _measure_pg(conn) -> Measure:
    found: Measure = {}
    for table in _pg_tables(conn):
        query = sql.SQL(
            "SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' ORDER BY md5(t::text))), '')"
            " FROM {} AS t"
        ).format(sql.Identifier(table))
        rows, digest = conn.execute(query).fetchone()
        found[table] = [rows, digest]
    return found
