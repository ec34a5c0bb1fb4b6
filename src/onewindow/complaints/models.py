"""Models of the app (filled in by its first migration)."""
