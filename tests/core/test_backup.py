"""Backup, restore and the restore drill (R-SEC-2) on the database the suite runs on.

pg_dump and SQLite's backup API read what is committed, so these tests commit their
world (transactional tests) and each builds a small one: a root account, two regions
(with their audit rows) and two uploaded files.
"""

from __future__ import annotations

import io
import sqlite3
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from onewindow.core.backup import (
    BackupError,
    backup_create,
    compare,
    drill,
    engines,
    restore_archive,
)
from onewindow.core.backup.engines import Target
from onewindow.core.models import AuditEvent
from onewindow.org import services as org_services
from onewindow.org.models import Level, Region

pytestmark = pytest.mark.django_db(transaction=True)

FILES = {"ab/0123456789abcdef0123456789abcdef.pdf": b"%PDF-1.4 one", "cd/note.png": b"\x89PNG two"}


@pytest.fixture
def world(settings, tmp_path, root):
    uploads = tmp_path / "uploads"
    for rel, body in FILES.items():
        (uploads / rel).parent.mkdir(parents=True, exist_ok=True)
        (uploads / rel).write_bytes(body)
    settings.ONEWINDOW_UPLOAD_ROOT = str(uploads)
    settings.ONEWINDOW_BACKUP_DIR = str(tmp_path / "backups")
    pref = org_services.region_create(
        actor=root, code="622900", name="临夏回族自治州", level=Level.PREFECTURE, parent=None
    )
    org_services.region_create(
        actor=root, code="622921", name="临夏县", level=Level.COUNTY, parent=pref
    )
    return uploads


@pytest.fixture
def scratch(tmp_path):
    """An empty database beside the test database (PostgreSQL: ``<test db>_scratch``)."""
    base = Target.of(connection.settings_dict)
    name = str(tmp_path / "scratch.sqlite3") if base.kind == "sqlite" else f"{base.name}_scratch"
    target = engines.create_database(base, name)
    yield target
    engines.drop_database(base, target)


def test_r_sec_2_backup_drill_gives_back_every_row_and_file(world, tmp_path):
    out = io.StringIO()
    call_command("backup_drill", stdout=out)
    report = out.getvalue()
    assert "结论：恢复结果与备份完全一致。" in report
    assert "上传文件：备份 2 个，恢复 2 个，不一致 0 个。" in report

    result = drill(folder=tmp_path / "again")
    assert result.ok
    rows = {table: (want, got) for table, want, got, _ in result.comparison.tables}
    assert rows["core_user"] == (1, 1)
    assert rows["org_region"] == (2, 2)
    audited = AuditEvent.objects.count()
    assert audited >= 2 and rows["core_auditevent"] == (audited, audited)
    # The scratch copy is gone after the drill.
    if connection.vendor == "postgresql":
        with psycopg.connect(Target.of(connection.settings_dict).conninfo()) as conn:
            left = conn.execute(
                "SELECT count(*) FROM pg_database WHERE datname = %s", [result.scratch]
            ).fetchone()[0]
        assert left == 0
    else:
        assert not Path(result.scratch).exists()


def test_r_sec_2_backup_archive_holds_database_uploads_and_manifest_and_keeps_n(world, tmp_path):
    folder = tmp_path / "kept"
    made = [backup_create(folder=folder, keep=2) for _ in range(3)]
    left = sorted(p.name for p in folder.glob("onewindow-backup-*.tar.gz"))
    assert left == sorted(m.path.name for m in made[1:])
    assert made[2].pruned == [made[0].path]
    with tarfile.open(made[2].path) as tar:
        names = sorted(tar.getnames())
    dump = "database.sqlite3" if connection.vendor == "sqlite" else "database.dump"
    assert names == sorted(["manifest.json", dump] + [f"uploads/{rel}" for rel in FILES])
    manifest = made[2].manifest
    assert manifest["tables"]["org_region"][0] == 2
    assert set(manifest["files"]) == {dump} | {f"uploads/{rel}" for rel in FILES}


