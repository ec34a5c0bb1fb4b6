"""``onewindow backup-drill``: back up, restore into a scratch database and folder,
compare every table's row count and content hash and every file's checksum, print the
report, drop the scratch copy; exits non-zero on any difference."""

from django.core.management.base import BaseCommand, CommandError

from onewindow.core.backup import BackupError, drill


class Command(BaseCommand):
    help = "备份恢复演练：备份后恢复到临时库与临时文件夹，逐表比较行数与内容、逐个比较文件校验和。"

    def add_arguments(self, parser):
        parser.add_argument("--out", help="备份文件夹（默认 ONEWINDOW_BACKUP_DIR）")

    def handle(self, *args, out=None, **options):
        try:
            result = drill(folder=out)
        except BackupError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(result.report())
        if not result.ok:
            raise CommandError("演练发现不一致：恢复结果与备份不符。")
