"""The life of a case (办件), written once as data (R-CASE-1, R-CASE-2).

Internal states and the actions between them; who may take each action (the activity
of ``core/roles.py`` it needs); what the clock does; and the few plain labels citizens see on every channel (R-CAT-9).

    draft ─submit─▶ pre_review ─pass─▶ intake
      (online)          └─return─▶ draft
    draft ─applicant_withdraw─▶ withdrawn (the citizen, through their link)
    intake ─accept─▶ accepted ─start_review─▶ in_review ─approve─▶ approved ─▶ ready ─deliver─▶ delivered ─archive─▶ archived
       │                                          │   └──deny──▶ denied ──▶ ready
       ├─refuse─▶ refused                        └─ask_correction─▶ correcting (clock paused) ─reply─▶ in_review
       └─ask_correction─▶ correcting_intake ─reply─▶ intake
    correcting / correcting_intake ─(past the notice's date)─▶ withdrawn
    in_review ─start_special─▶ special (expert review, hearing, public notice; clock paused) ─end_special─▶ in_review
    pre_review / intake ─(5 working days untaken, 行政许可法 §32)─▶ accepted (deemed)

A supervisor may force a step (``force``: reopen, move on) with a written reason; it is
recorded like any other step.
"""

from __future__ import annotations

from dataclasses import dataclass

DRAFT = "draft"
PRE_REVIEW = "pre_review"
INTAKE = "intake"
CORRECTING_INTAKE = "correcting_intake"
REFUSED = "refused"
ACCEPTED = "accepted"
IN_REVIEW = "in_review"
CORRECTING = "correcting"
SPECIAL = "special"
APPROVED = "approved"
DENIED = "denied"
READY = "ready"
DELIVERED = "delivered"
WITHDRAWN = "withdrawn"
ARCHIVED = "archived"

LABELS = {
    DRAFT: "草稿",
    PRE_REVIEW: "网上预审",
    INTAKE: "窗口收件",
    CORRECTING_INTAKE: "待补正（受理前）",
    REFUSED: "不予受理",
    ACCEPTED: "已受理",
    IN_REVIEW: "审查中",
    CORRECTING: "待补正（审查中）",
    SPECIAL: "特别程序",
    APPROVED: "准予许可",
    DENIED: "不予许可",
    READY: "待出件",
    DELIVERED: "已送达",
    WITHDRAWN: "已撤回",
    ARCHIVED: "已归档",
}

# What citizens see, on every channel: a few plain labels (已提交, 待补正, 已受理, 办理中,
# 已办结, 已送达, 不予受理, 已撤回), and 未提交 for an online draft not yet sent.
PUBLIC = {
    DRAFT: "未提交",
    PRE_REVIEW: "已提交",
    INTAKE: "已提交",
    CORRECTING_INTAKE: "待补正",
    REFUSED: "不予受理",
    ACCEPTED: "已受理",
    IN_REVIEW: "办理中",
    CORRECTING: "待补正",
    SPECIAL: "办理中",
    APPROVED: "已办结",
    DENIED: "已办结",
    READY: "已办结",
    DELIVERED: "已送达",
    WITHDRAWN: "已撤回",
    ARCHIVED: "已送达",
}

OPEN = frozenset(
    {DRAFT, PRE_REVIEW, INTAKE, CORRECTING_INTAKE, ACCEPTED, IN_REVIEW, CORRECTING, SPECIAL}
)
# The back office's queue: accepted and not yet decided.
BACK_QUEUE = frozenset({ACCEPTED, IN_REVIEW, CORRECTING, SPECIAL})
CLOCK_RUNNING = frozenset({ACCEPTED, IN_REVIEW})
FRONT, BACK = "front", "back"

# The groups of states a list of cases is filtered by. The staff list page's tabs:
LIST_GROUPS = {
    "open": sorted(OPEN - {DRAFT}),  # a draft is the citizen's until sent
    "intake": [INTAKE],
    "review": [ACCEPTED, IN_REVIEW],
    "correcting": [CORRECTING_INTAKE, CORRECTING],
    "ready": [APPROVED, DENIED, READY],
    "done": [DELIVERED, ARCHIVED, REFUSED, WITHDRAWN],
}
# The API's ``group`` parameter (the back office's queue as one group):
API_GROUPS = {
    "open": LIST_GROUPS["open"],
    "back": sorted(BACK_QUEUE),
    "ready": LIST_GROUPS["ready"],
    "done": LIST_GROUPS["done"],
}

# The activity (``core.roles.PERMISSIONS``) a step of each office needs: the applicant's
# steps are registered for them by the front window; the system's are nobody's to take.
OFFICE_ACTIVITY = {FRONT: "case.front", BACK: "case.back", "applicant": "case.front", "system": ""}


