"""Writes of the assessment (R-SUP-2): the center administrator sets an indicator's
threshold for the departments stationed at the center; every change is audited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from onewindow.core.audit import audit_record
from onewindow.core.errors import Forbidden, InvalidInput, NotFound
from onewindow.core.roles import may
from onewindow.core.scope import scope_for
from onewindow.org.models import Center
from onewindow.oversight.indicators.definitions import BY_CODE, PERCENT
from onewindow.oversight.models import IndicatorThreshold


def _value(text) -> Decimal:
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            "threshold.bad_value", "阈值须为数字。", {"value": "请填写数字。"}
        ) from None
    if not value.is_finite() or value < 0:
        raise InvalidInput("threshold.bad_value", "阈值不能为负数。", {"value": "不能为负数。"})
    return value.quantize(Decimal("0.1"))


@transaction.atomic
def threshold_set(*, actor, center_id: int, indicator: str, value) -> IndicatorThreshold:
    """Set (or change) one indicator's threshold at a center."""
    if not may(actor, "assessment.thresholds"):
        raise Forbidden("threshold.forbidden", "只有中心管理员可以设置考核阈值。")
    center = Center.objects.visible_to(scope_for(actor)).filter(pk=center_id).first()
    if center is None:
        raise NotFound("center.not_found", "未找到该服务中心。")
    spec = BY_CODE.get(indicator)
    if spec is None:
        raise InvalidInput("threshold.bad_indicator", "未知的考核指标。")
    number = _value(value)
    if spec.unit == PERCENT and number > 100:
        raise InvalidInput(
            "threshold.bad_value", "百分比阈值不能超过100。", {"value": "不能超过100。"}
        )
    row = (
        IndicatorThreshold.objects.select_for_update()
        .filter(center=center, indicator=indicator)
        .first()
    )
    before = {"value": str(row.value)} if row else {}
    if row is None:
        row = IndicatorThreshold(center=center, indicator=indicator, value=number)
    row.value, row.set_by, row.set_at = number, actor, timezone.now()
    row.save()
    audit_record(
        actor=actor,
        action="assessment.threshold_set",
        target=row,
        target_label=f"{center.name} {spec.name}",
        center=center,
        before=before,
        after={"indicator": indicator, "value": str(number)},
    )
    return row
