"""A center's set-up of the evaluation: pairing a pad (窗口评价器) to a window, and the
center's contact and rectify limits. Center administrators only."""

from __future__ import annotations

import secrets

from django.db import transaction

from onewindow.core import clock
from onewindow.core.audit import audit_record
from onewindow.core.errors import Forbidden, InvalidInput, NotFound
from onewindow.core.roles import may
from onewindow.core.scope import scope_for
from onewindow.evaluation.models import EvaluationSettings, PadDevice
from onewindow.evaluation.selectors import pad_digest
from onewindow.hall.models import Window
from onewindow.org.models import Center


def _require_center_admin(actor, center: Center) -> None:
    if actor.is_superuser:
        return
    if not Center.objects.visible_to(scope_for(actor)).filter(pk=center.pk).exists():
        raise NotFound("window.not_found", "未找到该窗口。")
    if not may(actor, "review.center"):
        raise Forbidden("evaluation.not_center_admin", "只有中心管理员可以配置评价器。")


@transaction.atomic
def pad_pair(*, actor, window: Window) -> tuple[PadDevice, str]:
    """The center pairs a tablet to a window; the clear key is returned once."""
    _require_center_admin(actor, window.center)
    key = "owp_" + secrets.token_urlsafe(24)
    now = clock.now()
    PadDevice.objects.filter(window=window, revoked_at__isnull=True).update(revoked_at=now)
    pad = PadDevice.objects.create(window=window, digest=pad_digest(key), created_by=actor)
    audit_record(
        actor=actor,
        action="evaluation.pad_pair",
        target=pad,
        center=window.center,
        note=str(window),
    )
    return pad, key


@transaction.atomic
def limits_set(
    *, actor, center: Center, contact_days: int, rectify_days: int
) -> EvaluationSettings:
    _require_center_admin(actor, center)
    for name, value in (("contact_days", contact_days), ("rectify_days", rectify_days)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 30:
            raise InvalidInput(
                "evaluation.bad_limit", "时限须为1至30个工作日。", {name: "须为1至30。"}
            )
    row, _ = EvaluationSettings.objects.update_or_create(
        center=center, defaults={"contact_days": contact_days, "rectify_days": rectify_days}
    )
    audit_record(
        actor=actor,
        action="evaluation.limits",
        target=row,
        center=center,
        after={"contact_days": contact_days, "rectify_days": rectify_days},
    )
    return row
