"""Forms in Chinese typography: a form's error summary joins its messages without
doubled punctuation (never “。；”), and every label ends in the full-width colon “：”
(Django's label suffix, set once in src/onewindow/locale)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from onewindow.core.text import join_messages

URL = "/workspace/calendar/"
LOCALE = Path(__file__).resolve().parents[2] / "src/onewindow/locale/zh_Hans/LC_MESSAGES"


@pytest.mark.django_db
def test_r_sec_1_a_form_with_errors_reads_as_one_chinese_sentence(client, net):
    client.force_login(net.county_admin)
    response = client.post(
        URL,
        {
            "action": "add_override",
            "ovr-date": "2026-02-30",
            "ovr-kind": "closed",
            "ovr-reason": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    summary = " ".join(str(m) for m in response.context["messages"])
    assert "日期：" in summary and "原因：" in summary
    assert not re.search(r"[。.；;]{2}", summary), summary
    assert summary.endswith("。")
    page = response.content.decode()
    labels = re.findall(r"<label[^>]*>([^<]*)</label>", page)
    assert labels and any(label.endswith("：") for label in labels)
    assert not [label for label in labels if label.rstrip().endswith(":")], labels


def test_join_messages_never_doubles_punctuation():
    assert join_messages(["请填写姓名。", "手机号码不正确；", "请填写姓名。"]) == (
        "请填写姓名；手机号码不正确。"
    )
    assert join_messages(["只有一条"]) == "只有一条"
    assert join_messages([]) == ""


def test_the_compiled_label_suffix_matches_its_source(tmp_path):
    """The .mo kept in the repository is the compiled .po (no gettext needed to run)."""
    import gettext

    catalog = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    assert catalog.gettext(":") == "："
    if subprocess.run(["which", "msgfmt"], capture_output=True).returncode == 0:
        out = tmp_path / "django.mo"
        subprocess.run(["msgfmt", "-o", str(out), str(LOCALE / "django.po")], check=True)
        assert gettext.GNUTranslations(out.open("rb")).gettext(":") == "："
