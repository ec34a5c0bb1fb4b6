"""The most asked matters of a center for the portal's home page (R-CIT-2's "start with
the task"): the matters its cases were received for over the last year, read from the
monthly rollup (``CaseMonth`` per matter), then the rest of what the center lists."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
from django.utils import timezone

from onewindow.cases.models import CaseMonth
from onewindow.catalog.models import Listing
from onewindow.core import rollups
from onewindow.org.models import Center

MONTHS = 12


def most_asked_listings(center: Center, *, limit: int = 8) -> list[Listing]:
    """Up to ``limit`` public listings of ``center``: the most received matters first
    (cases received in the last twelve months, ties by name), then the others by name."""
    today = timezone.localdate()
    since = (today.replace(day=1) - dt.timedelta(days=31 * (MONTHS - 1))).replace(day=1)
    counts = dict(
        CaseMonth.objects.filter(subject=rollups.MATTER, center=center, month__gte=since)
        .values_list("subject_key")
        .annotate(n=Sum("received"))
        .values_list("subject_key", "n")
    )
    listings = list(
        Listing.objects.public()
        .filter(center=center)
        .select_related("matter")
        .order_by("matter__name", "pk")
    )
    seen: set[int] = set()
    unique = [x for x in listings if not (x.matter_id in seen or seen.add(x.matter_id))]
    unique.sort(key=lambda x: -(counts.get(x.matter_id) or 0))
    return unique[:limit]
