"""Catalog imports started from the pages: the apply runs in a background thread and
reports its progress into the cache, where the job page (and its small JSON endpoint)
reads it. A job is seen only by the user who started it."""

from __future__ import annotations

import contextvars
import logging
import threading
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connections

from onewindow.catalog.excel.applying import import_catalog

logger = logging.getLogger(__name__)
TTL_SECONDS = 6 * 3600
UPLOAD_DIR_NAME = "catalog-imports"
# The states of a job: applying, applied, refused with the workbook's errors, broken.
RUNNING, DONE, FAILED, ERROR = "running", "done", "failed", "error"


def upload_dir() -> Path:
    path = Path(settings.DATA_DIR) / UPLOAD_DIR_NAME
    path.mkdir(parents=True, exist_ok=True)
    return path


def upload_store(data: bytes) -> str:
    """Keep an uploaded workbook between its check and the confirmation; a token names it."""
    token = uuid.uuid4().hex
    (upload_dir() / f"{token}.xlsx").write_bytes(data)
    return token


def upload_path(token: str) -> Path | None:
    if not token or not token.isalnum() or len(token) != 32:
        return None
    path = upload_dir() / f"{token}.xlsx"
    return path if path.exists() else None


def upload_discard(token: str | None) -> None:
    path = upload_path(token or "")
    if path is not None:
        path.unlink(missing_ok=True)


def _key(job_id: str) -> str:
    return f"onewindow:catalog-import:{job_id}"


def _update(job_id: str, **changes) -> None:
    data = cache.get(_key(job_id)) or {}
    data.update(changes)
    cache.set(_key(job_id), data, TTL_SECONDS)


def job_start(*, user, token: str, publish: bool, filename: str) -> str:
    """Start applying an uploaded workbook in the background; returns the job's id."""
    job_id = uuid.uuid4().hex
    cache.set(
        _key(job_id),
        {
            "user": user.pk,
            "state": RUNNING,
            "done": 0,
            "total": 0,
            "percent": 0,
            "message": "正在检查文件",
            "filename": filename,
            "publish": publish,
            "report": None,
        },
        TTL_SECONDS,
    )
    context = contextvars.copy_context()  # keeps the request's client address for the audit
    thread = threading.Thread(
        target=context.run,
        args=(_run, job_id, user.pk, token, publish),
        name=f"catalog-import-{job_id[:8]}",
        daemon=True,
    )
    thread.start()
    return job_id


def job_get(*, user, job_id: str) -> dict | None:
    """The job's state, or None when it is unknown or someone else's."""
    if not job_id.isalnum():
        return None
    data = cache.get(_key(job_id))
    if not data or data.get("user") != user.pk:
        return None
    return data


def job_flags(job: dict) -> dict[str, bool]:
    """Which state the job is in, by name, for the page."""
    return {state: job.get("state") == state for state in (RUNNING, DONE, FAILED, ERROR)}


def _run(job_id: str, user_id: int, token: str, publish: bool) -> None:
    path = upload_path(token)
    try:
        if path is None:
            _update(job_id, state=ERROR, message="上传的文件已失效，请重新上传。")
            return
        user = get_user_model().objects.get(pk=user_id)

        def progress(done: int, total: int, message: str) -> None:
            percent = 100 if total == 0 else min(100, 100 * done // total)
            _update(job_id, done=done, total=total, percent=percent, message=message)

        report = import_catalog(path.read_bytes(), actor=user, publish=publish, progress=progress)
        if report.applied:
            _update(job_id, state=DONE, percent=100, message="导入完成", report=report.as_dict())
        else:
            _update(
                job_id, state=FAILED, message="导入未执行，没有任何修改", report=report.as_dict()
            )
    except Exception:
        logger.exception("catalog import %s failed", job_id)
        _update(job_id, state=ERROR, message="导入时发生系统错误，没有任何修改。请联系系统管理员。")
    finally:
        if path is not None:
            path.unlink(missing_ok=True)
        connections.close_all()
