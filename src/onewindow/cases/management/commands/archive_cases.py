import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from onewindow.cases.services.archive import cases_archive_finished
from onewindow.core.errors import DomainError
from onewindow.org.models import Center


class Command(BaseCommand):
    help = "File (归档) a center's finished cases received before a date, in one action."

    def add_arguments(self, parser):
        parser.add_argument("center_code", help="the center's code, e.g. C622921")
        parser.add_argument("--before", required=True, help="YYYY-MM-DD: received before it")
        parser.add_argument("--actor", required=True, help="the user who files them")

    def handle(self, *args, center_code, before, actor, **options):
        center = Center.objects.filter(code=center_code).first()
        if center is None:
            raise CommandError(f"未找到中心 {center_code}")
        user = get_user_model().objects.filter(username=actor).first()
        if user is None:
            raise CommandError(f"未找到用户 {actor}")
        try:
            day = dt.date.fromisoformat(before)
        except ValueError:
            raise CommandError("日期格式应为 YYYY-MM-DD") from None
        cutoff = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        try:
            done = cases_archive_finished(actor=user, center=center, before=cutoff)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"{center.name}：{before} 前收件的已办结办件归档 {done} 件。")
