"""The demo's entrusted matters (R-CAT-4, seed 二(一)1) and register of separate halls
(R-CAT-3, seed 二(二)4): 临夏县's townships and a village point, one entrustment revoked;
five halls, two closed, one overdue; loading again makes nothing new."""

from __future__ import annotations

import pytest
from django.utils import timezone

from onewindow.catalog.models import Entrustment
from onewindow.demo import entrust_history
from onewindow.org.models import Level
from onewindow.oversight.models import SeparateHall

pytestmark = pytest.mark.django_db


def test_r_cat_4_the_demo_entrusts_township_and_village_points_one_revoked(demo_opened):
    today = timezone.localdate()
    rows = list(Entrustment.objects.select_related("center__region", "department__region"))
    assert len(rows) == 5
    assert {e.center.region.level for e in rows} == {Level.TOWNSHIP, Level.VILLAGE}
    assert all(e.department.region.code == "622921" for e in rows)
    assert sum(1 for e in rows if e.is_revoked) == 1
    assert sum(1 for e in rows if e.active_on(today)) == 4
    assert entrust_history.load() == 0


def test_r_cat_3_the_demo_register_has_closed_and_overdue_halls(demo_opened):
    halls = list(SeparateHall.objects.all())
    assert len(halls) == 5
    assert sum(1 for h in halls if not h.is_open) == 2
    assert sum(1 for h in halls if h.is_overdue) == 1
