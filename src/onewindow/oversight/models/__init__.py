"""The management records oversight keeps: leader duty, the hall's facilities and
guidance, assessment settings and results. One module per topic; this face
re-exports the models."""

from onewindow.oversight.models.assessment import IndicatorThreshold

__all__ = ["IndicatorThreshold"]
