"""The life of a rectification of a bad review (差评整改, R-EVAL-2), written once as data.

    opened ─contact─▶ contacted ─start─▶ rectifying ─report─▶ reported
    reported ─accept─▶ accepted ─check─▶ checked ─close─▶ closed
    reported ─reject─▶ not_accepted ─check─▶ checked
                       not_accepted ─redo─▶ rectifying
    reported ─check─▶ checked            (the reviewer did not answer; the center
                                            checks on its own, with a note)
    any open state ─appeal_upheld─▶ closed (申诉成立: the review is excluded, kept)

Who: ``center`` (the center's administrators handling it), ``department`` (the
responsible department; the center where the review has no department), ``reviewer``
(through the link given at the review), ``system``. Clocks: contact within
``contact_days`` and rectify within ``rectify_days`` working days, both counted from
the day of the review (day 0), configurable per center.
"""

from __future__ import annotations

from dataclasses import dataclass

OPENED = "opened"
CONTACTED = "contacted"
RECTIFYING = "rectifying"
REPORTED = "reported"
ACCEPTED = "accepted"
NOT_ACCEPTED = "not_accepted"
CHECKED = "checked"
CLOSED = "closed"

LABELS = {
    OPENED: "待联系",
    CONTACTED: "已联系",
    RECTIFYING: "整改中",
    REPORTED: "已报告整改情况",
    ACCEPTED: "评价人认可",
    NOT_ACCEPTED: "评价人不认可",
    CHECKED: "中心已核查",
    CLOSED: "已办结",
}
OPEN = frozenset({OPENED, CONTACTED, RECTIFYING, REPORTED, ACCEPTED, NOT_ACCEPTED, CHECKED})
# Before the department has reported, the rectify clock runs.
BEFORE_REPORT = frozenset({OPENED, CONTACTED, RECTIFYING})
CENTER, DEPARTMENT, REVIEWER, SYSTEM = "center", "department", "reviewer", "system"


@dataclass(frozen=True)
class Action:
    name: str
    sources: frozenset[str]
    target: str
    label: str
    by: frozenset[str]
    needs_text: bool = False


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "contact",
            frozenset({OPENED}),
            CONTACTED,
            "联系评价人",
            frozenset({CENTER, DEPARTMENT}),
            True,
        ),
        Action(
            "start", frozenset({CONTACTED}), RECTIFYING, "开始整改", frozenset({DEPARTMENT, CENTER})
        ),
        Action(
            "report",
            frozenset({RECTIFYING}),
            REPORTED,
            "报告整改情况",
            frozenset({DEPARTMENT, CENTER}),
            True,
        ),
        Action("accept", frozenset({REPORTED}), ACCEPTED, "评价人认可", frozenset({REVIEWER})),
        Action(
            "reject", frozenset({REPORTED}), NOT_ACCEPTED, "评价人不认可", frozenset({REVIEWER})
        ),
        Action(
            "redo", frozenset({NOT_ACCEPTED}), RECTIFYING, "退回重新整改", frozenset({CENTER}), True
        ),
        Action(
            "check",
            frozenset({REPORTED, ACCEPTED, NOT_ACCEPTED}),
            CHECKED,
            "中心核查",
            frozenset({CENTER}),
            True,
        ),
        Action("close", frozenset({CHECKED}), CLOSED, "办结", frozenset({CENTER})),
        Action(
            "appeal_upheld", OPEN, CLOSED, "申诉成立，差评不计入统计", frozenset({CENTER}), True
        ),
    )
}

# Steps that are not transitions, as the rectification's history names them.
EVENT_LABELS = {
    "open": "差评生成整改单",
    "overdue": "超时预警并上报",
    "appeal": "部门提出申诉",
    "appeal_rejected": "申诉不成立",
}


def can(action: str, state: str) -> bool:
    spec = ACTIONS.get(action)
    return spec is not None and state in spec.sources


def label(action: str) -> str:
    if action in ACTIONS:
        return ACTIONS[action].label
    return EVENT_LABELS.get(action, action)
