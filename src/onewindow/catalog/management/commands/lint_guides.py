"""``onewindow lint-guides [--all-versions]``: the guide lint (R-CAT-6) over every
published guide.

Prints each finding as ``事项 基本编码 名称 · 字段 · “条款” · 说明`` and exits 1 when
any finding blocks publication (severity "error"), 0 otherwise. Published guides
should never carry one (publication refuses them); the command finds guides written
before a rule was added, or rows written around the services.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db.models import Prefetch

from onewindow.catalog.guidelint import ERROR
from onewindow.catalog.models import GuideVersion, Material, Step
from onewindow.catalog.selectors import field_label, guide_lint


class Command(BaseCommand):
    help = "检查现行办事指南中的兜底条款和模糊表述（R-CAT-6）；发现问题时以状态码 1 退出。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--all-versions",
            action="store_true",
            help="同时检查已被替代的历史版本。",
        )

    def handle(self, *args, all_versions: bool = False, **options):
        statuses = [GuideVersion.Status.PUBLISHED]
        if all_versions:
            statuses.append(GuideVersion.Status.SUPERSEDED)
        versions = (
            GuideVersion.objects.filter(status__in=statuses)
            .select_related("matter")
            .prefetch_related(
                Prefetch("materials", queryset=Material.objects.order_by("order", "id")),
                Prefetch("steps", queryset=Step.objects.order_by("order", "id")),
            )
            .order_by("matter__code", "matter__level", "number")
        )
        checked = errors = warnings = 0
        for version in versions:
            checked += 1
            matter = version.matter
            name = matter.name
            if all_versions:
                name += f"（第{version.number}版，{version.get_status_display()}）"
            for finding in guide_lint(version):
                blocking = finding.severity == ERROR
                errors += blocking
                warnings += not blocking
                line = (
                    f"事项 {matter.code} {name} · {field_label(finding.field)} · "
                    f"“{finding.clause}” · {finding.message}"
                )
                if not blocking:
                    line += "（提示，不阻止发布）"
                self.stdout.write(line)
        summary = (
            f"共检查 {checked} 份办事指南：兜底或模糊条款 {errors} 处，写法提示 {warnings} 处。"
        )
        if errors:
            self.stderr.write(summary)
            raise SystemExit(1)
        self.stdout.write(summary)
