"""The life of a complaint (投诉) or suggestion, written once as data (R-CPL-1).

    received ─dispatch─▶ dispatched ─answer─▶ answered ─satisfied─▶ satisfied ─revisit─▶ revisited ─close─▶ closed
                  ▲          │                    └─unsatisfied─▶ unsatisfied ─revisit─▶ revisited
                  │          └─return (once, within 1 working day, with reason)─▶ returned
                  └──────────────────────────── dispatch ◀──────────────────────────────┘
    unsatisfied ─reopen (once, by the complainant)─▶ dispatched (a new answer clock)
    answered / satisfied / unsatisfied ─close─▶ closed   (anonymous only: nobody to revisit)

The answer clock starts on the day the complaint is received (day 0) and stops when
the department answers; it may be extended once with the center's approval. The
status every channel shows (the portal, the tracking link, Open311) is read from
``STATUS`` below: one table.
"""

from __future__ import annotations

from dataclasses import dataclass

RECEIVED = "received"
DISPATCHED = "dispatched"
RETURNED = "returned"
ANSWERED = "answered"
SATISFIED = "satisfied"
UNSATISFIED = "unsatisfied"
REVISITED = "revisited"
CLOSED = "closed"

LABELS = {
    RECEIVED: "待分办",
    DISPATCHED: "部门办理中",
    RETURNED: "部门退回待重新分办",
    ANSWERED: "已答复",
    SATISFIED: "投诉人满意",
    UNSATISFIED: "投诉人不满意",
    REVISITED: "已回访",
    CLOSED: "已办结",
}


@dataclass(frozen=True)
class Status:
    """What the public sees: a plain Chinese label, and the GeoReport v2 status."""

    label: str
    open311: str  # "open" or "closed"


# The one table of public statuses (portal, tracking link, Open311 ``status`` and
# ``status_notes``).
STATUS: dict[str, Status] = {
    RECEIVED: Status("已受理", "open"),
    DISPATCHED: Status("办理中", "open"),
    RETURNED: Status("办理中", "open"),
    ANSWERED: Status("已答复", "closed"),
    SATISFIED: Status("已答复", "closed"),
    UNSATISFIED: Status("已答复", "closed"),
    REVISITED: Status("已回访", "closed"),
    CLOSED: Status("已办结", "closed"),
}

OPEN = frozenset({RECEIVED, DISPATCHED, RETURNED})
# The department's answer clock runs in these states.
CLOCK_RUNNING = frozenset({RECEIVED, DISPATCHED, RETURNED})
AWAITING_FEEDBACK = frozenset({ANSWERED})
CENTER, DEPARTMENT, COMPLAINANT = "center", "department", "complainant"


@dataclass(frozen=True)
class Action:
    name: str
    sources: frozenset[str]
    target: str
    label: str
    office: str  # CENTER, DEPARTMENT, COMPLAINANT
    clock: str = ""  # "start", "stop" or ""


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("dispatch", frozenset({RECEIVED, RETURNED}), DISPATCHED, "分办", CENTER),
        Action("return", frozenset({DISPATCHED}), RETURNED, "退回（非本部门职责）", DEPARTMENT),
        Action("answer", frozenset({DISPATCHED}), ANSWERED, "答复", DEPARTMENT, "stop"),
        Action("satisfied", frozenset({ANSWERED}), SATISFIED, "评价满意", COMPLAINANT),
        Action("unsatisfied", frozenset({ANSWERED}), UNSATISFIED, "评价不满意", COMPLAINANT),
        Action(
            "reopen", frozenset({UNSATISFIED}), DISPATCHED, "申请重新办理", COMPLAINANT, "start"
        ),
        Action("revisit", frozenset({ANSWERED, SATISFIED, UNSATISFIED}), REVISITED, "回访", CENTER),
        Action(
            "close",
            frozenset({REVISITED, ANSWERED, SATISFIED, UNSATISFIED}),
            CLOSED,
            "办结归档",
            CENTER,
        ),
    )
}

# Steps that are not transitions, as the history names them.
EVENT_LABELS = {
    "receive": "登记",
    "extension_request": "申请延期",
    "extension_approve": "批准延期",
    "extension_refuse": "不批准延期",
    "overdue": "逾期未答复",
    "hotline_export": "回复12345热线",
    "link": "关联重复投诉",
}


def label_of(action: str) -> str:
    if action in ACTIONS:
        return ACTIONS[action].label
    return EVENT_LABELS.get(action, action)
