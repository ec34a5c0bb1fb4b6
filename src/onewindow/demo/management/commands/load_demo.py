"""``onewindow load-demo [--if-empty]``: load the Linxia demo data and print the
demo accounts (one per role)."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from onewindow.core.errors import DomainError
from onewindow.core.models import CalendarOverride
from onewindow.demo import citizens_history as citizens_demo
from onewindow.demo import complaints_history as complaints_demo
from onewindow.demo import entrust_history as entrust_demo
from onewindow.demo import evaluation_history as evaluation_demo
from onewindow.demo import exchange_history as exchange_demo
from onewindow.demo import indicators_history as indicators_demo
from onewindow.demo import levels_history as levels_demo
from onewindow.demo import licences_history as licences_demo
from onewindow.demo import loader, terminals_demo
from onewindow.demo import messaging_history as messaging_demo
from onewindow.demo import oversight_history as oversight_demo
from onewindow.demo import rollups_history as rollups_demo
from onewindow.demo import staff_history as staff_demo
from onewindow.demo import staff_scores_history as staff_scores_demo
from onewindow.demo import villages_history as villages_demo
from onewindow.demo.cases import load_demo_cases
from onewindow.demo.cases_extra import load_demo_case_extras
from onewindow.demo.catalog_loader import load_demo_catalog
from onewindow.demo.hall_loader import load_demo_hall
from onewindow.org.models import Center, Department, Region, StaffProfile


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_accounts(accounts: list[loader.Account]) -> str:
    header = ("登录名", "密码", "角色", "姓名", "单位/管辖范围")
    rows = [header] + [(a.username, a.password, a.role, a.full_name, a.place) for a in accounts]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = []
    for n, row in enumerate(rows):
        cells = [_pad(cell, widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * _width(header[-1]))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "载入临夏州演示数据（区划、各级服务中心、部门、每个角色一个演示账号、2026年本地工作日调整示例）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="数据库中已有区划时不做任何改动（make run 使用）。",
        )

    def handle(self, *args, if_empty: bool = False, **options):
        if if_empty and Region.objects.exists():
            self.stdout.write("数据库中已有区划数据，未载入演示数据。")
        else:
            try:
                _, created = loader.load()
                created += load_demo_catalog()
                created += load_demo_hall()
                created += load_demo_cases()
                created += complaints_demo.load()
                created += evaluation_demo.load()
                created += load_demo_case_extras()
                created += indicators_demo.load()
                created += oversight_demo.load()
                created += staff_demo.load()
                created += staff_scores_demo.load()
                created += entrust_demo.load()
                created += rollups_demo.load()
                created += levels_demo.load()
                created += citizens_demo.load()
                created += messaging_demo.load()
                created += villages_demo.load()
                created += licences_demo.load()
                created += exchange_demo.load()
                created += terminals_demo.load()
            except ValidationError as exc:
                raise CommandError("演示密码不符合密码规则：" + "；".join(exc.messages)) from None
            except DomainError as exc:
                raise CommandError(f"无法载入演示数据：{exc.message}（{exc.code}）") from None
            if created:
                self.stdout.write(
                    self.style.SUCCESS(f"已载入临夏州演示数据：新建 {created} 条记录。")
                )
            else:
                self.stdout.write("演示数据已齐全，未做改动。")
            self.stdout.write(
                f"区划 {Region.objects.count()} 个，服务中心 {Center.objects.count()} 个，"
                f"部门 {Department.objects.count()} 个，工作人员 {StaffProfile.objects.count()} 名。"
            )
            for override in CalendarOverride.objects.filter(date__year=2026).select_related(
                "region"
            ):
                place = override.region.name if override.region_id else "全州"
                kind = "加班办公" if override.is_workday else "闭厅休息"
                self.stdout.write(
                    f"2026年本地工作日调整：{override.date:%Y-%m-%d} {place}{kind}，{override.reason}"
                )
        accounts = loader.accounts()
        if accounts:
            self.stdout.write("")
            self.stdout.write("演示账号（每个角色一个，仅供演示，请勿用于生产环境）：")
            self.stdout.write(format_accounts(accounts))
            self.stdout.write(citizens_demo.account_note())
            self.stdout.write(licences_demo.note())
            self.stdout.write(terminals_demo.note())
            self.stdout.write("")
