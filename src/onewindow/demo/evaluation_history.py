"""Demo reviews (好差评) for the Linxia demo data: six months of **simulated** reviews,
seeded, so the statistics, the ranking and the rectification queue show real patterns.

- The demo's finished visits (tickets) and concluded cases get a review with a channel
  mix (pad, QR code, web, mobile, SMS); some are left to the default 基本满意 after 7
  days; departments differ in quality and improve month by month.
- Unsolicited reviews of departments and windows fill the months the simulated hall
  history does not cover.
- Bad reviews open rectifications through the services (working-day deadlines from the
  calendar) and are taken through their life to different points: closed, reported,
  contacted, overdue, one with an upheld appeal.

Loading again changes nothing once any review exists.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from onewindow.cases.models import Case
from onewindow.core import clock
from onewindow.evaluation import scheme, selectors, services
from onewindow.evaluation.models import Review
from onewindow.hall import states as ticket_states
from onewindow.hall.models import Ticket, Window
from onewindow.org.models import Department

BAD_TEXTS = [
    "排队等候时间太长，叫号很慢",
    "窗口人员态度冷淡，问问题不耐烦",
    "材料说了两次才说清楚，多跑了一趟",
    "办理速度慢，说好的当天办结没有办结",
    "系统经常卡，网上提交不了材料",
    "要求提供指南上没有的证明材料",
    "窗口人员离岗，等了很久没人",
    "指南写的和窗口说的不一样",
]
GOOD_TEXTS = ["办事很快，一次办成", "工作人员很耐心", "不用跑腿，网上就办好了", ""]


def _level(rng: random.Random, quality: float, month_index: int) -> int:
    bad = max(0.01, quality * (1 - 0.12 * month_index))
    x = rng.random()
    if x < bad * 0.45:
        return 1
    if x < bad:
        return 2
    if x < bad + 0.08:
        return 3
    if x < bad + 0.35:
        return 4
    return 5


def _fill(rng: random.Random, review: Review, form: scheme.ReviewForm) -> None:
    bad = scheme.is_bad(review.level)
    pool = list(form.bad if bad else form.good)
    review.reasons = rng.sample(pool, k=min(len(pool), rng.choice([1, 1, 2])))
    review.text = rng.choice(BAD_TEXTS) if bad else rng.choice(GOOD_TEXTS)
    codes = form.indicators
    review.indicators = {c: max(1, min(5, review.level + rng.choice([-1, 0, 0, 1]))) for c in codes}


def _month_index(at: datetime, start: datetime) -> int:
    return max(0, (at.year - start.year) * 12 + at.month - start.month)


@transaction.atomic
def load(*, now: datetime | None = None, seed: int = 2026, months: int = 6) -> int:
    """Create the demo reviews and rectifications; return how many rows were made."""
    if Review.objects.exists():
        return 0
    rng = random.Random(seed)
    now = clock.now(now)
    start = now - timedelta(days=30 * months)
    quality = {}
    for i, dept in enumerate(Department.objects.order_by("pk")):
        quality[dept.pk] = [0.03, 0.06, 0.1, 0.16][i % 4]
    made: list[Review] = []

    def add(review: Review, form: scheme.ReviewForm, dept_id, when: datetime, default_ok=True):
        review.created_at = when
        if default_ok and rng.random() < 0.15:
            review.level, review.is_default = scheme.DEFAULT_LEVEL, True
            review.created_at = when + timedelta(days=7)
        else:
            q = quality.get(dept_id, 0.06)
            review.level = _level(rng, q, _month_index(when, start))
            _fill(rng, review, form)
        if rng.random() < 0.3 and scheme.is_bad(review.level):
            review.set_contact("演示评价人", f"139{rng.randrange(10**8):08d}")
        made.append(review)

    tickets = (
        Ticket.objects.filter(state=ticket_states.DONE, finished_at__isnull=False)
        .select_related("center", "served_window", "clerk__staff_profile__department")
        .order_by("-finished_at")[:4000]
    )
    for ticket in tickets:
        if rng.random() < 0.35:
            continue
        targets = selectors.visit_targets(ticket)
        review = Review(
            kind="visit",
            channel=rng.choice(["pad", "pad", "pad", "qr", "sms"]),
            ticket=ticket,
            **targets,
        )
        when = ticket.finished_at + timedelta(minutes=rng.randrange(1, 30))
        add(
            review,
            services.form_for_visit(),
            targets["department"] and targets["department"].pk,
            when,
        )
    cases = (
        Case.objects.filter(state__in=sorted(selectors.CONCLUDED), decided_at__isnull=False)
        .select_related("center", "department", "matter", "ticket", "decided_by")
        .order_by("-decided_at")[:3000]
    )
    for case in cases:
        if rng.random() < 0.3:
            continue
        targets = selectors.case_targets(case)
        review = Review(
            kind="case",
            channel=rng.choice(["web", "mobile", "mobile", "sms"]),
            case=case,
            **targets,
        )
        when = case.decided_at + timedelta(hours=rng.randrange(1, 72))
        add(review, services.form_for_case(case), case.department_id, when)
    # Unsolicited reviews over the months: the departments stationed at centers.
    departments = list(Department.objects.filter(center__isnull=False).select_related("center"))
    windows = list(Window.objects.select_related("center"))
    for day in range(30 * months):
        when = start + timedelta(days=day, hours=9 + rng.randrange(8))
        if when > now or when.weekday() >= 5:
            continue
        for _ in range(rng.randrange(2, 7)):
            if departments and (not windows or rng.random() < 0.7):
                dept = rng.choice(departments)
                review = Review(
                    kind="unsolicited",
                    subject="department",
                    channel=rng.choice(["web", "mobile", "terminal", "phone"]),
                    center=dept.center,
                    department=dept,
                )
                add(
                    review,
                    services.form_for_general(review.channel),
                    dept.pk,
                    when,
                    default_ok=False,
                )
            elif windows:
                window = rng.choice(windows)
                review = Review(
                    kind="unsolicited",
                    subject="window",
                    channel="terminal",
                    center=window.center,
                    window=window,
                )
                add(review, services.form_for_general(review.channel), None, when, default_ok=False)
    made = [r for r in made if r.created_at <= now]
    Review.objects.bulk_create(made, batch_size=1000)
    created = len(made)
    created += _rectifications(rng, now)
    return created


def _rectifications(rng: random.Random, now: datetime) -> int:
    actor = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    bad = Review.objects.filter(level__lte=2, is_default=False).order_by("created_at", "pk")
    count = 0
    step = services.rectification_step
    for review in bad.iterator(chunk_size=500):
        rect = services.open_rectification(review)
        count += 1
        if actor is None:
            continue
        age = (now - review.created_at).days
        at = review.created_at
        if age < 1:
            continue  # still waiting to be contacted
        if rng.random() < 0.05 and age > 3:
            continue  # left alone: the sweep flags it overdue
        at += timedelta(hours=rng.randrange(2, 30))
        step(
            actor=actor,
            rectification=rect,
            action="contact",
            text="已电话联系评价人，了解情况并致歉",
            now=at,
        )
        step(actor=actor, rectification=rect, action="start", now=at)
        if age < 3:
            continue
        at += timedelta(days=rng.randrange(1, 8))
        if at > now:
            continue
        step(
            actor=actor,
            rectification=rect,
            action="report",
            text=rng.choice(
                [
                    "已对窗口人员进行服务规范培训",
                    "已优化办理流程，压缩办理时间",
                    "已更新办事指南，一次告知清楚",
                ]
            ),
            now=at,
        )
        if age < 8:
            continue
        if rng.random() < 0.03:
            appeal = services.appeal_file(
                actor=actor, review=review, reason="监控录像显示评价人未在窗口办理业务", now=at
            )
            services.appeal_decide(
                actor=actor, appeal=appeal, upheld=True, decision="经核查录像，申诉成立", now=at
            )
            continue
        at += timedelta(days=1)
        if at > now:
            continue
        accepts = rng.random() < 0.85
        services.rectification_reviewer_answer(
            token=rect.reviewer_token,
            accepts=accepts,
            comment="" if accepts else "问题没有解决",
            now=at,
        )
        at += timedelta(days=1)
        if at > now:
            continue
        step(actor=actor, rectification=rect, action="check", text="回访核查属实", now=at)
        step(actor=actor, rectification=rect, action="close", now=at)
    return count
