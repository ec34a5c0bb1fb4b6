"""The reconciliation of the provincial exchange (R-MSG-3): for the caller's centers,
what the province has acknowledged and what it has not — pushes acknowledged, sent
without an acknowledgement yet (tried, to be tried again), pending (not tried yet),
parked (given up after the limit) — and the records that have no push at all."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from onewindow.cases.models import Case
from onewindow.evaluation.models import Review
from onewindow.messaging.exchange import CASE, KINDS, REVIEW, unpushed_cases, unpushed_reviews
from onewindow.messaging.models import Message

COLUMNS = {
    "acknowledged": "省级平台已确认",
    "unacknowledged": "已推送未确认（重试中）",
    "pending": "待推送",
    "parked": "推送失败已暂停",
    "unpushed": "未推送的记录",
}


@dataclass
class Line:
    kind: str
    label: str
    acknowledged: int = 0
    unacknowledged: int = 0
    pending: int = 0
    parked: int = 0
    unpushed: int = 0

    @property
    def pushes(self) -> int:
        return self.acknowledged + self.unacknowledged + self.pending + self.parked

    def cells(self) -> list[int]:
        return [getattr(self, name) for name in COLUMNS]


def pushes(*, scope) -> QuerySet[Message]:
    return Message.objects.visible_to(scope).filter(channel=Message.Channel.PROVINCE)


def reconciliation(*, scope) -> list[Line]:
    """One line per kind of record (办件信息, 好差评), then the total."""
    tried = Q(attempts__gt=0)
    rows = (
        pushes(scope=scope)
        .values("record_type")
        .annotate(
            acknowledged=Count("pk", filter=Q(state=Message.State.SENT)),
            unacknowledged=Count("pk", filter=Q(state=Message.State.PENDING) & tried),
            pending=Count("pk", filter=Q(state=Message.State.PENDING) & ~tried),
            parked=Count("pk", filter=Q(state=Message.State.PARKED)),
        )
        .order_by()
    )
    lines = {kind: Line(kind, label) for kind, label in KINDS.items()}
    for row in rows:
        line = lines.get(row["record_type"])
        if line is not None:
            for name in ("acknowledged", "unacknowledged", "pending", "parked"):
                setattr(line, name, row[name])
    lines[CASE].unpushed = unpushed_cases(Case.objects.visible_to(scope)).count()
    lines[REVIEW].unpushed = unpushed_reviews(Review.objects.visible_to(scope)).count()
    total = Line("total", "合计")
    for line in lines.values():
        for name in COLUMNS:
            setattr(total, name, getattr(total, name) + getattr(line, name))
    return [*lines.values(), total]


def outstanding(*, scope) -> QuerySet[Message]:
    """The pushes the province has not acknowledged, parked first, oldest first."""
    return (
        pushes(scope=scope)
        .exclude(state=Message.State.SENT)
        .select_related("center")
        .order_by("state", "created_at", "pk")
    )
