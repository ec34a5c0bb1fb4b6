"""Reads of messaging: the parked messages of the caller's centers, a message's
attempts, a person's in-app messages."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from onewindow.messaging.models import Attempt, Message


def parked_messages(*, scope) -> QuerySet[Message]:
    return (
        Message.objects.visible_to(scope)
        .filter(state=Message.State.PARKED)
        .select_related("center")
        .order_by("-created_at", "-pk")
    )


def state_counts(*, scope) -> dict[str, int]:
    rows = Message.objects.visible_to(scope).values("state").annotate(n=Count("pk")).order_by()
    return {row["state"]: row["n"] for row in rows}


def attempts_of(messages) -> dict[int, list[Attempt]]:
    out: dict[int, list[Attempt]] = {}
    for attempt in Attempt.objects.filter(message__in=list(messages)).order_by("message", "number"):
        out.setdefault(attempt.message_id, []).append(attempt)
    return out


def inbox(user) -> QuerySet[Message]:
    return Message.objects.filter(
        user=user, channel=Message.Channel.INAPP, state=Message.State.SENT
    ).order_by("-sent_at", "-pk")
