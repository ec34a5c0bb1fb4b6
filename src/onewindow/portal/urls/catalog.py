"""Portal URLs: catalog (filled by its pages)."""

urlpatterns: list = []
