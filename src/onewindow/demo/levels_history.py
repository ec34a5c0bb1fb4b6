"""Demo assessment of lower levels (R-SUP-3): six months of red and black lists (红黑榜)
for Linxia, published through the service — the prefecture's counties each month, and
the townships of 临夏县 and 康乐县.

The network's coverage is made realistic first, once (idempotent, by the accounts'
login names and the regions' codes): every township center and village point gets an
agent (代办员, no password: demo people who do not sign in), except a few points still
without one; some points were staffed only recently (their postings start within the
six months, so those months count them unstaffed); 积石山县's 红崖村 point is suspended
(停用). Every village keeps its point (the demo's network is complete: a village without
a point is shown by the tests' world). 临夏县 sets its own weights for the year (on-time
completion and satisfaction weigh more). The prefecture's center administrator adds the
agents (a prefecture-wide manager).

Skipped in a database without the Linxia network."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from onewindow.demo import data, staff_history
from onewindow.org import services as org_services
from onewindow.org.models import Center, Level, Region
from onewindow.oversight import services
from onewindow.oversight.indicators import months_back
from onewindow.oversight.levels_rule import DEFAULT_WEIGHTS
from onewindow.oversight.models import LevelWeights, RedBlackList
from onewindow.oversight.selectors.levels import last_finished_month

MONTHS = 6
# point regions (codes) left without an agent; staffed only since a recent month
UNSTAFFED = {
    "622921101202",
    "622901101202",
    "622924102202",
    "622926102",
    "622926102201",
    "622927102202",
}
RECENT = {
    "622921102": 3,
    "622922101201": 5,
    "622923101201": 2,
    "622925102202": 3,
    "622927101": 4,
    "622922102202": 1,
}
SUSPENDED = "622927102202"
SURNAMES = "马韩何妥王张李杨赵冶穆苏孔丁"
GIVEN = ("玉梅", "海军", "秀英", "国福", "晓红", "志华", "兰芳", "德胜", "春花", "永强")
LINXIA_WEIGHTS = {
    **DEFAULT_WEIGHTS,
    "on_time_rate": 14,
    "satisfaction": 14,
    "entry_rate": 6,
    "compression": 4,
}


def _agents(actor, months: list[dt.date]) -> int:
    made = 0
    centers = Center.objects.filter(
        region__level__in=[Level.TOWNSHIP, Level.VILLAGE]
    ).select_related("region")
    taken = set(
        get_user_model()
        .objects.filter(username__startswith="lv-")
        .values_list("username", flat=True)
    )
    for i, center in enumerate(centers.order_by("region__code")):
        code = center.region.code
        username = f"lv-{code}"
        if code in UNSTAFFED or username in taken:
            continue
        start = months[-RECENT[code]] if code in RECENT else dt.date(2024, 6, 1)
        profile = org_services.staff_create(
            actor=actor,
            username=username,
            full_name=SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)] + data.DEMO_MARK,
            password=None,
            roles={"agent"},
            staff_no=f"7{i:04d}",  # five digits from 7: no other demo series
            center=center,
            title="便民服务代办员",
            posting_started=start,
        )
        made += 1 + staff_history.pre_job_training(actor, profile)
    return made


def _gaps(actor) -> int:
    made = 0
    point = Center.objects.filter(region__code=SUSPENDED, is_active=True).first()
    if point is not None:
        org_services.center_update(actor=actor, center=point, is_active=False)
        made += 1
    return made


def load() -> int:
    users = get_user_model().objects
    pref_admin = users.filter(username="lxz-admin").first()
    county_admin = users.filter(username="lxx-admin").first()
    pref = Region.objects.filter(code=data.PREFECTURE_CODE).first()
    if pref is None or pref_admin is None or county_admin is None:
        return 0
    months = months_back(last_finished_month(), MONTHS)
    made = _agents(pref_admin, months) + _gaps(pref_admin)
    linxia = Region.objects.get(code="622921")
    kangle = Region.objects.get(code="622922")
    for year in sorted({m.year for m in months}):
        if not LevelWeights.objects.filter(region=linxia, year=year).exists():
            services.level_weights_set(
                actor=county_admin,
                region_id=linxia.pk,
                year=year,
                weights=LINXIA_WEIGHTS,
                annual_points=6,
            )
            made += 1
    for month in months:
        for actor, region in ((pref_admin, pref), (county_admin, linxia), (pref_admin, kangle)):
            if not RedBlackList.objects.filter(region=region, month=month).exists():
                services.red_black_publish(actor=actor, region_id=region.pk, month=month)
                made += 1
    return made
