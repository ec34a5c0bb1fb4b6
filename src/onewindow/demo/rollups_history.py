"""The demo's monthly rollups and catalog snapshots: the demo's history is written
straight into the tables (dated in the past), not through the services, so the rollups
the statistics read are recounted from it once it is loaded; and the catalog's entry
rate and compression get a snapshot for each of the last six months (the catalog does
not change in the demo, so the trend is flat until someone edits it). Idempotent: the
recount gives the same rows again, a month already snapshotted is left as it is."""

from __future__ import annotations

from django.utils import timezone

from onewindow.core import rollups
from onewindow.oversight.indicators import months_back
from onewindow.oversight.models import CatalogSnapshot
from onewindow.oversight.services import catalog_snapshot_take


def load() -> int:
    rollups.rebuild_all()
    before = CatalogSnapshot.objects.count()
    for month in months_back(timezone.localdate(), 6):
        catalog_snapshot_take(month=month, replace=False)
    return CatalogSnapshot.objects.count() - before
