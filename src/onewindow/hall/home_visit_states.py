"""The life of a door-to-door visit (上门服务, R-HALL-6), written once as data.

    requested ──assign──▶ assigned ──visit──▶ visited ──mail──▶ mailed
        │                  │  ▲
        │                  └──┘ assign again (another staff member or date)
        └──cancel──▶ cancelled ◀──cancel── assigned

Services, pages and docs read this table.
"""

from __future__ import annotations

from dataclasses import dataclass

REQUESTED = "requested"
ASSIGNED = "assigned"
VISITED = "visited"
MAILED = "mailed"
CANCELLED = "cancelled"

STATE_LABELS = {
    REQUESTED: "已申请",
    ASSIGNED: "已派员",
    VISITED: "已上门",
    MAILED: "结果已寄出",
    CANCELLED: "已取消",
}
OPEN = frozenset({REQUESTED, ASSIGNED, VISITED})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    label: str
    admin_only: bool  # only the center administrator; otherwise also the assigned staff member


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("assign", frozenset({REQUESTED, ASSIGNED}), ASSIGNED, "派员", True),
        Transition("visit", frozenset({ASSIGNED}), VISITED, "登记已上门", False),
        Transition("mail", frozenset({VISITED}), MAILED, "登记结果寄出", False),
        Transition("cancel", frozenset({REQUESTED, ASSIGNED}), CANCELLED, "取消", True),
    )
}


def can(action: str, state: str) -> bool:
    transition = TRANSITIONS.get(action)
    return transition is not None and state in transition.sources


def actions_from(state: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if state in t.sources]
