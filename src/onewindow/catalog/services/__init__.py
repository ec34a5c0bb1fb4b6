"""Every write to the catalog. One transaction each, permission and state checked
after locking, audit written in the same transaction.

Who may do what (``core/roles.py``, the ``catalog.*`` activities):
- a guide is drafted by staff of the matter's owner department (approver, chief
  representative, leader), a center administrator or government office whose scope
  holds that department, or the superuser;
- a draft whose process (steps, materials, limits, visits) differs from the current
  version is published only through a process change: legality review (司法审查) then
  final review (审改审核) by reviewers whose scope holds the owner department
  (R-CAT-8); a draft that changes only wording, fees or FAQ is published directly;
- a listing is entered, changed, cancelled or withdrawn by a change request that the
  level's government office approves; township and village listings go to their
  county's office (R-CAT-4).

The topics are modules of this package (matters, drafts, publication, process changes,
listings, bundles, imports); this face names their public services so callers keep
``from onewindow.catalog import services``.
"""

from onewindow.catalog.models import (
    GUIDE_FIELDS,
    LISTING_LOCAL_FIELDS,
    MATERIAL_FIELDS,
    STEP_FIELDS,
)
from onewindow.catalog.services.bundles import bundle_save
from onewindow.catalog.services.drafts import (
    guide_draft_create,
    guide_draft_update,
    guide_materials_set,
    guide_steps_set,
)
from onewindow.catalog.services.entrustments import entrustment_create, entrustment_revoke
from onewindow.catalog.services.imports import catalog_import_activate, catalog_import_publish
from onewindow.catalog.services.listings import (
    change_request_decide,
    listing_request_change,
    listing_request_entry,
)
from onewindow.catalog.services.matters import LEVEL_RANK, matter_create
from onewindow.catalog.services.process_changes import (
    process_change_final_review,
    process_change_legality_review,
    process_change_submit,
)
from onewindow.catalog.services.publication import guide_publish

__all__ = [
    "GUIDE_FIELDS",
    "LEVEL_RANK",
    "LISTING_LOCAL_FIELDS",
    "MATERIAL_FIELDS",
    "STEP_FIELDS",
    "bundle_save",
    "catalog_import_activate",
    "catalog_import_publish",
    "change_request_decide",
    "entrustment_create",
    "entrustment_revoke",
    "guide_draft_create",
    "guide_draft_update",
    "guide_materials_set",
    "guide_publish",
    "guide_steps_set",
    "listing_request_change",
    "listing_request_entry",
    "matter_create",
    "process_change_final_review",
    "process_change_legality_review",
    "process_change_submit",
]
