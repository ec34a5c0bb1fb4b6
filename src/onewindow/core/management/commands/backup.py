"""``onewindow backup``: the database and the uploads folder in one checksummed archive
under ``ONEWINDOW_BACKUP_DIR`` (default ``DATA_DIR/backups``), keeping the
``ONEWINDOW_BACKUP_KEEP`` (14) newest."""

from django.core.management.base import BaseCommand, CommandError

from onewindow.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "备份数据库与上传文件到一个带校验和的归档（保存在备份文件夹，保留最近 N 份）。"

    def add_arguments(self, parser):
        parser.add_argument("--out", help="备份文件夹（默认 ONEWINDOW_BACKUP_DIR）")
        parser.add_argument("--keep", type=int, help="保留最近几份（默认 ONEWINDOW_BACKUP_KEEP）")

    def handle(self, *args, out=None, keep=None, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep 至少为 1。")
        try:
            made = backup_create(folder=out, keep=keep)
        except BackupError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(made.summary())
