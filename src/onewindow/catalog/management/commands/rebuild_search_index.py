"""`onewindow rebuild-search-index`: index every matter again (after a bulk import, or
when the segmentation rules or synonyms change)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from onewindow.catalog.search import rebuild_search_index


class Command(BaseCommand):
    help = "重建事项检索索引（批量导入事项或调整同义词后执行）。"

    def handle(self, *args, **options):
        with transaction.atomic():
            count = rebuild_search_index()
        self.stdout.write(f"已重建检索索引：{count} 个事项。")
