"""The catalog's figures: the entry rate per center (应进必进, R-CAT-3) and the
compression of promised limits (R-CAT-8)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from onewindow.catalog.models import GuideVersion, Listing, Matter, ProcessChange, ReviewState
from onewindow.catalog.selectors.staff import matters_for_staff
from onewindow.org.models import Center

# --- R-CAT-3: entry rate ---------------------------------------------------------------------


@dataclass(frozen=True)
class EntryRate:
    center: Center
    total: int
    entered: int
    outside: list[Listing] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return None if not self.total else self.entered / self.total


def entry_rate(center: Center) -> EntryRate:
    """应进必进: the share of the center's active listings handled in the center."""
    listings = Listing.objects.active().filter(center=center).select_related("matter")
    outside = [item for item in listings if item.handled_outside]
    total = len(listings)
    return EntryRate(center=center, total=total, entered=total - len(outside), outside=outside)


def entry_rates(*, scope) -> list[EntryRate]:
    centers = (
        Center.objects.visible_to(scope)
        .annotate(
            total=Count("listings", filter=Q(listings__status=Listing.Status.ACTIVE)),
            outside=Count(
                "listings",
                filter=Q(listings__status=Listing.Status.ACTIVE, listings__handled_outside=True),
            ),
        )
        .filter(total__gt=0)
        .select_related("region")
    )
    return [EntryRate(center=c, total=c.total, entered=c.total - c.outside) for c in centers]


# --- R-CAT-8: compression report ----------------------------------------------------------------


@dataclass(frozen=True)
class CompressionRow:
    matter: Matter
    version: GuideVersion
    ratio: float | None
    meets: bool
    exception: bool
    before: dict
    after: dict


def compression_report(*, scope, department_id: int | None = None) -> list[CompressionRow]:
    matters = matters_for_staff(scope=scope).filter(current_version__isnull=False)
    if department_id:
        matters = matters.filter(department_id=department_id)
    last_applied = {}
    for change in ProcessChange.objects.filter(
        matter__in=matters, state=ReviewState.APPLIED
    ).order_by("final_at"):
        last_applied[change.matter_id] = change
    rows = []
    for matter in matters.order_by("department__region__path", "code"):
        version = matter.current_version
        change = last_applied.get(matter.pk)
        rows.append(
            CompressionRow(
                matter=matter,
                version=version,
                ratio=version.compression_ratio,
                meets=version.meets_compression,
                exception=version.compression_exception_accepted,
                before=change.before if change else {},
                after=change.after if change else {},
            )
        )
    return rows
