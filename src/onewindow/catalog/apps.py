from django.apps import AppConfig


def _prune_search_index(sender, using="default", **kwargs):
    from django.db import connections

    from onewindow.catalog.search import prune_orphans

    prune_orphans(connections[using])


class CatalogConfig(AppConfig):
    name = "onewindow.catalog"
    label = "catalog"
    verbose_name = "事项目录"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_prune_search_index, sender=self)
