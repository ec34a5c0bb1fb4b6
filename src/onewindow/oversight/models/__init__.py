"""The management records oversight keeps: leader duty, the hall's facilities and
guidance, assessment settings and results. One module per topic; this face
re-exports the models."""

from onewindow.oversight.models.assessment import IndicatorThreshold
from onewindow.oversight.models.duty import (
    CountyDutySetting,
    DutyKind,
    DutyPost,
    DutyProblem,
    DutySitting,
    ProcessWalk,
    SignVia,
)
from onewindow.oversight.models.facilities import (
    Facility,
    FacilityCheck,
    FacilityCheckItem,
    FacilityFault,
    FacilityKind,
    FreeService,
    FreeServiceCount,
    HallZone,
)
from onewindow.oversight.models.guidance import (
    OTHER_CHANNELS,
    ComplaintChannels,
    Guidance,
    GuidanceChannel,
    GuidanceTopic,
)
from onewindow.oversight.models.halls import SeparateHall, SeparateHallQuerySet
from onewindow.oversight.models.levels import LevelWeights, Mark, RedBlackEntry, RedBlackList
from onewindow.oversight.models.planning import RosterSlot
from onewindow.oversight.models.snapshots import CatalogSnapshot
from onewindow.oversight.models.staff_scores import (
    AbuseFinding,
    MonthHonours,
    StaffScoreSettings,
    YearGrades,
)

__all__ = [
    "CatalogSnapshot",
    "AbuseFinding",
    "MonthHonours",
    "StaffScoreSettings",
    "YearGrades",
    "SeparateHall",
    "SeparateHallQuerySet",
    "OTHER_CHANNELS",
    "ComplaintChannels",
    "CountyDutySetting",
    "DutyKind",
    "DutyPost",
    "DutyProblem",
    "DutySitting",
    "Facility",
    "FacilityCheck",
    "FacilityCheckItem",
    "FacilityFault",
    "FacilityKind",
    "FreeService",
    "FreeServiceCount",
    "Guidance",
    "GuidanceChannel",
    "GuidanceTopic",
    "HallZone",
    "IndicatorThreshold",
    "LevelWeights",
    "Mark",
    "RedBlackEntry",
    "RedBlackList",
    "ProcessWalk",
    "RosterSlot",
    "SignVia",
]
