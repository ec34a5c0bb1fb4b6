"""``onewindow monthly-report``: the monthly report (R-SUP-4) of the prefecture, of each
county's network and of each center, as PDF and Excel, without hand work. By default the
month before this one, written under ``DATA_DIR/reports/<YYYY-MM>/`` (run again, the
files are made anew from the records)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from onewindow.core import xlsx
from onewindow.core.pdf import PdfUnavailable
from onewindow.core.scope import Scope
from onewindow.oversight.exports.monthly import monthly_pdf, monthly_workbook
from onewindow.oversight.indicators import parse_month
from onewindow.oversight.indicators.sources import month_of
from onewindow.oversight.selectors.monthly_report import monthly_report
from onewindow.oversight.selectors.report_nodes import report_nodes
from onewindow.oversight.services import catalog_snapshot_take


class Command(BaseCommand):
    help = "Make the monthly reports (PDF and Excel) of the prefecture, counties and centers."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM; by default the month before this one")
        parser.add_argument("--out", help="the folder to write to (default DATA_DIR/reports)")
        parser.add_argument("--no-pdf", action="store_true", help="Excel only")

    def handle(self, *args, month=None, out=None, no_pdf=False, **options):
        last = month_of(month_of(timezone.localdate()) - timezone.timedelta(days=1))
        chosen = parse_month(month, default=None) if month else last
        if month and f"{chosen:%Y-%m}" != month.strip()[:7]:
            raise CommandError("月份格式应为 YYYY-MM，例如 2026-11")
        folder = Path(out) if out else Path(settings.DATA_DIR) / "reports" / f"{chosen:%Y-%m}"
        folder.mkdir(parents=True, exist_ok=True)
        catalog_snapshot_take(month=chosen, replace=False)
        scope = Scope.all()
        made = pdfs = 0
        for node in report_nodes(scope=scope):
            report = monthly_report(scope=scope, node=node, month=chosen)
            stem = f"{report.title}".replace("/", "-")
            (folder / f"{stem}.xlsx").write_bytes(xlsx.to_bytes(monthly_workbook(report)))
            made += 1
            if not no_pdf:
                try:
                    (folder / f"{stem}.pdf").write_bytes(monthly_pdf(report))
                    pdfs += 1
                except PdfUnavailable as exc:
                    self.stderr.write(exc.message)
                    no_pdf = True
        self.stdout.write(f"{chosen:%Y年%m月}月报：{made} 份Excel，{pdfs} 份PDF，保存在 {folder}")
