from django.apps import AppConfig


def _prune_search_index(sender, using="default", **kwargs):
    from django.db import connections

    from onewindow.catalog.search import prune_orphans

    prune_orphans(connections[using])


def _catalog_changed(sender, using="default", **kwargs):
    from onewindow.catalog.search_cache import catalog_changed

    catalog_changed(using)


class CatalogConfig(AppConfig):
    name = "onewindow.catalog"
    label = "catalog"
    verbose_name = "事项目录"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from onewindow.catalog.models import GuideVersion, Listing, Material, Matter
        from onewindow.org.models import Center, Department, DepartmentLine

        post_migrate.connect(_prune_search_index, sender=self)
        # What a search can see (R-CAT-9): any change forgets the remembered answers
        # (catalog.search_cache). Bulk writes go through the index (search._write).
        for model in (Matter, GuideVersion, Material, Listing, Center, Department, DepartmentLine):
            post_save.connect(
                _catalog_changed, sender=model, dispatch_uid=f"search-{model.__name__}"
            )
            post_delete.connect(
                _catalog_changed, sender=model, dispatch_uid=f"search-{model.__name__}-gone"
            )
