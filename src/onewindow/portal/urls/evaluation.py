"""Portal URLs: evaluation (filled by its pages)."""

urlpatterns: list = []
