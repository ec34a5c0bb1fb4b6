"""Uploads kept safely (R-CASE-6): size limit, type by content, generated names outside
the web root, digest recorded, written atomically; read back only as a download.

Allowed types are told by their first bytes, never by the name or the type the browser
claims: PDF, JPEG, PNG and OFD (the Chinese fixed-layout format: a ZIP with ``OFD.xml``
at its root). Everything else — HTML, SVG, scripts, executables, office files — is
refused, whatever it is called.

A full disk (or a quota, or the size a process may write) while writing refuses the
upload with ``file.disk_full`` (HTTP 507) and removes what was written of it.
Files left by a transaction that rolled back are removed by ``files.orphans``.

Settings: ``ONEWINDOW_UPLOAD_MAX_BYTES`` (default 10 MB) and ``ONEWINDOW_UPLOAD_ROOT``
(default ``DATA_DIR / "uploads"``).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import tempfile
import unicodedata
import zipfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone

from onewindow.core.errors import InsufficientStorage, InvalidInput, NotFound
from onewindow.files.models import StoredFile

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
CHUNK = 64 * 1024

PDF, JPEG, PNG, OFD = "application/pdf", "image/jpeg", "image/png", "application/ofd"
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", OFD: ".ofd"}
LABELS = {PDF: "PDF", JPEG: "JPEG 图片", PNG: "PNG 图片", OFD: "OFD 版式文件"}
# Shown in the browser; anything else is always downloaded.
INLINE_TYPES = frozenset({PDF, JPEG, PNG})
ACCEPT = ".pdf,.jpg,.jpeg,.png,.ofd,application/pdf,image/jpeg,image/png"

STORAGE_NAME = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{32}\.(pdf|jpg|png|ofd)$")


def max_bytes() -> int:
    return int(getattr(settings, "ONEWINDOW_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def upload_root() -> Path:
    configured = getattr(settings, "ONEWINDOW_UPLOAD_ROOT", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "uploads"


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _too_large() -> InvalidInput:
    message = f"文件过大：单个文件不能超过 {human_size(max_bytes())}。"
    return InvalidInput("file.too_large", message, {"file": message})


def _not_allowed() -> InvalidInput:
    message = "文件类型不允许：只能上传 PDF、JPG、PNG 或 OFD 文件（按文件内容识别，改扩展名无效）。"
    return InvalidInput("file.type_not_allowed", message, {"file": message})


def _empty() -> InvalidInput:
    message = "请选择要上传的文件（文件不能为空）。"
    return InvalidInput("file.empty", message, {"file": message})


# No space left, over quota, or over the file size the process may write.
DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def _disk_full() -> InsufficientStorage:
    message = (
        "服务器存储空间不足，文件未能保存，办件和已上传的材料不受影响。请稍后重试或联系管理员。"
    )
    return InsufficientStorage("file.disk_full", message, {"file": message})


def sniff(head: bytes) -> str | None:
    """The allowed type the first bytes announce, or None. ZIP-based OFD is confirmed
    by ``_is_ofd`` on the whole file."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        return OFD
    return None


def _is_ofd(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "OFD.xml" in names and all(not n.startswith("/") and ".." not in n for n in names)


def clean_name(name: str) -> str:
    """The user's file name, for display and the download's name only: no folders, no
    control characters, at most 200 characters."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:190] + dot + ext[:9]) if dot and len(ext) < 10 else name[:200]
    return name or "文件"


class LimitedUploadHandler(FileUploadHandler):
    """Put before Django's own handlers: a file past the limit is skipped while it
    streams in (nothing of it is kept) and the request is marked, so the view can say
    why instead of storing gigabytes first."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > max_bytes():
            self.request.upload_too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def limit_uploads(request) -> None:
    """Call before the request's body is read (before ``request.POST``)."""
    request.upload_too_large = False
    request.upload_handlers.insert(0, LimitedUploadHandler(request))


def check_request(request) -> None:
    """After the upload handlers ran: a file past the limit is refused."""
    request.FILES  # noqa: B018  (the body is parsed here if it was not yet)
    if getattr(request, "upload_too_large", False):
        raise _too_large()


def _path(storage_name: str) -> Path:
    if not STORAGE_NAME.match(storage_name or ""):
        raise NotFound("file.not_found", "未找到该文件。")
    return upload_root() / storage_name


def store_upload(upload, *, uploaded_by=None, now: datetime | None = None) -> StoredFile:
    """Check and keep an uploaded file (a Django ``UploadedFile``); returns the new
    ``StoredFile``. Nothing is kept when a check fails."""
    if upload is None:
        raise _empty()
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise _too_large()
    root = upload_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".part-", dir=root)
    except OSError as exc:
        if exc.errno in DISK_FULL:
            raise _disk_full() from exc
        raise
    digest, size, head = hashlib.sha256(), 0, b""
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            if hasattr(upload, "seek"):
                upload.seek(0)
            for chunk in upload.chunks(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _too_large()
                if len(head) < 16:
                    head += chunk[: 16 - len(head)]
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise _empty()
        content_type = sniff(head)
        if content_type is None or (content_type == OFD and not _is_ofd(tmp)):
            raise _not_allowed()
        storage_name = f"{secrets.token_hex(1)}/{secrets.token_hex(16)}{EXTENSIONS[content_type]}"
        final = root / storage_name
        final.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp, 0o640)
        os.replace(tmp, final)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno in DISK_FULL:
            raise _disk_full() from exc
        raise
    try:
        with transaction.atomic():
            return StoredFile.objects.create(
                storage_name=storage_name,
                original_name=clean_name(getattr(upload, "name", "")),
                content_type=content_type,
                size=size,
                sha256=digest.hexdigest(),
                uploaded_by=uploaded_by
                if getattr(uploaded_by, "is_authenticated", False)
                else None,
                uploaded_at=now or timezone.now(),
            )
    except BaseException:
        final.unlink(missing_ok=True)
        raise


def open_stored(stored: StoredFile):
    try:
        return open(_path(stored.storage_name), "rb")  # noqa: SIM115 (FileResponse closes it)
    except FileNotFoundError:
        raise NotFound("file.not_found", "文件已不存在，请联系管理员。") from None


def file_response(stored: StoredFile) -> FileResponse:
    """The bytes as stored, with the stored type; only PDFs and images are shown in the
    browser, anything else is a download; the browser may not guess another type."""
    response = FileResponse(
        open_stored(stored),
        content_type=stored.content_type,
        as_attachment=stored.content_type not in INLINE_TYPES,
        filename=stored.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