def test_r_sec_2_restore_refuses_a_non_empty_target_and_changes_nothing(world, tmp_path):
    made = backup_create(folder=tmp_path / "b")
    Region.objects.filter(code="622921").delete()
    with pytest.raises(CommandError, match="不是空的，未做任何改动；确认要覆盖时请加 --force"):
        call_command("restore", str(made.path))
    assert Region.objects.count() == 1  # the deletion stays: nothing was restored


def test_r_sec_2_restore_force_puts_back_deleted_rows_and_files(world, tmp_path):
    made = backup_create(folder=tmp_path / "b")
    Region.objects.filter(code="622921").delete()
    get_user_model().objects.create_user("later", password="x-Later-2026")
    (world / "cd" / "note.png").unlink()
    (world / "stray.pdf").write_bytes(b"%PDF- not backed up")

    out = io.StringIO()
    call_command("restore", str(made.path), "--force", stdout=out)
    assert "恢复完成。" in out.getvalue()
    connection.close()
    assert sorted(Region.objects.values_list("code", flat=True)) == ["622900", "622921"]
    assert not get_user_model().objects.filter(username="later").exists()
    assert sorted(
        p.relative_to(world).as_posix() for p in world.rglob("*") if p.is_file()
    ) == sorted(FILES)
    assert (world / "cd" / "note.png").read_bytes() == FILES["cd/note.png"]


def test_r_sec_2_a_tampered_archive_is_refused_before_anything_is_touched(world, tmp_path, scratch):
    made = backup_create(folder=tmp_path / "b")
    tampered = tmp_path / "onewindow-backup-tampered.tar.gz"
    with tarfile.open(made.path) as source, tarfile.open(tampered, "w:gz") as out:
        for member in source:
            body = source.extractfile(member).read()
            if member.name == "uploads/cd/note.png":
                body = b"\x89PNG changed"
                member.size = len(body)
            out.addfile(member, io.BytesIO(body))
    target_uploads = tmp_path / "restored"
    with pytest.raises(BackupError, match="校验和不符，备份已损坏：uploads/cd/note.png"):
        restore_archive(tampered, target=scratch, uploads=target_uploads)
    assert engines.is_empty(scratch)
    assert not target_uploads.exists()

    broken = tmp_path / "onewindow-backup-broken.tar.gz"
    broken.write_bytes(made.path.read_bytes()[:200])
    with pytest.raises(BackupError, match="已损坏"):
        restore_archive(broken, target=scratch, uploads=target_uploads)
    assert engines.is_empty(scratch)


def test_r_sec_2_the_comparison_finds_a_changed_row_a_missing_and_a_stray_file(
    world, tmp_path, scratch
):
    made = backup_create(folder=tmp_path / "b")
    uploads = tmp_path / "restored"
    assert restore_archive(made.path, target=scratch, uploads=uploads).ok
    if scratch.kind == "sqlite":
        with sqlite3.connect(scratch.name) as conn:
            conn.execute("UPDATE org_region SET name = '改过' WHERE code = '622921'")
    else:
        with psycopg.connect(scratch.conninfo()) as conn:
            conn.execute("UPDATE org_region SET name = '改过' WHERE code = '622921'")
            rows = conn.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'core_auditevent_no_change'"
            ).fetchone()[0]
        assert rows >= 1  # the append-only trigger came back with the schema
    (uploads / "ab" / "0123456789abcdef0123456789abcdef.pdf").unlink()
    (uploads / "extra.pdf").write_bytes(b"%PDF-")
    result = compare(made.manifest, scratch, uploads)
    assert not result.ok
    bad = [table for table, _, _, same in result.tables if not same]
    assert bad == ["org_region"]
    assert result.file_faults == [
        "ab/0123456789abcdef0123456789abcdef.pdf（缺失）",
        "extra.pdf（多余）",
    ]
    assert "结论：恢复结果与备份不一致！" in result.report()
