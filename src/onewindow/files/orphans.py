"""Orphan uploads (R-SEC-1, R-SEC-2): files under the upload root that no record names.

A file is written and moved into place before its ``StoredFile`` row, inside the
caller's transaction; when that transaction rolls back (a check after the upload fails,
the process dies), the row is gone and the file stays. So are the ``.part-`` files of a
write cut short. ``sweep`` finds both and removes them once they are older than
``ONEWINDOW_ORPHAN_GRACE_SECONDS`` (default an hour: a transaction still running has
not named its file yet). A file some ``StoredFile`` row names is never removed: the
names are read again right before each removal.

Registered as the ``files`` sweep (``onewindow sweep``); ``onewindow clean-orphan-files``
reports the same and removes only with ``--delete``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from onewindow.files.models import StoredFile
from onewindow.files.storage import STORAGE_NAME, upload_root

DEFAULT_GRACE_SECONDS = 3600


def grace() -> timedelta:
    return timedelta(
        seconds=int(getattr(settings, "ONEWINDOW_ORPHAN_GRACE_SECONDS", DEFAULT_GRACE_SECONDS))
    )


@dataclass
class OrphanReport:
    kept: int = 0  # files a record names
    young: int = 0  # unnamed, but younger than the grace period
    orphans: list[str] = field(default_factory=list)  # relative names, found or removed
    removed: int = 0
    bytes: int = 0
    delete: bool = True

    def summary(self) -> str:
        if self.delete:
            done = f"已删除 {self.removed} 个"
        else:
            done = f"可删除 {len(self.orphans)} 个（试运行，未删除）"
        return (
            f"孤立文件：{done}，共 {self.bytes} 字节；有记录的文件 {self.kept} 个；"
            f"未满保留期的未登记文件 {self.young} 个。"
        )


def _candidates(root: Path):
    """Every file under the root, with its name relative to it (``ab/<hex>.pdf`` or
    ``.part-…``); anything else found there (a folder, a link) is left alone."""
    if not root.is_dir():
        return
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            yield path.relative_to(root).as_posix(), path


def _is_ours(relative: str) -> bool:
    """Only what the storage writes: its stored names and its partial files."""
    return bool(STORAGE_NAME.match(relative)) or Path(relative).name.startswith(".part-")


def sweep(now: datetime | None = None, *, delete: bool = True) -> OrphanReport:
    now = now or timezone.now()
    root = upload_root()
    cutoff = (now - grace()).timestamp()
    report = OrphanReport(delete=delete)
    found = [(rel, path) for rel, path in _candidates(root) if _is_ours(rel)]
    named = set(
        StoredFile.objects.filter(storage_name__in=[rel for rel, _ in found]).values_list(
            "storage_name", flat=True
        )
    )
    for rel, path in found:
        if rel in named:
            report.kept += 1
            continue
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        if stat.st_mtime > cutoff:
            report.young += 1
            continue
        report.orphans.append(rel)
        report.bytes += stat.st_size
        if delete and not StoredFile.objects.filter(storage_name=rel).exists():
            path.unlink(missing_ok=True)
            report.removed += 1
    return report
