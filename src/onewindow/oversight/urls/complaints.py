"""Oversight URLs: complaints (filled by its pages)."""

urlpatterns: list = []
