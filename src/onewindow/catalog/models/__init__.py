"""The matter catalog (R-CAT-1..10).

- ``Matter``: the standard matter (标准事项) of a department line at a level, kept by
  an owner department (usually the line's body one level up, or at its own level);
  identity only: code, name, kind, domain.
- ``GuideVersion``: the standard guide of a matter, versioned; it holds everything
  that is the same at every center (conditions, materials, steps, limits, fees,
  visits, online depth, FAQ). A published version never changes.
- ``Listing``: the matter at one center (实施清单): the implementing department and
  the local facts only (place, hours, phones, windows, handled outside the center).
- ``ProcessChange``: a proposed new version whose process differs from the current
  one, through legality review and final review before it is published (R-CAT-8).
- ``ChangeRequest``: entering, changing, cancelling or withdrawing a listing, approved
  by the level's government office (R-CAT-4).
- ``Bundle``: a "one thing" life event made of several matters.
- ``Entrustment``: a department entrusts a matter to a center or point (委托事项).
"""

from onewindow.catalog.models.bundles import Bundle, BundleItem
from onewindow.catalog.models.entrustments import Entrustment, EntrustmentQuerySet
from onewindow.catalog.models.guides import (
    ADMINISTRATIVE_POWER_KINDS,
    COMPRESSION_LIMIT,
    GUIDE_FIELDS,
    MATERIAL_FIELDS,
    ONLINE_APPLY_DEPTHS,
    STEP_FIELDS,
    FrozenWithVersion,
    GuideVersion,
    GuideVersionQuerySet,
    LimitUnit,
    Material,
    MaterialType,
    Matter,
    MatterKind,
    MatterQuerySet,
    OnlineDepth,
    Step,
)
from onewindow.catalog.models.listings import (
    LISTING_LOCAL_FIELDS,
    ChangeRequest,
    ChangeRequestQuerySet,
    Listing,
    ListingQuerySet,
)
from onewindow.catalog.models.reviews import ProcessChange, ProcessChangeQuerySet, ReviewState

__all__ = [
    "ADMINISTRATIVE_POWER_KINDS",
    "COMPRESSION_LIMIT",
    "GUIDE_FIELDS",
    "LISTING_LOCAL_FIELDS",
    "MATERIAL_FIELDS",
    "STEP_FIELDS",
    "ONLINE_APPLY_DEPTHS",
    "Bundle",
    "BundleItem",
    "ChangeRequest",
    "ChangeRequestQuerySet",
    "Entrustment",
    "EntrustmentQuerySet",
    "FrozenWithVersion",
    "GuideVersion",
    "GuideVersionQuerySet",
    "LimitUnit",
    "Listing",
    "ListingQuerySet",
    "Material",
    "MaterialType",
    "Matter",
    "MatterKind",
    "MatterQuerySet",
    "OnlineDepth",
    "ProcessChange",
    "ProcessChangeQuerySet",
    "ReviewState",
    "Step",
]
