"""``onewindow restore <archive>``: checks every checksum, then restores the database and
the uploads folder; refuses a database or folder that is not empty unless ``--force``.
Stop the web servers and the jobs runner first."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from onewindow.core.backup import BackupError, restore_archive


class Command(BaseCommand):
    help = "从备份归档恢复数据库与上传文件：先核对校验和；目标非空时需加 --force 才会覆盖。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份归档（onewindow-backup-….tar.gz）")
        parser.add_argument("--force", action="store_true", help="覆盖非空的数据库与上传文件夹")
        parser.add_argument(
            "--uploads", help="恢复上传文件到这个文件夹（默认 ONEWINDOW_UPLOAD_ROOT）"
        )

    def handle(self, *args, archive, force=False, uploads=None, **options):
        try:
            result = restore_archive(
                Path(archive), force=force, uploads=Path(uploads) if uploads else None
            )
        except BackupError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(result.report())
        if not result.ok:
            raise CommandError("恢复后的数据与备份清单不一致，请检查上面的报告。")
        self.stdout.write("恢复完成。")
