"""The ticket's life, written once as data (R-HALL-2). Services, pages and docs read it.

waiting ──call──▶ called ──start──▶ serving ──finish──▶ done
   ▲  ▲             │  │ ▲                │
   │  └──undo───────┘  │ └─recall (≤ limit)│
   │                   ├──skip──▶ no_show ─┤ (recall over the limit also ends here)
   └──return (grace)───┼──────────┘        │
   └──transfer─────────┴───────────────────┘  (to another category or window,
                                               keeping the original arrival time)
waiting ──cancel──▶ cancelled
"""

from __future__ import annotations

from dataclasses import dataclass

WAITING = "waiting"
CALLED = "called"
SERVING = "serving"
NO_SHOW = "no_show"
DONE = "done"
CANCELLED = "cancelled"

STATE_LABELS = {
    WAITING: "等候中",
    CALLED: "已叫号",
    SERVING: "办理中",
    NO_SHOW: "过号",
    DONE: "已办结",
    CANCELLED: "已取消",
}
# States in which a window holds the ticket: at most one window, at most one ticket.
HELD = frozenset({CALLED, SERVING})
OPEN = frozenset({WAITING, CALLED, SERVING})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    label: str
    by_window: bool  # must be taken by the window that holds the ticket


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("call", frozenset({WAITING}), CALLED, "叫号", False),
        Transition("recall", frozenset({CALLED}), CALLED, "重呼", True),
        Transition("start", frozenset({CALLED}), SERVING, "开始办理", True),
        Transition("undo", frozenset({CALLED}), WAITING, "撤销叫号", True),
        Transition("skip", frozenset({CALLED}), NO_SHOW, "过号", True),
        Transition("return", frozenset({NO_SHOW}), WAITING, "过号返回", False),
        Transition("transfer", frozenset({CALLED, SERVING}), WAITING, "转移", True),
        Transition("finish", frozenset({CALLED, SERVING}), DONE, "办结", True),
        Transition("cancel", frozenset({WAITING, NO_SHOW}), CANCELLED, "取消", False),
    )
}


def can(action: str, state: str) -> bool:
    transition = TRANSITIONS.get(action)
    return transition is not None and state in transition.sources
