"""The provincial exchange (R-MSG-3): case records and reviews pushed to the provincial
platform through the outbox, in the fields the provincial platforms use (``docs/exchange.md``).

A push is an outbox row of the channel ``province`` written in the transaction of the
case step or review that causes it (the receivers of ``cases``' ``case_stepped`` and
``evaluation``'s ``review_given``); its key is the record's (``province:case:<case>:
<event>``, ``province:review:<review>``), so the same step pushed twice is one push, and
the province dedups by the same key. The worker sends it like any message: retried with
a doubling backoff, parked after ``MAX_ATTEMPTS``. A push is acknowledged when the
province answers ``code == "0"`` with its ``ackId`` (kept as the message's receipt).

``push_missing`` pushes the records that have none (the sweep's default reviews, records
older than the exchange): a snapshot of the case's current state, the review as it is.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from onewindow.cases import states
from onewindow.cases.models import Case
from onewindow.cases.signals import case_stepped
from onewindow.core.clock import now as clock_now
from onewindow.evaluation import scheme
from onewindow.evaluation.models import Review
from onewindow.evaluation.signals import review_given
from onewindow.messaging.models import Message
from onewindow.messaging.outbox import push

CASE, REVIEW = "case", "review"
KINDS = {CASE: "办件信息", REVIEW: "好差评"}

# 办件状态 (handleState): the provincial platforms' few states of a case, by our states.
HANDLE_STATES = {
    states.DRAFT: ("00", "未提交"),
    states.PRE_REVIEW: ("01", "已申请"),
    states.INTAKE: ("01", "已申请"),
    states.CORRECTING_INTAKE: ("02", "补齐补正"),
    states.REFUSED: ("03", "不予受理"),
    states.ACCEPTED: ("04", "已受理"),
    states.IN_REVIEW: ("05", "办理中"),
    states.CORRECTING: ("02", "补齐补正"),
    states.SPECIAL: ("06", "特别程序"),
    states.APPROVED: ("07", "办结（准予）"),
    states.DENIED: ("08", "办结（不予）"),
    states.READY: ("07", "办结（准予）"),
    states.DELIVERED: ("09", "已送达"),
    states.WITHDRAWN: ("10", "撤回"),
    states.ARCHIVED: ("11", "已归档"),
}
# 申请渠道 (applyFrom) of a case; 评价渠道 (pf) of a review, the national 好差评 codes
APPLY_FROM = {"window": "1", "web": "2", "mobile": "3", "terminal": "4", "agent": "5"}
PF = {"web": "1", "mobile": "2", "qr": "3", "pad": "4", "terminal": "5", "phone": "6", "sms": "7"}


def stamp(at) -> str:
    """A time as the provincial platforms write it: local, ``yyyy-MM-dd HH:mm:ss``."""
    return f"{timezone.localtime(at):%Y-%m-%d %H:%M:%S}" if at else ""


def case_fields(case: Case, *, action: str = "", at=None) -> dict:
    code, name = HANDLE_STATES.get(case.state, ("99", case.get_state_display()))
    return {
        "projectNo": case.number,
        "taskCode": case.matter.code,
        "taskName": case.matter.name,
        "areaCode": case.center.region.code,
        "deptName": case.department.name if case.department_id else "",
        "applyFrom": APPLY_FROM.get(case.channel, "9"),
        "applyFromName": case.get_channel_display(),
        "handleState": code,
        "handleStateName": name,
        "action": action,
        "promiseDate": f"{case.due:%Y-%m-%d}" if case.due else "",
        "eventTime": stamp(at or timezone.now()),
    }


def satisfaction(level: int) -> int:
    """The 好差评 level 1–5 (1 非常不满意 … 5 非常满意) of a review's level."""
    if level not in scheme.LEVELS:
        raise ValueError(f"no satisfaction level {level!r}")
    return int(level)


