"""Reads of the shared kernel, scoped by the user."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from onewindow.core.models import ApiToken, AuditEvent


def audit_search(
    *,
    scope,
    actor: str = "",
    target: str = "",
    action: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.visible_to(scope).select_related(
        "actor", "actor__staff_profile", "center"
    )
    if actor:
        qs = qs.filter(Q(actor_label__icontains=actor) | Q(actor__username=actor))
    if target:
        qs = qs.filter(
            Q(target_label__icontains=target) | Q(target_id=target) | Q(target_type=target)
        )
    if action:
        qs = qs.filter(action=action)
    tz = timezone.get_current_timezone()
    if since:
        qs = qs.filter(at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        qs = qs.filter(at__lte=datetime.combine(until, time.max, tzinfo=tz))
    return qs


def audit_actions(*, scope) -> list[str]:
    return list(
        AuditEvent.objects.visible_to(scope)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()[:200]
    )


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """A person's own API tokens, newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")
