"""One backup is one archive: ``onewindow-backup-<YYYYmmdd-HHMMSS>.tar.gz`` holding the
database (``database.sqlite3`` or ``database.dump``), the uploads folder under
``uploads/`` and ``manifest.json``: the SHA-256 and size of every other member, and the
row count and content hash of every table as the dump holds them.

An archive is read only after every member has been checked against the manifest; a
member the manifest does not name, a path leaving the folder, a link or a wrong checksum
stops the restore before anything is touched.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tarfile
from datetime import datetime
from pathlib import Path, PurePosixPath

from onewindow.core.backup.engines import BackupError, Measure

MANIFEST = "manifest.json"
FORMAT = 1
PREFIX = "onewindow-backup-"
SUFFIX = ".tar.gz"
_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def folder_files(folder: Path) -> dict[str, dict]:
    """Every regular file under ``folder`` by its relative POSIX path: sha256 and size."""
    if not folder.is_dir():
        return {}
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            rel = path.relative_to(folder).as_posix()
            found[rel] = {"sha256": sha256_of(path), "size": path.stat().st_size}
    return found


def write(
    folder: Path,
    *,
    at: datetime,
    kind: str,
    dump_file: Path,
    dump_name: str,
    tables: Measure,
    uploads: Path,
) -> tuple[Path, dict]:
    """Write the archive into ``folder`` (atomically: a partial archive is never left
    under its final name) and return its path and manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    upload_files = folder_files(uploads)
    files = {dump_name: {"sha256": sha256_of(dump_file), "size": dump_file.stat().st_size}}
    files.update({f"uploads/{rel}": meta for rel, meta in upload_files.items()})
    manifest = {
        "format": FORMAT,
        "product": "onewindow",
        "created_at": at.isoformat(),
        "engine": kind,
        "database": dump_name,
        "files": files,
        "tables": tables,
    }
    stem = f"{PREFIX}{at:%Y%m%d-%H%M%S}"
    final = folder / f"{stem}{SUFFIX}"
    n = 1
    while final.exists():
        n += 1
        final = folder / f"{stem}-{n}{SUFFIX}"
    partial = final.with_name(final.name + ".partial")
    body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(body)
        info.mtime = int(at.timestamp())
        tar.addfile(info, _BytesReader(body))
        tar.add(dump_file, arcname=dump_name, recursive=False)
        for rel in upload_files:
            tar.add(uploads / rel, arcname=f"uploads/{rel}", recursive=False)
    partial.replace(final)
    return final, manifest


class _BytesReader:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.at + size
        chunk, self.at = self.data[self.at : end], min(end, len(self.data))
        return chunk


def archives(folder: Path) -> list[Path]:
    """The archives in ``folder``, oldest first (the names sort by time)."""
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file()), key=_order)


_NAME = re.compile(r"^onewindow-backup-(\d{8}-\d{6})(?:-(\d+))?\.tar\.gz$")


def _order(path: Path) -> tuple[str, int, str]:
    """By the time in the name, then the number added to a second archive of one second."""
    found = _NAME.match(path.name)
    if not found:
        return ("", 0, path.name)
    return (found.group(1), int(found.group(2) or 1), path.name)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest archives; the deleted ones."""
    found = archives(folder)
    gone = found[: max(len(found) - max(keep, 1), 0)]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts


def unpack_verified(archive: Path, into: Path) -> dict:
    """Check every member of ``archive`` against its manifest while unpacking it into
    ``into``; the manifest. Raises ``BackupError`` (in Chinese) at the first fault."""
    if not archive.is_file():
        raise BackupError(f"找不到备份文件：{archive}")
    try:
        tar = tarfile.open(archive, "r:gz")
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"备份文件无法读取（已损坏或不是本系统的备份）：{exc}") from None
    with tar:
        try:
            manifest = _read_manifest(tar)
            expected = manifest["files"]
            seen: set[str] = set()
            for member in tar:
                if member.name == MANIFEST:
                    continue
                if not member.isfile() or not _safe_name(member.name):
                    raise BackupError(f"备份中有不允许的条目：{member.name}")
                if member.name not in expected:
                    raise BackupError(f"备份中有清单未列出的文件：{member.name}")
                target = into / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with tar.extractfile(member) as source, target.open("wb") as out:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                if digest.hexdigest() != expected[member.name]["sha256"]:
                    raise BackupError(f"校验和不符，备份已损坏：{member.name}")
                seen.add(member.name)
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise BackupError(f"备份文件读取中断（已损坏或不完整）：{exc}") from None
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"备份缺少清单中的文件：{'、'.join(missing[:5])}")
    return manifest


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        manifest = json.loads(tar.extractfile(member).read().decode())
    except (KeyError, AttributeError, ValueError):
        raise BackupError("备份中没有可读的清单（manifest.json），不是本系统的备份。") from None
    if manifest.get("product") != "onewindow" or manifest.get("format") != FORMAT:
        raise BackupError("备份清单的格式不被支持。")
    for key in ("engine", "database", "files", "tables"):
        if key not in manifest:
            raise BackupError(f"备份清单不完整：缺少 {key}。")
    return manifest


def replace_folder(source: Path, target: Path) -> None:
    """Make ``target`` hold exactly what ``source`` holds."""
    target.mkdir(parents=True, exist_ok=True)
    for child in target.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if source.is_dir():
        shutil.copytree(source, target, dirs_exist_ok=True)
