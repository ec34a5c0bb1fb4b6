"""`onewindow lint-guides`: the guide lint over every published guide (R-CAT-6)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from onewindow.catalog.models import GuideVersion, Material, Matter, MatterKind, Step
from onewindow.org.models import Level

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("lint_guides", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def written_around_the_services(
    net, *, status, material_name, code="11620000MB7654321X", number=1, matter=None
):
    """A guide with a catch-all clause, written straight into the tables: the services
    would refuse to publish it."""
    if matter is None:
        matter = Matter.objects.create(
            code=code,
            name="食品小作坊登记",
            kind=MatterKind.LICENSING,
            level=Level.COUNTY,
            department=net.pref_market,
            line=net.market,
        )
    version = GuideVersion.objects.create(
        matter=matter,
        number=number,
        legal_basis="《中华人民共和国食品安全法》第三十六条",
        conditions="有固定的生产加工场所。",
        statutory_days=10,
        promised_days=4,
    )
    Material.objects.create(version=version, order=1, name="食品小作坊登记申请表")
    Material.objects.create(version=version, order=2, name=material_name)
    Step.objects.create(version=version, order=1, name="受理", description="窗口当场受理。")
    GuideVersion.objects.filter(pk=version.pk).update(status=status, published_at=timezone.now())
    if status == GuideVersion.Status.PUBLISHED:
        Matter.objects.filter(pk=matter.pk).update(current_version=version)
    return matter


def test_r_cat_6_lint_guides_exits_zero_when_every_published_guide_is_plain(cat):
    code, out, err = run()
    assert code == 0
    assert "共检查 1 份办事指南：兜底或模糊条款 0 处" in out
    assert err == ""


def test_r_cat_6_lint_guides_exits_non_zero_on_a_catch_all_clause(cat):
    matter = written_around_the_services(
        cat, status=GuideVersion.Status.PUBLISHED, material_name="市场监管部门要求的其他材料"
    )
    code, out, err = run()
    assert code == 1
    lines = [line for line in out.splitlines() if line.startswith("事项 ")]
    assert len(lines) == 1
    assert lines[0].startswith(f"事项 {matter.code} 食品小作坊登记 · 申请材料第2项名称 · “")
    assert "其他材料”" in lines[0] and "兜底条款" in lines[0]
    assert "兜底或模糊条款 1 处" in err
    assert cat.matter.code not in out  # the plain guide is not reported


def test_r_cat_6_lint_guides_checks_superseded_versions_only_when_asked(cat):
    matter = written_around_the_services(
        cat, status=GuideVersion.Status.SUPERSEDED, material_name="相关证明材料"
    )
    written_around_the_services(
        cat,
        status=GuideVersion.Status.PUBLISHED,
        material_name="从业人员健康证明",
        matter=matter,
        number=2,
    )
    assert run()[0] == 0
    code, out, _ = run("--all-versions")
    assert code == 1
    assert (
        f"事项 {matter.code} 食品小作坊登记（第1版，已被替代） · 申请材料第2项名称 · “相关证明材料”"
        in out
    )


def test_r_cat_6_a_style_hint_alone_does_not_fail_the_run(cat):
    written_around_the_services(
        cat, status=GuideVersion.Status.PUBLISHED, material_name="生产加工场所平面图（如有）"
    )
    code, out, _ = run()
    assert code == 0
    assert "“(如有)”" in out or "“（如有）”" in out
    assert "提示，不阻止发布" in out
