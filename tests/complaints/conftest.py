"""A published matter of 临夏县市场监督管理局 listed at 临夏县's center (from the cases
fixture), so complaints can be routed by their words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.cases.conftest import desk  # noqa: F401  (the listing fixture)
from tests.catalog.conftest import cat  # noqa: F401


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


@pytest.fixture
def hall(desk):  # noqa: F811
    return desk