def review_fields(review: Review) -> dict:
    level = satisfaction(review.level)
    case = review.case
    matter = review.matter or (case.matter if case is not None else None)
    return {
        "evaluationNo": f"{review.center.code}-{review.pk}",
        "projectNo": case.number if case is not None else "",
        "taskCode": matter.code if matter is not None else "",
        "taskName": matter.name if matter is not None else "",
        "areaCode": review.center.region.code,
        "deptName": review.department.name if review.department_id else "",
        "evaluateType": review.kind,
        "satisfaction": level,
        "satisfactionName": scheme.LEVELS[level],
        "evaluateDetail": list(review.reasons or []),
        "writingEvaluation": review.text or "",
        "pf": PF.get(review.channel, "9"),
        "isDefault": "1" if review.is_default else "0",
        "assessTime": stamp(review.created_at),
    }


def push_case(case: Case, *, key: str, action: str = "", at=None) -> Message:
    fields = case_fields(case, action=action, at=at)
    return push(
        key=key,
        kind=CASE,
        record_id=case.pk,
        fields=fields,
        summary=f"办件{case.number}（{fields['handleStateName']}）",
        center=case.center,
        now=at,
    )


def push_review(review: Review) -> Message:
    fields = review_fields(review)
    return push(
        key=f"province:review:{review.pk}",
        kind=REVIEW,
        record_id=review.pk,
        fields=fields,
        summary=f"好差评{fields['evaluationNo']}（{fields['satisfactionName']}）",
        center=review.center,
    )


def on_case(sender, case: Case, action: str, at=None, event=None, **_):
    if case.state == states.DRAFT:
        return
    step = event.pk if event is not None else f"{action}:{case.state}"
    push_case(case, key=f"province:case:{case.pk}:{step}", action=action, at=at)


def on_review(sender, review: Review, **_):
    push_review(review)


def _pushes(kind: str):
    """The pushes of one kind of record, by its id (the channel named, so the partial
    index ``message_record`` answers instead of a scan of the outbox per record)."""
    return Message.objects.filter(
        channel=Message.Channel.PROVINCE, record_type=kind, record_id=OuterRef("pk")
    )


def unpushed_cases(cases):
    pushed = _pushes(CASE)
    return cases.exclude(state=states.DRAFT).filter(~Exists(pushed))


def unpushed_reviews(reviews):
    pushed = _pushes(REVIEW)
    return reviews.filter(~Exists(pushed))


def _row(kind: str, record, key: str, fields: dict, summary: str, now) -> Message:
    return Message(
        key=key[:120],
        channel=Message.Channel.PROVINCE,
        template=f"province_{kind}",
        params=fields,
        body=summary[:500],
        parts=0,
        center_id=record.center_id,
        next_at=now,
        created_at=now,
        record_type=kind,
        record_id=record.pk,
    )


def _case_row(case: Case, now) -> Message:
    fields = case_fields(case, action="snapshot", at=now)
    key = f"province:case:{case.pk}:now:{case.state}"
    return _row(CASE, case, key, fields, f"办件{case.number}（{fields['handleStateName']}）", now)


def _review_row(review: Review, now) -> Message:
    fields = review_fields(review)
    summary = f"好差评{fields['evaluationNo']}（{fields['satisfactionName']}）"
    return _row(REVIEW, review, f"province:review:{review.pk}", fields, summary, now)


def push_missing(*, cases=None, reviews=None, batch: int = 500, now=None) -> tuple[int, int]:
    """Push the records (of the given querysets; all by default) that have no push, in
    batches of one insert each (a key pushed meanwhile is skipped); how many cases and
    reviews were pushed."""
    now = clock_now(now)
    cases = Case.objects.all() if cases is None else cases
    reviews = Review.objects.all() if reviews is None else reviews
    related = ("matter", "center__region", "department")
    counts = [0, 0]
    for i, (rows, row) in enumerate(
        (
            (unpushed_cases(cases).select_related(*related), _case_row),
            (unpushed_reviews(reviews).select_related(*related, "case__matter"), _review_row),
        )
    ):
        while chunk := list(rows.order_by("pk")[:batch]):
            with transaction.atomic():
                Message.objects.bulk_create(
                    [row(record, now) for record in chunk], ignore_conflicts=True
                )
            counts[i] += len(chunk)
    return counts[0], counts[1]


def connect() -> None:
    case_stepped.connect(on_case, dispatch_uid="messaging.exchange.case")
    review_given.connect(on_review, dispatch_uid="messaging.exchange.review")
