"""The demo's village agency points (R-CIT-2, R-NET-1): every one lists the four matters
it takes in for the villagers, handed on to its own county's department, so the path
州→县→乡→村 followed from the home page ends on a village point with guides; loading
again makes nothing new."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.catalog.models import Listing
from onewindow.demo import villages_history
from onewindow.org.models import Center, Level

pytestmark = pytest.mark.django_db


def test_r_cit_2_every_village_point_lists_its_matters_for_the_county(demo_opened):
    villages = list(Center.objects.filter(region__level=Level.VILLAGE, is_active=True))
    assert len(villages) == 47
    listings = (
        Listing.objects.public()
        .filter(center__in=villages)
        .select_related("center__region", "department__region")
    )
    per_village = {}
    for listing in listings:
        assert listing.department.region.code == listing.center.region.code[:6]
        per_village.setdefault(listing.center_id, set()).add(listing.matter_id)
    assert len(per_village) == 47 and {len(m) for m in per_village.values()} == {4}
    assert villages_history.load() == 0

    village = villages[0]
    html = Client().get("/", {"center": village.pk}).content.decode()
    popular = html[html.index("常办事项") :]
    assert popular.count('<li><a href="/matters/') >= 4
    assert "本中心尚未公布可办事项" not in html
