"""R-CASE-2 where PDF rendering is unavailable (no Pango on the machine): the server
starts without WeasyPrint, a printed notice answers a Chinese page saying it cannot be
rendered (never a 500), and the demo's sample files still go into the file store."""

from __future__ import annotations

import builtins
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onewindow.cases import services
from tests.cases.conftest import all_required


@pytest.fixture
def no_pango(monkeypatch):
    """Importing WeasyPrint fails as it does on a machine without Pango."""
    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError(
                "cannot load library 'libgobject-2.0-0': libgobject-2.0-0: "
                "cannot open shared object file: No such file or directory"
            )
        return real_import(name, *args, **kwargs)

    for module in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setattr(builtins, "__import__", failing_import)


def test_r_case_2_a_notice_says_in_chinese_that_pdf_is_unavailable(client, desk, no_pango):
    case = services.case_intake(
        actor=desk.clerk,
        listing=desk.listing,
        applicant=desk.applicant,
        materials=all_required(desk),
    )
    case = services.case_accept(actor=desk.clerk, case=case)
    client.force_login(desk.clerk)
    response = client.get(f"/workspace/cases/{case.pk}/notice/receipt.pdf")
    assert response.status_code == 503
    page = response.content.decode()
    assert "暂不能出具该文书" in page and "不能生成PDF文书" in page
    assert "OSError" not in page and "libgobject" not in page
    # the case page itself still answers
    assert client.get(f"/workspace/cases/{case.pk}/").status_code == 200


def test_r_case_2_demo_sample_files_are_stored_without_pdf_rendering(db, no_pango):
    from onewindow.demo.cases_extra import demo_pdf
    from onewindow.files.storage import open_stored, store_upload

    pdf = demo_pdf("解除劳动合同证明书", ["特此证明。"])
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    stored = store_upload(SimpleUploadedFile("证明.pdf", pdf, content_type="application/pdf"))
    assert stored.content_type == "application/pdf"
    with open_stored(stored) as handle:
        assert handle.read() == pdf


def test_r_case_2_the_server_starts_without_importing_weasyprint():
    """Every URL's view module loads (as runserver does) without WeasyPrint."""
    code = (
        "import sys, django; django.setup();"
        "from django.urls import get_resolver; get_resolver().url_patterns;"
        "import onewindow.demo.loader, onewindow.cases.notices;"
        "sys.exit('weasyprint' in sys.modules)"
    )
    env = {"DJANGO_SETTINGS_MODULE": "onewindow.settings"}
    import os

    result = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr or "WeasyPrint was imported at start-up"
