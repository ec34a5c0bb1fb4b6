"""Files and faults (R-SEC-1, R-SEC-2): an upload whose transaction rolls back leaves a
file no record names, which the ``files`` sweep and ``onewindow clean-orphan-files``
remove once past the grace period, never touching a file a record names; a disk that
is full while an upload is written refuses it with 507 and keeps nothing of it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from onewindow.core import sweeps
from onewindow.core.errors import Conflict
from onewindow.files import orphans, storage
from onewindow.files.models import StoredFile
from tests.files.conftest import PDF_BYTES, upload

pytestmark = pytest.mark.django_db
LATER = timedelta(hours=2)


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture
def world(upload_root):
    """One file a record names, one whose upload rolled back, one partial write."""
    kept = storage.store_upload(upload("营业执照.pdf", PDF_BYTES))
    with pytest.raises(Conflict), transaction.atomic():
        storage.store_upload(upload("回滚.pdf", PDF_BYTES + b"%2"))
        raise Conflict("test.after_upload", "上传后的检查未通过。")
    (upload_root / ".part-cut-short").write_bytes(b"%PDF-1.4 half")
    (upload_root / "notes.txt").write_text("not ours")  # not a name the storage writes
    orphan = next(
        n for n in files_under(upload_root) if n.endswith(".pdf") and n != kept.storage_name
    )
    return kept, orphan


def test_r_sec_2_a_rolled_back_upload_leaves_a_file_no_record_names(upload_root, world):
    kept, orphan = world
    assert StoredFile.objects.count() == 1
    assert len(files_under(upload_root)) == 4
    assert not StoredFile.objects.filter(storage_name=orphan).exists()


def test_r_sec_1_the_sweep_removes_orphans_past_the_grace_period_only(upload_root, world):
    kept, orphan = world
    young = orphans.sweep(now=timezone.now())  # everything was just written
    assert (young.removed, young.young, young.kept) == (0, 2, 1)

    report = orphans.sweep(now=timezone.now() + LATER)
    assert (report.removed, report.young, report.kept) == (2, 0, 1)
    assert sorted(report.orphans) == sorted([orphan, ".part-cut-short"])
    assert files_under(upload_root) == sorted([kept.storage_name, "notes.txt"])
    assert storage.open_stored(kept).read() == PDF_BYTES


def test_r_sec_1_the_orphan_sweep_is_one_of_the_registered_sweeps(upload_root, world):
    os.utime(upload_root / world[1], (time.time() - 7200, time.time() - 7200))
    summaries = sweeps.run_all(only=["files"])
    assert summaries == [
        f"孤立文件：已删除 1 个，共 {len(PDF_BYTES) + 2} 字节；有记录的文件 1 个；未满保留期的未登记文件 1 个。"
    ]


def test_r_sec_1_the_command_reports_and_removes_only_when_asked(upload_root, world, settings):
    settings.ONEWINDOW_ORPHAN_GRACE_SECONDS = 0
    out = StringIO()
    call_command("clean_orphan_files", "--list", stdout=out)
    lines = out.getvalue().splitlines()
    assert sorted(lines[:2]) == sorted([world[1], ".part-cut-short"])
    assert lines[2].startswith("孤立文件：可删除 2 个（试运行，未删除）")
    assert len(files_under(upload_root)) == 4  # a dry run removes nothing

    out = StringIO()
    call_command("clean_orphan_files", "--delete", stdout=out)
    assert out.getvalue().startswith("孤立文件：已删除 2 个")
    assert files_under(upload_root) == sorted([world[0].storage_name, "notes.txt"])


FULL_DISK = r"""
import json, resource, signal, sys
import django
django.setup()
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from onewindow.core.errors import DomainError
from onewindow.files import storage

settings.ONEWINDOW_UPLOAD_ROOT = sys.argv[1]
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails (EFBIG) instead of killing
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
data = b"%PDF-1.4\n" + b"0" * (256 * 1024)
try:
    storage.store_upload(SimpleUploadedFile("扫描件.pdf", data, content_type="application/pdf"))
    print(json.dumps({"stored": True}))
except DomainError as exc:
    print(json.dumps({"status": exc.status, "code": exc.code, "message": exc.message}))
"""


def test_r_sec_2_a_full_disk_refuses_the_upload_with_507_and_keeps_nothing(tmp_path):
    """The disk is made full for real: the writing process may not grow a file past
    64 KB (RLIMIT_FSIZE), so the kernel fails the write as it does on a full disk."""
    root = tmp_path / "uploads"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "onewindow.settings"}
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["status"] == 507 and answer["code"] == "file.disk_full"
    assert "存储空间不足" in answer["message"]
    assert files_under(root) == []  # nothing half-written left behind
