"""Oversight URLs: hall (filled by its pages)."""

urlpatterns: list = []
