from django.apps import AppConfig


def _prune_search_index(sender, using="default", **kwargs):
    from django.db import connections

    from onewindow.catalog.search import prune_orphans

    prune_orphans(connections[using])


def _catalog_changed(sender, using="default", **kwargs):
    from onewindow.catalog.search_cache import catalog_changed

    catalog_changed(using)


def _center_before(sender, instance, raw=False, **kwargs):
    # A center's state and region are part of the scope of every matter it lists.
    if raw or instance.pk is None:
        return
    instance._search_scope_was = (
        type(instance).objects.filter(pk=instance.pk).values_list("is_active", "region_id").first()
    )


def _center_saved(sender, instance, created=False, raw=False, **kwargs):
    from onewindow.catalog.models import Listing
    from onewindow.catalog.search import search_index_scopes

    was = getattr(instance, "_search_scope_was", None)
    if raw or created or was is None or was == (instance.is_active, instance.region_id):
        return
    # In the transaction of the change (org.services.center_update is atomic).
    search_index_scopes(Listing.objects.filter(center=instance).values_list("matter_id", flat=True))


class CatalogConfig(AppConfig):
    name = "onewindow.catalog"
    label = "catalog"
    verbose_name = "事项目录"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save, pre_save

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
        pre_save.connect(_center_before, sender=Center, dispatch_uid="search-center-scope-was")
        post_save.connect(_center_saved, sender=Center, dispatch_uid="search-center-scope")
