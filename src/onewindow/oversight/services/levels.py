"""Writes of the assessment of lower levels (R-SUP-3): the assessing level's weights of a
year (validated to sum to 100) and the publication of a month's red and black list
(红黑榜). Publication is once per assessing level and month: publishing again answers the
list already published, unchanged, so what the public reads stays fixed after new data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from onewindow.core.audit import audit_record
from onewindow.core.errors import Forbidden, InvalidInput
from onewindow.core.roles import may
from onewindow.core.scope import scope_for
from onewindow.org.models import Level
from onewindow.oversight import levels_rule as rule
from onewindow.oversight.indicators.sources import month_of
from onewindow.oversight.models import RedBlackEntry, RedBlackList
from onewindow.oversight.models.levels import LevelWeights
from onewindow.oversight.selectors.levels import MEASURES, assessor_get, scores

DEFAULT_SIZE = {Level.PREFECTURE: 2, Level.COUNTY: 1}
DEFAULT_FLOOR = Decimal("60")


def _number(text, field: str, label: str) -> Decimal:
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            "levels.bad_number", f"{label}须为数字。", {field: "请填写数字。"}
        ) from None
    if not value.is_finite() or value < 0 or value > 100:
        raise InvalidInput(
            "levels.bad_number", f"{label}须在0到100之间。", {field: "须在0到100之间。"}
        )
    return value.quantize(Decimal("0.1"))


@transaction.atomic
def level_weights_set(
    *, actor, region_id: int, year: int, weights: dict, annual_points
) -> LevelWeights:
    """Set an assessing level's weights of a year; refused unless they sum to 100."""
    if not may(actor, "levels.weights"):
        raise Forbidden("levels.forbidden", "只有中心管理员和督查人员可以设置下级考核权重。")
    region = assessor_get(scope=scope_for(actor), region_id=region_id)
    if not 2000 <= int(year) <= 2100:
        raise InvalidInput("levels.bad_year", "年度不正确。")
    values = {m.code: _number(weights.get(m.code, ""), m.code, m.name) for m in MEASURES}
    extra = set(weights) - set(values)
    problem = "权重须逐项填写每一个考核项目。" if extra else ""
    problem = problem or rule.weights_problem(
        {k: float(v) for k, v in values.items()}, [m.code for m in MEASURES]
    )
    if problem:
        raise InvalidInput("levels.weights_sum", problem, {"weights": problem})
    annual = _number(annual_points, "annual_points", "计入年度目标责任考核的分值")
    row = LevelWeights.objects.select_for_update().filter(region=region, year=year).first()
    before = {"weights": row.weights, "annual_points": str(row.annual_points)} if row else {}
    if row is None:
        row = LevelWeights(region=region, year=year)
    row.weights = {k: float(v) for k, v in values.items()}
    row.annual_points, row.set_by, row.set_at = annual, actor, timezone.now()
    row.save()
    audit_record(
        actor=actor,
        action="levels.weights_set",
        target=row,
        target_label=f"{region.name}{year}年下级考核权重",
        before=before,
        after={"weights": row.weights, "annual_points": str(annual)},
    )
    return row


def red_black_publish(
    *, actor, region_id: int, month: dt.date, size: int | None = None, floor=None
) -> RedBlackList:
    """Publish an assessing level's red and black list of a finished month. Once
    published, the list stays as it is: publishing again answers it unchanged."""
    if not may(actor, "levels.publish"):
        raise Forbidden("levels.forbidden", "只有中心管理员和督查人员可以发布红黑榜。")
    region = assessor_get(scope=scope_for(actor), region_id=region_id)
    month = month_of(month)
    if month >= month_of(timezone.localdate()):
        raise InvalidInput("levels.month_running", f"{month:%Y年%m月}尚未结束，不能发布红黑榜。")
    found = RedBlackList.objects.filter(region=region, month=month).first()
    if found is not None:
        return found
    size = DEFAULT_SIZE[region.level] if size is None else int(size)
    if not 1 <= size <= 10:
        raise InvalidInput("levels.bad_size", "红榜、黑榜名次须在1到10之间。")
    floor = DEFAULT_FLOOR if floor in (None, "") else _number(floor, "floor", "黑榜分数线")
    rows = list(scores(region, [month]).values())
    if not rows:
        raise InvalidInput("levels.no_units", f"{region.name}没有可考核的下级单位。")
    try:
        return _publish(actor, region, month, size, floor, rows)
    except IntegrityError:  # published at the same moment by someone else
        return RedBlackList.objects.get(region=region, month=month)


@transaction.atomic
def _publish(actor, region, month, size, floor, rows) -> RedBlackList:
    listing = RedBlackList.objects.create(
        region=region, month=month, size=size, floor=floor, published_by=actor
    )
    order = rule.rank([(r, r.score, r.unit.code) for r in rows], size, float(floor))
    RedBlackEntry.objects.bulk_create(
        RedBlackEntry(
            listing=listing,
            region=r.key.unit,
            rank=r.rank,
            score=None if r.score is None else Decimal(str(r.score)),
            mark=r.mark,
        )
        for r in order
    )
    audit_record(
        actor=actor,
        action="levels.red_black_publish",
        target=listing,
        target_label=f"{region.name}{month:%Y年%m月}红黑榜",
        after={
            "red": [r.key.unit.name for r in order if r.mark == "red"],
            "black": [r.key.unit.name for r in order if r.mark == "black"],
        },
    )
    return listing
