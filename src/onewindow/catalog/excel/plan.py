"""What a clean workbook would do: per matter (new or changed guide, its materials and
steps) and per listing (enter, change, or nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field

from onewindow.catalog.excel.reading import Row
from onewindow.catalog.models import Listing, Matter
from onewindow.org.models import Center, Department


@dataclass
class MatterPlan:
    code: str
    row: Row | None = None  # its 事项 row
    matter: Matter | None = None  # existing
    department: Department | None = None
    level: str = ""
    create: dict | None = None  # matter_create arguments, for a new matter
    guide: dict = field(default_factory=dict)  # GUIDE_FIELDS of the draft
    materials: list[dict] | None = None  # None: keep the current ones
    material_rows: list[Row] = field(default_factory=list)
    steps: list[dict] | None = None
    step_rows: list[Row] = field(default_factory=list)
    changed: bool = False
    ambiguous: bool = False

    def rows(self) -> list[Row]:
        return [r for r in [self.row, *self.material_rows, *self.step_rows] if r is not None]

    @property
    def first_row(self) -> Row | None:
        rows = self.rows()
        return rows[0] if rows else None


@dataclass
class ListingPlan:
    row: Row
    matter_plan: MatterPlan
    center: Center
    department: Department | None
    code: str
    local: dict
    existing: Listing | None = None
    action: str = "none"  # enter, change, none


@dataclass
class Plan:
    matters: list[MatterPlan]
    listings: list[ListingPlan]

    @property
    def work(self) -> int:
        return sum(1 for m in self.matters if m.changed) + sum(
            1 for li in self.listings if li.action != "none"
        )
