"""``onewindow exchange-report``: the reconciliation of the provincial exchange (R-MSG-3):
what the province has acknowledged, what it has not, and the records with no push;
``--push-missing`` pushes those (through the outbox: the worker sends them)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from onewindow.core.scope import Scope
from onewindow.messaging import exchange, selectors_exchange


class Command(BaseCommand):
    help = "省级数据交换对账：已确认、未确认、待推送、暂停和未推送的记录（--push-missing 补推）"

    def add_arguments(self, parser):
        parser.add_argument("--push-missing", action="store_true", help="为未推送的记录生成推送")

    def handle(self, *args, push_missing=False, **options):
        if push_missing:
            cases, reviews = exchange.push_missing()
            self.stdout.write(f"补推：办件信息 {cases} 条，好差评 {reviews} 条（待发送）。")
        columns = list(selectors_exchange.COLUMNS.values())
        self.stdout.write("记录\t" + "\t".join(columns))
        for line in selectors_exchange.reconciliation(scope=Scope.all()):
            self.stdout.write(line.label + "\t" + "\t".join(str(n) for n in line.cells()))
