"""Reads of guidance (R-HALL-9) in the caller's scope: what the two-tap form offers and
the share of visitors sent to other channels per day and month; and the published
complaint channels of a center (§18, public)."""

from __future__ import annotations

import calendar as pycal
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count

from onewindow.catalog.models import Listing, Matter
from onewindow.core.errors import NotFound
from onewindow.org.models import Center
from onewindow.oversight.models import (
    OTHER_CHANNELS,
    ComplaintChannels,
    Guidance,
    GuidanceChannel,
    GuidanceTopic,
)
from onewindow.oversight.selectors.duty import day_bounds, local_day

SHARE_RULE = "引导至其他渠道占比 = 引导至网上办理、掌上/电话办理、自助终端的人次 ÷ 导办总人次"
MATTERS_OFFERED = 12
CHANNEL_SHORT = ("窗口", "网上", "掌上/电话", "终端")


def month_of(text: str | None, *, today: date) -> tuple[int, int]:
    """A month from ``YYYY-MM`` (years 2000-2100); anything else is this month."""
    try:
        year, month = (int(x) for x in (text or "")[:7].split("-"))
        date(year, month, 1)
        if 2000 <= year <= 2100:
            return year, month
    except (ValueError, TypeError):
        pass
    return today.year, today.month


def matter_choices(*, center: Center, today: date) -> list[Matter]:
    """The matters the form offers: the center's most asked in the last 90 days, then
    its other listed matters, at most ``MATTERS_OFFERED``."""
    lo, _ = day_bounds(today - timedelta(days=90), today)
    asked = (
        Guidance.objects.filter(center=center, at__gte=lo, matter__isnull=False)
        .values("matter")
        .annotate(n=Count("pk"))
        .order_by("-n")[:MATTERS_OFFERED]
    )
    ids = [r["matter"] for r in asked]
    if len(ids) < MATTERS_OFFERED:
        listed = (
            Listing.objects.filter(center=center, status=Listing.Status.ACTIVE)
            .exclude(matter__in=ids)
            .order_by("matter__code")
            .values_list("matter", flat=True)[: MATTERS_OFFERED - len(ids)]
        )
        ids += list(listed)
    found = Matter.objects.in_bulk(ids)
    return [found[i] for i in ids if i in found]


def topic_choices():
    return GuidanceTopic.choices


def channel_choices():
    return GuidanceChannel.choices


@dataclass(frozen=True)
class ShareRow:
    label: str
    total: int
    counts: list[int]
    other: int

    @property
    def share(self) -> float | None:
        return self.other / self.total if self.total else None

    @property
    def share_text(self) -> str:
        return "—" if self.share is None else f"{self.share * 100:.1f}%"


@dataclass(frozen=True)
class ShareMonth:
    year: int
    month: int
    channels: list[str]
    days: list[ShareRow]
    month_row: ShareRow
    topics: list[tuple[str, int]]
    rule: str = SHARE_RULE


def _row(label: str, counter: Counter) -> ShareRow:
    counts = [counter.get(c, 0) for c in GuidanceChannel.values]
    return ShareRow(label, sum(counts), counts, sum(counter.get(c, 0) for c in OTHER_CHANNELS))


def guidance_month(*, scope, center: Center, year: int, month: int) -> ShareMonth:
    last = pycal.monthrange(year, month)[1]
    lo, hi = day_bounds(date(year, month, 1), date(year, month, last))
    rows = Guidance.objects.visible_to(scope).filter(center=center, at__range=(lo, hi))
    per_day: dict[date, Counter] = {}
    whole: Counter = Counter()
    asked: Counter = Counter()
    for g in rows.select_related("matter").only("at", "channel", "topic", "matter__name"):
        per_day.setdefault(local_day(g.at), Counter())[g.channel] += 1
        whole[g.channel] += 1
        asked[g.asked] += 1
    days = [_row(f"{d:%m-%d}", per_day[d]) for d in sorted(per_day)]
    return ShareMonth(
        year,
        month,
        list(CHANNEL_SHORT),
        days,
        _row(f"{year}年{month}月", whole),
        asked.most_common(10),
    )


def guidance_trend(
    *, scope, center: Center, year: int, month: int, months: int = 6
) -> list[ShareRow]:
    """The month's figure for the ``months`` months up to the given one, oldest first."""
    rows = []
    for i in range(months - 1, -1, -1):
        y, m = divmod(year * 12 + month - 1 - i, 12)
        rows.append(guidance_month(scope=scope, center=center, year=y, month=m + 1).month_row)
    return rows


def guidance_count_today(*, scope, center: Center, user, today: date) -> tuple[int, int]:
    """Today's guidance at the center, and by this user."""
    lo, hi = day_bounds(today, today)
    qs = Guidance.objects.visible_to(scope).filter(center=center, at__range=(lo, hi))
    return qs.count(), qs.filter(by=user).count()


# --- complaint channels (public) --------------------------------------------------------------


def public_centers():
    """The centers whose complaint channels are published: every active service center
    and convenience center, by region."""
    return (
        Center.objects.filter(is_active=True)
        .select_related("region")
        .order_by("region__path", "pk")
    )


def public_center(code: str) -> Center:
    center = Center.objects.filter(code=code, is_active=True).select_related("region").first()
    if center is None:
        raise NotFound()
    return center


def channels_of(center: Center) -> ComplaintChannels | None:
    return ComplaintChannels.objects.filter(center=center).first()


def channels_in_scope(*, scope, center: Center) -> ComplaintChannels | None:
    return ComplaintChannels.objects.visible_to(scope).filter(center=center).first()
