"""Oversight URLs: cases (filled by its pages)."""

urlpatterns: list = []
