"""Writes of the staff assessment (R-STAFF-3): the center administrator sets the weights,
publishes a finished month's 服务之星 and 红旗窗口 (once: the published result stays as
it was, whatever records come later), and decides the year's grades within the
center's quota of 优秀. Each is audited."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from onewindow.core.audit import audit_record
from onewindow.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from onewindow.core.roles import may
from onewindow.core.scope import scope_for
from onewindow.org.models import Center
from onewindow.oversight.models import MonthHonours, StaffScoreSettings, YearGrades
from onewindow.oversight.models.staff_scores import FIELDS
from onewindow.oversight.selectors import staff_scores as sel
from onewindow.planning import staff_scores as rule

INTEGER_FIELDS = frozenset(
    f.name for f in dataclasses.fields(rule.Weights) if f.type in ("int", int)
)


def _manager(actor, center_id) -> Center:
    if not may(actor, "staff_scores.manage"):
        raise Forbidden("staff_scores.forbidden", "只有中心管理员可以管理人员考核。")
    try:
        pk = int(center_id)
    except (TypeError, ValueError):
        raise NotFound("center.not_found", "未找到该服务中心。") from None
    center = Center.objects.visible_to(scope_for(actor)).filter(pk=pk).first()
    if center is None:
        raise NotFound("center.not_found", "未找到该服务中心。")
    return center


def _number(name: str, raw):
    text = str(raw if raw is not None else "").strip()
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            "staff_scores.bad_value", "请填写数字。", {name: "请填写数字。"}
        ) from None
    if not value.is_finite():
        raise InvalidInput("staff_scores.bad_value", "请填写数字。", {name: "请填写数字。"})
    if name in INTEGER_FIELDS:
        if value != value.to_integral_value():
            raise InvalidInput("staff_scores.bad_value", "请填写整数。", {name: "请填写整数。"})
        return int(value)
    return float(value.quantize(Decimal("0.1")))


@transaction.atomic
def score_settings_set(*, actor, center_id, values: dict) -> StaffScoreSettings:
    """Set a center's weights and rules; refused (nothing changed) when any is wrong."""
    center = _manager(actor, center_id)
    current = sel.weights_for(center)
    merged = {
        name: _number(name, values[name]) if name in values else getattr(current, name)
        for name in FIELDS
    }
    weights = rule.Weights(**merged)
    problems = weights.problems()
    if problems:
        raise InvalidInput("staff_scores.bad_settings", "；".join(problems.values()), problems)
    row = StaffScoreSettings.objects.select_for_update().filter(center=center).first()
    before = dataclasses.asdict(current)
    row = row or StaffScoreSettings(center=center)
    for name in FIELDS:
        setattr(row, name, merged[name])
    row.set_by, row.set_at = actor, timezone.now()
    row.save()
    audit_record(
        actor=actor,
        action="staff_scores.settings_set",
        target=row,
        target_label=f"{center.name} 人员考核设置",
        center=center,
        before=before,
        after=merged,
    )
    return row


def _month(month) -> dt.date:
    if isinstance(month, str):
        period = sel.parse_period(month)
        if period.kind != sel.MONTH:
            raise InvalidInput("period.invalid", "请选择一个月份。")
        return period.first
    return month.replace(day=1)


@transaction.atomic
def publish_month(*, actor, center, month, now=None) -> MonthHonours:
    """Publish a finished month's 服务之星 and 红旗窗口 of a center. Publishing it again
    returns the published result unchanged."""
    center = _manager(actor, getattr(center, "pk", center))
    first = _month(month)
    Center.objects.select_for_update().filter(pk=center.pk).first()
    done = MonthHonours.objects.filter(center=center, month=first).first()
    if done is not None:
        return done
    period = sel.month_period(first.year, first.month)
    today = timezone.localdate(now or timezone.now())
    if not period.finished(today):
        raise Conflict(
            "staff_scores.month_unfinished",
            f"{period.label}尚未结束，月满后才能发布服务之星和红旗窗口。",
        )
    found = sel.center_scores(center=center, period=period, now=now)
    if not found.stars.winners:
        raise Conflict(
            "staff_scores.nothing_to_publish",
            f"{period.label}本中心无人办件或叫号，无法评出服务之星。",
        )
    honours = MonthHonours.objects.create(
        center=center,
        month=first,
        stars=[
            {
                "profile": r.profile.pk,
                "name": r.profile.user.full_name or str(r.profile.user),
                "staff_no": r.profile.staff_no,
                "department": r.profile.department.name if r.profile.department_id else "",
                "total": r.score.total,
            }
            for r in found.star_rows
        ],
        stars_tied=found.stars.tied,
        flags=[
            {"window": w.window.pk, "label": str(w.window), "score": w.score}
            for w in found.flag_rows
        ],
        flags_tied=found.flags.tied,
        formula=found.formula,
        published_by=actor,
    )
    audit_record(
        actor=actor,
        action="staff_scores.publish_month",
        target=honours,
        target_label=f"{center.name} {period.label}服务之星和红旗窗口",
        center=center,
        after={
            "stars": [s["name"] for s in honours.stars],
            "flags": [f["label"] for f in honours.flags],
        },
    )
    return honours


@transaction.atomic
def year_grades_decide(*, actor, center, year: int, grades: dict, now=None) -> YearGrades:
    """Decide the year's grades of everyone assessed at the center ({profile id: grade});
    refused when 优秀 exceeds the center's quota, or anyone is left out."""
    center = _manager(actor, getattr(center, "pk", center))
    today = timezone.localdate(now or timezone.now())
    if not 2000 <= int(year) <= today.year:
        raise InvalidInput("staff_scores.bad_year", "只能确定本年度及以前年度的考核等次。")
    found = sel.center_scores(center=center, period=sel.parse_period(str(year)), now=now)
    people = {r.profile.pk: r for r in found.rows}
    chosen = {}
    for key, grade in grades.items():
        try:
            pk = int(key)
        except (TypeError, ValueError):
            pk = None
        if pk not in people:
            raise InvalidInput("staff_scores.bad_person", "名单中有不属于本中心考核范围的人员。")
        if grade not in rule.GRADE_LABELS:
            raise InvalidInput(
                "staff_scores.bad_grade", f"请为{people[pk].profile.user}选择考核等次。"
            )
        chosen[pk] = grade
    missing = [str(people[pk].profile.user) for pk in people if pk not in chosen]
    if missing:
        raise InvalidInput(
            "staff_scores.grades_missing", f"以下人员未确定等次：{'、'.join(missing[:5])}。"
        )
    refusal = rule.over_quota(chosen, found.weights)
    if refusal:
        raise InvalidInput("staff_scores.over_quota", refusal, {"grades": refusal})
    row = YearGrades.objects.select_for_update().filter(center=center, year=year).first()
    before = dict(row.grades) if row else {}
    row = row or YearGrades(center=center, year=year)
    row.grades = {
        str(pk): {
            "grade": grade,
            "total": people[pk].score.total,
            "name": people[pk].profile.user.full_name or str(people[pk].profile.user),
            "staff_no": people[pk].profile.staff_no,
        }
        for pk, grade in chosen.items()
    }
    row.quota = rule.quota(len(chosen), found.weights)
    row.quota_words = rule.quota_words(len(chosen), found.weights)
    row.decided_by, row.decided_at = actor, timezone.now()
    row.save()
    audit_record(
        actor=actor,
        action="staff_scores.grades_decide",
        target=row,
        target_label=f"{center.name} {year}年度考核等次",
        center=center,
        before={k: v["grade"] for k, v in before.items()},
        after={str(k): v for k, v in chosen.items()},
    )
    return row
