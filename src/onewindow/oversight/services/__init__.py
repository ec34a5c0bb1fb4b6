"""Every write of oversight, by topic; this face re-exports the public services."""

from onewindow.oversight.services.assessment import threshold_set

__all__ = ["threshold_set"]
