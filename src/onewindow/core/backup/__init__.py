"""Backup, restore and the restore drill (R-SEC-2): ``onewindow backup``,
``onewindow restore <archive>`` and ``onewindow backup-drill``.

- ``backup_create`` dumps the database (SQLite's online backup API, PostgreSQL's
  ``pg_dump`` in custom format), adds the uploads folder and a manifest of checksums and
  table measures into one archive under ``ONEWINDOW_BACKUP_DIR`` and keeps the
  ``ONEWINDOW_BACKUP_KEEP`` newest.
- ``restore_archive`` checks every checksum before touching anything, refuses a
  database or uploads folder that is not empty unless forced, restores both and compares
  what it restored with the manifest.
- ``drill`` backs up, restores into a scratch database and folder, compares, and drops
  the scratch copy.

The keys (``secrets.json`` or the environment) are not in the archive: keep them apart.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone

from onewindow.core.backup import archive, engines
from onewindow.core.backup.engines import BackupError, Target

__all__ = [
    "BackupError",
    "Comparison",
    "backup_create",
    "backup_folder",
    "compare",
    "drill",
    "restore_archive",
    "upload_folder",
]


def backup_folder() -> Path:
    configured = getattr(settings, "ONEWINDOW_BACKUP_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "backups"


def upload_folder() -> Path:
    """The uploads folder (the same setting ``files.storage.upload_root`` reads)."""
    configured = getattr(settings, "ONEWINDOW_UPLOAD_ROOT", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "uploads"


def keep_count() -> int:
    return int(getattr(settings, "ONEWINDOW_BACKUP_KEEP", 14))


@dataclass
class Made:
    path: Path
    manifest: dict
    pruned: list[Path]

    def summary(self) -> str:
        tables = self.manifest["tables"]
        rows = sum(count for count, _ in tables.values())
        uploads = sum(1 for name in self.manifest["files"] if name.startswith("uploads/"))
        size = self.path.stat().st_size
        lines = [
            f"备份完成：{self.path}（{size / 1024 / 1024:.1f} MB）",
            f"数据库（{self.manifest['engine']}）：{len(tables)} 张表，{rows} 行；上传文件 {uploads} 个。",
        ]
        if self.pruned:
            lines.append(f"按保留份数删除旧备份 {len(self.pruned)} 份。")
        return "\n".join(lines)


def backup_create(
    *, folder: Path | None = None, keep: int | None = None, alias: str = "default"
) -> Made:
    """One archive of the database ``alias`` and the uploads folder."""
    target = Target.of(connections[alias].settings_dict)
    folder = Path(folder) if folder else backup_folder()
    folder.mkdir(parents=True, exist_ok=True)
    at = timezone.localtime()
    with tempfile.TemporaryDirectory(prefix=".work-", dir=folder) as work:
        dump_file = Path(work) / target.dump_name
        tables = engines.dump(target, dump_file)
        path, manifest = archive.write(
            folder,
            at=at,
            kind=target.kind,
            dump_file=dump_file,
            dump_name=target.dump_name,
            tables=tables,
            uploads=upload_folder(),
        )
    pruned = archive.prune(folder, keep if keep is not None else keep_count())
    return Made(path=path, manifest=manifest, pruned=pruned)


@dataclass
class Comparison:
    """What a restore gave back against what the manifest says was backed up."""

    tables: list[tuple[str, int | None, int | None, bool]] = field(default_factory=list)
    files_expected: int = 0
    files_found: int = 0
    file_faults: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(same for *_, same in self.tables) and not self.file_faults

    def report(self) -> str:
        lines = [f"{'表':<40} {'备份':>10} {'恢复':>10}  结果"]
        for table, expected, found, same in self.tables:
            shown = lambda n: "—" if n is None else str(n)  # noqa: E731
            verdict = "一致" if same else "不一致"
            lines.append(f"{table:<40} {shown(expected):>10} {shown(found):>10}  {verdict}")
        bad = sum(1 for *_, same in self.tables if not same)
        lines.append(f"数据表：{len(self.tables)} 张，不一致 {bad} 张（行数与内容哈希逐表比较）。")
        lines.append(
            f"上传文件：备份 {self.files_expected} 个，恢复 {self.files_found} 个，"
            f"不一致 {len(self.file_faults)} 个。"
        )
        lines.extend(f"  文件不一致：{fault}" for fault in self.file_faults[:20])
        lines.append(
            "结论：恢复结果与备份完全一致。" if self.ok else "结论：恢复结果与备份不一致！"
        )
        return "\n".join(lines)


def compare(manifest: dict, target: Target, uploads: Path) -> Comparison:
    found = engines.measure(target)
    expected = manifest["tables"]
    result = Comparison()
    for table in sorted(set(expected) | set(found)):
        want, got = expected.get(table), found.get(table)
        result.tables.append(
            (table, want[0] if want else None, got[0] if got else None, want == got)
        )
    wanted = {
        name.removeprefix("uploads/"): meta
        for name, meta in manifest["files"].items()
        if name.startswith("uploads/")
    }
    present = archive.folder_files(uploads)
    result.files_expected, result.files_found = len(wanted), len(present)
    for name in sorted(set(wanted) | set(present)):
        if name not in present:
            result.file_faults.append(f"{name}（缺失）")
        elif name not in wanted:
            result.file_faults.append(f"{name}（多余）")
        elif present[name]["sha256"] != wanted[name]["sha256"]:
            result.file_faults.append(f"{name}（校验和不符）")
    return result


def restore_archive(
    path: Path,
    *,
    target: Target | None = None,
    uploads: Path | None = None,
    force: bool = False,
    alias: str = "default",
) -> Comparison:
    """Restore ``path`` into ``target`` (by default the database ``alias``) and the
    uploads folder; the comparison with the manifest."""
    target = target or Target.of(connections[alias].settings_dict)
    uploads = Path(uploads) if uploads else upload_folder()
    with tempfile.TemporaryDirectory(prefix="onewindow-restore-") as work:
        manifest = archive.unpack_verified(Path(path), Path(work))
        if manifest["engine"] != target.kind:
            raise BackupError(
                f"备份来自 {manifest['engine']} 数据库，不能恢复到 {target.kind} 数据库。"
            )
        if not force:
            if not engines.is_empty(target):
                raise BackupError(
                    f"目标数据库 {target.name} 不是空的，未做任何改动；确认要覆盖时请加 --force。"
                )
            if uploads.is_dir() and any(uploads.iterdir()):
                raise BackupError(
                    f"目标上传文件夹 {uploads} 不是空的，未做任何改动；确认要覆盖时请加 --force。"
                )
        for conn in connections.all():
            if conn.settings_dict.get("NAME") == target.settings.get("NAME"):
                conn.close()
        engines.restore(target, Path(work) / manifest["database"])
        archive.replace_folder(Path(work) / "uploads", uploads)
    return compare(manifest, target, uploads)


@dataclass
class Drilled:
    made: Made
    comparison: Comparison
    scratch: str

    @property
    def ok(self) -> bool:
        return self.comparison.ok

    def report(self) -> str:
        return "\n".join(
            [
                "备份恢复演练",
                self.made.summary(),
                f"恢复到临时库：{self.scratch}（演练后已删除）",
                self.comparison.report(),
            ]
        )


def drill(
    *, folder: Path | None = None, alias: str = "default", keep: int | None = None
) -> Drilled:
    """Back up, restore into a scratch database and folder, compare, drop the scratch."""
    made = backup_create(folder=folder, alias=alias, keep=keep)
    base = Target.of(connections[alias].settings_dict)
    with tempfile.TemporaryDirectory(prefix="onewindow-drill-") as work:
        if base.kind == "sqlite":
            name = str(Path(work) / "drill.sqlite3")
        else:
            name = f"{base.name}_drill_{os.getpid()}"[:63]
        scratch = engines.create_database(base, name)
        try:
            comparison = restore_archive(made.path, target=scratch, uploads=Path(work) / "uploads")
        finally:
            engines.drop_database(base, scratch)
    return Drilled(made=made, comparison=comparison, scratch=name)
