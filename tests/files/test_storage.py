"""Uploads kept safely (R-CASE-6): type by content, size limit, generated names outside
the web root, digest recorded, nothing kept when a check fails; served as stored."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import checks

from onewindow.core.errors import InvalidInput
from onewindow.files import storage
from onewindow.files.models import StoredFile
from tests.files.conftest import PDF_BYTES, image_bytes, upload, zip_bytes

pytestmark = pytest.mark.django_db


def _kept(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_r_case_6_a_valid_pdf_is_kept_under_a_generated_name_outside_the_web_root(settings):
    settings.ONEWINDOW_UPLOAD_ROOT = None  # the default: DATA_DIR / "uploads"
    stored = storage.store_upload(upload("营业执照 马小明.pdf", PDF_BYTES), uploaded_by=None)
    path = Path(django_settings.DATA_DIR) / "uploads" / stored.storage_name
    try:
        assert path.read_bytes() == PDF_BYTES
        assert stored.content_type == "application/pdf" and stored.size == len(PDF_BYTES)
        assert stored.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
        assert stored.original_name == "营业执照 马小明.pdf"
        assert "马小明" not in stored.storage_name and "营业执照" not in stored.storage_name
        for web_root in (settings.STATIC_ROOT, settings.MEDIA_ROOT):
            assert not path.resolve().is_relative_to(Path(web_root).resolve())
        again = storage.store_upload(upload("营业执照 马小明.pdf", PDF_BYTES))
        assert again.storage_name != stored.storage_name  # never the user's name, never reused
        assert again.sha256 == stored.sha256
    finally:
        for s in StoredFile.objects.all():
            (Path(django_settings.DATA_DIR) / "uploads" / s.storage_name).unlink(missing_ok=True)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("photo.jpg", image_bytes("JPEG"), "image/jpeg"),
        ("scan.png", image_bytes("PNG"), "image/png"),
        (
            "licence.ofd",
            zip_bytes({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"}),
            "application/ofd",
        ),
        ("actually-a-pdf.jpg", PDF_BYTES, "application/pdf"),
    ],
)
def test_r_case_6_allowed_types_are_told_by_their_content(upload_root, name, data, content_type):
    stored = storage.store_upload(upload(name, data, "application/octet-stream"))
    assert stored.content_type == content_type
    assert (upload_root / stored.storage_name).read_bytes() == data


@pytest.mark.parametrize(
    "name,data",
    [
        ("申请书.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("照片.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64),
        ("run.jpg", b"#!/bin/sh\nrm -rf /\n"),
        ("form.pdf", zip_bytes({"word/document.xml": b"<w:document/>"})),
        ("broken.ofd", b"PK\x03\x04 not really a zip"),
        ("note.pdf", "申请说明".encode()),
    ],
)
def test_r_case_6_everything_else_is_refused_whatever_its_name(upload_root, name, data):
    with pytest.raises(InvalidInput) as refused:
        storage.store_upload(upload(name, data))
    assert refused.value.code == "file.type_not_allowed"
    assert "PDF" in refused.value.message and "文件类型不允许" in refused.value.message
    assert not StoredFile.objects.exists() and _kept(upload_root) == []


def test_r_case_6_an_oversized_file_is_refused_and_nothing_is_kept(upload_root, settings):
    settings.ONEWINDOW_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(InvalidInput) as refused:
        storage.store_upload(upload("大文件.pdf", PDF_BYTES + b"0" * 2000))
    assert refused.value.code == "file.too_large" and "1.0 KB" in refused.value.message
    assert not StoredFile.objects.exists() and _kept(upload_root) == []
    assert storage.store_upload(upload("刚好.pdf", PDF_BYTES)).size == len(PDF_BYTES)


def test_r_case_6_the_default_limit_is_ten_megabytes(settings):
    del settings.ONEWINDOW_UPLOAD_MAX_BYTES
    assert storage.max_bytes() == 10 * 1024 * 1024


def test_r_case_6_a_size_that_lies_is_caught_while_reading(upload_root, settings):
    settings.ONEWINDOW_UPLOAD_MAX_BYTES = 1024
    lying = upload("小.pdf", PDF_BYTES + b"0" * 4000)
    lying.size = 10  # what a client could claim
    with pytest.raises(InvalidInput) as refused:
        storage.store_upload(lying)
    assert refused.value.code == "file.too_large" and _kept(upload_root) == []


def test_r_case_6_an_empty_or_missing_file_is_refused(upload_root):
    for empty in (upload("空.pdf", b""), None):
        with pytest.raises(InvalidInput) as refused:
            storage.store_upload(empty)
        assert refused.value.code == "file.empty" and "文件" in refused.value.message
    assert not StoredFile.objects.exists() and _kept(upload_root) == []


def test_r_case_6_the_users_file_name_is_only_a_label(upload_root):
    stored = storage.store_upload(upload("../../etc/passwd\x00.pdf", PDF_BYTES))
    assert stored.original_name == "passwd.pdf"
    assert Path(upload_root, stored.storage_name).resolve().is_relative_to(upload_root.resolve())
    with pytest.raises(storage.NotFound):
        storage.open_stored(StoredFile(storage_name="../../secrets.json"))


def test_r_case_6_a_stored_file_is_served_with_its_type_and_no_sniffing(upload_root):
    pdf = storage.store_upload(upload("申请书.pdf", PDF_BYTES))
    response = storage.file_response(pdf)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert b"".join(response.streaming_content) == PDF_BYTES
    ofd = storage.store_upload(upload("执照.ofd", zip_bytes({"OFD.xml": b"<ofd:OFD/>"})))
    response = storage.file_response(ofd)
    assert response["Content-Type"] == "application/ofd"
    assert response["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    response.close()


def test_r_case_6_an_upload_folder_inside_the_web_root_fails_the_system_check(settings):
    settings.ONEWINDOW_UPLOAD_ROOT = str(Path(settings.STATIC_ROOT) / "uploads")
    errors = [e for e in checks.run_checks() if e.id == "files.E001"]
    assert errors and "STATIC_ROOT" in errors[0].msg
    settings.ONEWINDOW_UPLOAD_ROOT = None
    assert not [e for e in checks.run_checks() if e.id == "files.E001"]
