"""Admin for the work calendar's data (local overrides, loaded official schedules)."""
