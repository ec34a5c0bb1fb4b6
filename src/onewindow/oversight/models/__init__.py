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

__all__ = [
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
    "ProcessWalk",
    "SignVia",
]