@dataclass(frozen=True)
class Action:
    name: str
    sources: frozenset[str]
    target: str
    label: str
    office: str  # FRONT (window clerks), BACK (department), "applicant" or "system"
    clock: str = ""  # "start", "pause", "resume", "stop" or ""
    activity: str = ""  # who may take it (core/roles.py); by default the office's

    def __post_init__(self) -> None:
        if not self.activity:
            object.__setattr__(self, "activity", OFFICE_ACTIVITY[self.office])


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("submit", frozenset({DRAFT}), PRE_REVIEW, "提交申请", "applicant"),
        Action("prereview_pass", frozenset({PRE_REVIEW}), INTAKE, "预审通过", FRONT),
        Action("prereview_return", frozenset({PRE_REVIEW}), DRAFT, "预审退回修改", FRONT),
        # The citizen withdraws an online application that is still theirs: a draft, or
        # one returned by pre-review (a draft again). Never once it was accepted.
        Action("applicant_withdraw", frozenset({DRAFT}), WITHDRAWN, "撤回申请", "applicant"),
        Action(
            "deem_accept",
            frozenset({PRE_REVIEW, INTAKE}),
            ACCEPTED,
            "逾期视为受理",
            "system",
            "start",
        ),
        Action("accept", frozenset({INTAKE}), ACCEPTED, "受理", FRONT, "start"),
        Action("refuse", frozenset({INTAKE}), REFUSED, "不予受理", FRONT),
        Action(
            "ask_correction_intake", frozenset({INTAKE}), CORRECTING_INTAKE, "一次性告知补正", FRONT
        ),
        Action("reply_intake", frozenset({CORRECTING_INTAKE}), INTAKE, "补正材料", "applicant"),
        Action("start_review", frozenset({ACCEPTED}), IN_REVIEW, "开始审查", BACK),
        Action("ask_correction", frozenset({IN_REVIEW}), CORRECTING, "审查中补正", BACK, "pause"),
        Action("reply", frozenset({CORRECTING}), IN_REVIEW, "补正材料", "applicant", "resume"),
        Action("start_special", frozenset({IN_REVIEW}), SPECIAL, "进入特别程序", BACK, "pause"),
        Action("end_special", frozenset({SPECIAL}), IN_REVIEW, "特别程序结束", BACK, "resume"),
        Action("approve", frozenset({IN_REVIEW}), APPROVED, "准予", BACK, "stop"),
        Action("deny", frozenset({IN_REVIEW}), DENIED, "不予", BACK, "stop"),
        Action("make_ready", frozenset({APPROVED, DENIED}), READY, "送统一出件窗口", BACK),
        Action("deliver", frozenset({READY}), DELIVERED, "出件", FRONT),
        Action(
            "withdraw",
            frozenset({CORRECTING_INTAKE, CORRECTING}),
            WITHDRAWN,
            "视为撤回",
            FRONT,
            "stop",
        ),
        Action(
            "archive",
            frozenset({DELIVERED, REFUSED, WITHDRAWN}),
            ARCHIVED,
            "归档",
            FRONT,
            activity="case.archive",
        ),
    )
}


# A supervisor or center administrator may force a step (R-CASE-9), with a written reason.
@dataclass(frozen=True)
class ForceStep:
    name: str
    label: str
    moves: dict[str, str]  # from state → to state (the same state: no move)
    needs_user: bool = False
    help: str = ""


DECIDED = (APPROVED, DENIED, READY)
FORCE_STEPS: dict[str, ForceStep] = {
    s.name: s
    for s in (
        ForceStep(
            "reassign",
            "改派承办人",
            {s: s for s in BACK_QUEUE},
            needs_user=True,
            help="改由本部门另一名审批人员承办。",
        ),
        ForceStep(
            "reopen",
            "重新打开",
            {**{s: IN_REVIEW for s in DECIDED}, WITHDRAWN: IN_REVIEW},
            help="已决定或已撤回的办件退回审查，恢复计时；原决定保留在办理记录中。",
        ),
        ForceStep(
            "advance",
            "推进到下一步",
            {ACCEPTED: IN_REVIEW, READY: DELIVERED},
            help="已受理未审查的进入审查；待出件的记为已送达（须说明情况）。",
        ),
    )
}


# Steps that are not transitions of the state machine, as the case history names them.
EVENT_LABELS = {
    "intake": "收件",
    "urge": "督办催办",
    "urge_answer": "督办答复",
    "alert": "时限预警",
    "draft": "网上填报",
    "draft_save": "修改网上申请",
    "pledge_checks": "告知承诺核查任务",
    "pledge_true": "承诺核查属实",
    "pledge_false": "虚假承诺（决定待复核）",
    "project_link": "纳入帮办代办项目",
    "document_attach": "收取电子材料",
    "document_reuse": "复用材料库中的材料",
    "force_reassign": "督查改派承办人",
    "force_reopen": "督查重新打开",
    "force_advance": "督查推进",
    "handover": "队列移交",
}
