"""Reads of the evaluation, scoped by the reader (R-NET-3), and its statistics (R-EVAL-3).

Reviews never carry the reviewer's identity out of here except through
``rectification_contact``, which answers only to the center handling an open
rectification. A clerk (window staff without other roles) sees the reviews of their own
service; the department its own; the center and supervisors their scope.

Satisfaction is the share of 满意 and above among real reviews that count (not default,
not excluded by an upheld appeal); the bad-review rate likewise; default reviews are
counted apart. Every breakdown is one GROUP BY over an indexed column of ``Review``.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from onewindow.cases import states as case_states
from onewindow.cases.models import Case
from onewindow.core import clock, crypto, rollups
from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.roles import Role, has_any, holders, may, roles_of
from onewindow.core.scope import Scope, scope_for
from onewindow.evaluation import scheme, states
from onewindow.evaluation import selectors_rollup as rolled
from onewindow.evaluation.models import Appeal, EvaluationSettings, PadDevice, Rectification, Review
from onewindow.hall import states as ticket_states
from onewindow.hall.models import Ticket, Window
from onewindow.org.models import Center, StaffProfile
from onewindow.org.names import staff_label

MAX_DAYS = 731
# A case can be reviewed once it has concluded (一事一评).
CONCLUDED = frozenset(
    {
        case_states.APPROVED,
        case_states.DENIED,
        case_states.READY,
        case_states.DELIVERED,
        case_states.ARCHIVED,
    }
)
# The pad offers the window's last finished visit for this long.
PAD_MINUTES = 60


def _own_only(user) -> bool:
    roles = roles_of(user)
    return not user.is_superuser and bool(roles) and roles <= holders("review.own_only")


def reviews_for(*, user) -> QuerySet[Review]:
    qs = Review.objects.visible_to(scope_for(user))
    if _own_only(user):
        qs = qs.filter(staff=user)
    return qs.select_related("center", "department", "window", "matter", "staff__staff_profile")


def review_get_for(*, user, review_id) -> Review:
    if not str(review_id).isdigit():
        raise NotFound("review.not_found", "未找到该评价。")
    review = reviews_for(user=user).filter(pk=int(review_id)).first()
    if review is None:
        raise NotFound("review.not_found", "未找到该评价。")
    return review


def rectifications_for(*, user) -> QuerySet[Rectification]:
    qs = Rectification.objects.visible_to(scope_for(user))
    if _own_only(user):
        qs = qs.filter(review__staff=user)
    return qs.select_related(
        "review",
        "review__matter",
        "review__window",
        "center",
        "department",
        "responsible",
        "contact_deadline",
        "rectify_deadline",
    )


def rectification_get_for(*, user, rectification_id) -> Rectification:
    if not str(rectification_id).isdigit():
        raise NotFound("rectification.not_found", "未找到该整改单。")
    rect = rectifications_for(user=user).filter(pk=int(rectification_id)).first()
    if rect is None:
        raise NotFound("rectification.not_found", "未找到该整改单。")
    return rect


def appeals_for(*, user) -> QuerySet[Appeal]:
    return Appeal.objects.visible_to(scope_for(user)).select_related(
        "review", "review__department", "filed_by"
    )


def rectification_contact(*, user, rectification: Rectification) -> dict | None:
    """The reviewer's name and phone, only for the center handling the rectification and
    only while it is open; None for everyone else."""
    if not rectification.is_open or not rectification.review.has_contact:
        return None
    try:
        if states.CENTER not in roles_on(user, rectification):
            return None
    except NotFound:
        return None
    if not may(user, "review.center"):
        return None
    review = rectification.review
    return {
        "name": crypto.decrypt(review.contact_name_cipher),
        "phone": crypto.decrypt(review.contact_phone_cipher),
    }


def default_days() -> int:
    return int(getattr(settings, "ONEWINDOW_EVAL_DEFAULT_DAYS", 7))


def limits_for(center: Center) -> tuple[int, int]:
    """(contact, rectify) working days of a center; defaults 1 and 5."""
    row = EvaluationSettings.objects.filter(center=center).first()
    if row is None:
        return 1, 5
    return row.contact_days, row.rectify_days


def pad_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# --- what a visit and a case resolve to ---------------------------------------------------------


def visit_targets(ticket: Ticket) -> dict:
    case = Case.objects.filter(ticket=ticket).select_related("department", "matter").first()
    department = case.department if case else None
    if department is None and ticket.clerk_id:
        profile = getattr(ticket.clerk, "staff_profile", None)
        department = profile.department if profile is not None else None
    return {
        "center": ticket.center,
        "staff": ticket.clerk,
        "window": ticket.served_window,
        "department": department,
        "matter": case.matter if case else None,
    }


def case_targets(case: Case) -> dict:
    ticket = case.ticket
    return {
        "center": case.center,
        "staff": case.decided_by or case.assignee or case.intake_clerk,
        "window": ticket.served_window if ticket is not None else None,
        "department": case.department,
        "matter": case.matter,
    }


# --- the pad ----------------------------------------------------------------------------------


def pad_find(*, window_id, key: str) -> PadDevice | None:
    """The paired pad of a window by its key, or None."""
    if not key or not str(window_id).isdigit():
        return None
    return (
        PadDevice.objects.select_related("window__center")
        .filter(window_id=int(window_id), digest=pad_digest(key), revoked_at__isnull=True)
        .first()
    )


def pad_for(*, window_id, key: str) -> PadDevice:
    """The paired pad of a window by its key; NotFound for anything else."""
    pad = pad_find(window_id=window_id, key=key)
    if pad is None:
        raise NotFound("evaluation.pad_not_paired", "该评价器未配对或已失效，请联系中心管理员。")
    return pad


def pad_ticket(window: Window, now: datetime | None = None) -> Ticket | None:
    """The window's most recently finished visit, if it is recent and not yet reviewed."""
    now = clock.now(now)
    last = (
        Ticket.objects.select_related("clerk__staff_profile")
        .filter(served_window=window, state=ticket_states.DONE, day=timezone.localdate(now))
        .order_by("-finished_at", "-pk")
        .first()
    )
    if last is None or last.finished_at is None:
        return None
    if now - last.finished_at > timedelta(minutes=PAD_MINUTES):
        return None
    if Review.objects.filter(ticket=last, stage="").exists():
        return None
    return last


# --- rectifications -----------------------------------------------------------------------------


def roles_on(actor, rect: Rectification) -> frozenset[str]:
    """What the actor is on this rectification: center, department, both or neither.
    Out of scope raises NotFound."""
    if actor.is_superuser:
        return frozenset({states.CENTER, states.DEPARTMENT})
    if not Rectification.objects.visible_to(scope_for(actor)).filter(pk=rect.pk).exists():
        raise NotFound("rectification.not_found", "未找到该整改单。")
    roles = roles_of(actor)
    profile = actor.staff_profile
    found = set()
    if (
        has_any(roles, "review.center")
        and Center.objects.visible_to(scope_for(actor)).filter(pk=rect.center_id).exists()
    ):
        found.add(states.CENTER)
        if rect.department_id is None:
            found.add(states.DEPARTMENT)
    if (
        has_any(roles, "review.department")
        and rect.department_id
        and profile.department_id == rect.department_id
    ):
        found.add(states.DEPARTMENT)
    return frozenset(found)


def rectification_for_reviewer(token: str) -> Rectification:
    rect = (
        Rectification.objects.select_related("review", "center", "department")
        .filter(reviewer_token=(token or "")[:40])
        .first()
    )
    if rect is None or not token:
        raise NotFound("rectification.not_found", "未找到该整改单。")
    return rect


def escalation_recipients(rect: Rectification) -> list:
    """The center's directors (center administrators) and the supervisors whose region
    holds the center."""
    path = rect.center.region.path
    ancestors = []
    codes = [c for c in path.strip("/").split("/") if c]
    for i in range(len(codes)):
        ancestors.append("/" + "/".join(codes[: i + 1]) + "/")
    profiles = (
        StaffProfile.objects.filter(active=True)
        .select_related("user")
        .filter(
            Q(center=rect.center, user__groups__name=Role.CENTER_ADMIN)
            | Q(region__path__in=ancestors, user__groups__name=Role.SUPERVISOR)
        )
        .distinct()
        .order_by("staff_no")
    )
    return [p.user for p in profiles]


# --- statistics ------------------------------------------------------------------------------


def stats_range(start_text: str | None, end_text: str | None, today: date | None = None):
    """Dates from a form: default the last 90 days; at most ``MAX_DAYS``."""
    today = today or timezone.localdate()

    def parse(text, label):
        text = (text or "").strip()
        if not text:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise InvalidInput("stats.bad_date", f"{label}格式不正确。") from None

    end = parse(end_text, "截止日期") or today
    if not 2000 <= end.year <= 2100:  # before the default start is counted back from it
        raise InvalidInput("stats.bad_date", "日期超出范围。")
    start = parse(start_text, "起始日期") or end - timedelta(days=89)
    if start > end:
        raise InvalidInput("stats.bad_range", "起始日期不能晚于截止日期。")
    if (end - start).days >= MAX_DAYS:
        raise InvalidInput("stats.too_long", f"统计区间不能超过{MAX_DAYS}天。")
    if start.year < 2000 or end.year > 2100:
        raise InvalidInput("stats.bad_date", "日期超出范围。")
    return start, end


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


COUNTED = Q(is_default=False, excluded=False)
AGGREGATES = {
    "total": Count("id", filter=COUNTED),
    "good": Count("id", filter=COUNTED & Q(level__gte=4)),
    "bad": Count("id", filter=COUNTED & Q(level__lte=2)),
    "defaults": Count("id", filter=Q(is_default=True)),
    "excluded": Count("id", filter=Q(excluded=True)),
}
RECT_AGGREGATES = {
    "reported": Count("rectification", filter=Q(rectification__on_time__isnull=False)),
    "on_time": Count("rectification", filter=Q(rectification__on_time=True)),
}


@dataclass
class Row:
    key: object
    label: str
    total: int = 0
    good: int = 0
    bad: int = 0
    defaults: int = 0
    excluded: int = 0
    reported: int = 0
    on_time: int = 0

    @property
    def satisfaction(self) -> float | None:
        return self.good / self.total if self.total else None

    @property
    def bad_rate(self) -> float | None:
        return self.bad / self.total if self.total else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.reported if self.reported else None

    @property
    def satisfaction_pct(self):
        return None if self.satisfaction is None else self.satisfaction * 100

    @property
    def bad_pct(self):
        return None if self.bad_rate is None else self.bad_rate * 100

    @property
    def on_time_pct(self):
        return None if self.on_time_rate is None else self.on_time_rate * 100


def _base(scope: Scope, start: date, end: date, center_id: int | None = None):
    lo, hi = _bounds(start, end)
    qs = Review.objects.visible_to(scope).filter(created_at__gte=lo, created_at__lt=hi)
    if center_id:
        qs = qs.filter(center_id=center_id)
    return qs


def _grouped(qs, keys: list[str], *, rect: bool = True) -> list[dict]:
    aggs = {**AGGREGATES, **(RECT_AGGREGATES if rect else {})}
    return list(qs.order_by().values(*keys).annotate(**aggs))


def _to_rows(raw: list[dict], key: str, label) -> list[Row]:
    rows = []
    for r in raw:
        rows.append(
            Row(
                key=r[key],
                label=label(r),
                **{k: r.get(k, 0) for k in ("total", "good", "bad", "defaults", "excluded")},
                reported=r.get("reported", 0),
                on_time=r.get("on_time", 0),
            )
        )
    return rows


def _name(*fields, empty="（未关联）"):
    def label(r):
        for f in fields:
            if r.get(f):
                return str(r[f])
        return empty

    return label


def _sorted(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (-(r.satisfaction or 0), -r.total, r.label))


def department_satisfaction(
    scope: Scope, start: date, end: date, *, by_month: bool = False, center_id: int | None = None
) -> list[Row]:
    """Per department (and month): what assessment reads (R-EVAL-3). Whole months from
    the monthly rollup, the days of a month the range only partly covers from the
    reviews."""
    months, spans = rollups.whole_months(start, end)
    keys = ["department", "department__name"] + (["month"] if by_month else [])
    parts = [rolled.department_rows(scope, months, by_month=by_month, center_id=center_id)]
    for lo, hi in spans:
        qs = _base(scope, lo, hi, center_id).filter(department__isnull=False)
        qs = qs.annotate(month=TruncMonth("created_at")) if by_month else qs
        parts.append(_grouped(qs, keys))
        for r in parts[-1] if by_month else []:
            r["month"] = _month_date(r["month"])
    raw = rolled.merged(parts, keys[:1] + keys[2:])
    rows = _to_rows(raw, "department", _name("department__name"))
    if by_month:
        for row, r in zip(rows, raw, strict=True):
            row.key = (r["department"], r["month"])
        return sorted(rows, key=lambda r: (r.key[1], r.label))
    return _sorted(rows)


def _month_date(value) -> date:
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def staff_satisfaction(
    scope: Scope, start: date, end: date, *, center_id: int | None = None
) -> list[Row]:
    """Per staff member reviewed (R-EVAL-3)."""
    qs = _base(scope, start, end, center_id).filter(staff__isnull=False)
    raw = _grouped(qs, ["staff", "staff__full_name", "staff__staff_profile__staff_no"])
    rows = _to_rows(
        raw,
        "staff",
        lambda r: staff_label(r["staff__full_name"], r["staff__staff_profile__staff_no"] or ""),
    )
    return _sorted(rows)


STOP_WORDS = frozenset(
    "的 了 是 在 我 你 他 她 们 也 就 都 和 与 及 还 又 很 太 非常 没有 不是 一个 这个 那个 什么 "
    "怎么 因为 所以 但是 而且 然后 今天 已经 可以 需要 我们 他们 工作人员 窗口 办理 办事 一下 "
    "这样 那样 还是 就是 只是 不能 不会 没有人 一次 两次 时候 感觉 觉得".split()
)


def top_words(texts: list[str], n: int = 15) -> list[tuple[str, int]]:
    """The words most used in bad reviews (jieba), without stop words and single characters."""
    import jieba

    counter: Counter[str] = Counter()
    for text in texts:
        for word in jieba.lcut(text or ""):
            word = word.strip()
            if len(word) < 2 or word in STOP_WORDS or re.fullmatch(r"[\W\d_]+", word):
                continue
            counter[word] += 1
    return counter.most_common(n)


@dataclass
class EvaluationStats:
    start: date
    end: date
    total: Row
    by_center: list[Row] = field(default_factory=list)
    by_department: list[Row] = field(default_factory=list)
    by_staff: list[Row] = field(default_factory=list)
    by_window: list[Row] = field(default_factory=list)
    by_matter: list[Row] = field(default_factory=list)
    by_channel: list[Row] = field(default_factory=list)
    by_kind: list[Row] = field(default_factory=list)
    by_month: list[Row] = field(default_factory=list)
    by_level: list[tuple[int, str, int]] = field(default_factory=list)
    top_reasons: list[tuple[str, int]] = field(default_factory=list)
    top_words: list[tuple[str, int]] = field(default_factory=list)
    open_rectifications: int = 0
    overdue_rectifications: int = 0


def evaluation_stats(
    *, scope: Scope, start: date, end: date, center_id: int | None = None
) -> EvaluationStats:
    qs = _base(scope, start, end, center_id)
    agg = qs.aggregate(**AGGREGATES, **RECT_AGGREGATES)
    total = Row(key=None, label="合计", **agg)
    s = EvaluationStats(start=start, end=end, total=total)
    s.by_center = _sorted(
        _to_rows(_grouped(qs, ["center", "center__name"]), "center", _name("center__name"))
    )
    s.by_department = department_satisfaction(scope, start, end, center_id=center_id)
    s.by_staff = staff_satisfaction(scope, start, end, center_id=center_id)
    windows = _grouped(
        qs.filter(window__isnull=False), ["window", "window__number", "window__center__name"]
    )
    s.by_window = _sorted(
        _to_rows(
            windows,
            "window",
            lambda r: f"{r['window__center__name']} {r['window__number']}号窗口",
        )
    )
    s.by_matter = _sorted(
        _to_rows(
            _grouped(qs.filter(matter__isnull=False), ["matter", "matter__name"]),
            "matter",
            _name("matter__name"),
        )
    )
    s.by_channel = _to_rows(
        _grouped(qs, ["channel"]), "channel", lambda r: scheme.CHANNELS.get(r["channel"], "")
    )
    s.by_kind = _to_rows(_grouped(qs, ["kind"]), "kind", lambda r: scheme.KINDS.get(r["kind"], ""))
    months = _grouped(qs.annotate(month=TruncMonth("created_at")), ["month"])
    rows = []
    for r in months:
        m = r["month"]
        m = timezone.localtime(m).date() if isinstance(m, datetime) else m
        row = _to_rows([r], "month", lambda _r, m=m: f"{m.year}年{m.month}月")[0]
        row.key = m
        rows.append(row)
    s.by_month = sorted(rows, key=lambda r: r.key)
    levels = dict(qs.filter(COUNTED).order_by().values_list("level").annotate(n=Count("id")))
    s.by_level = [(lv, label, levels.get(lv, 0)) for lv, label in scheme.LEVELS.items()]
    bad = qs.filter(COUNTED, level__lte=2).order_by("-created_at")[:5000]
    reasons: Counter[str] = Counter()
    texts = []
    for codes, text in bad.values_list("reasons", "text"):
        labels = scheme.REASON_LABELS
        for code in codes or []:
            reasons[labels.get(code, code)] += 1
        if text:
            texts.append(text)
    s.top_reasons = reasons.most_common(10)
    s.top_words = top_words(texts)
    rects = Rectification.objects.visible_to(scope)
    if center_id:
        rects = rects.filter(center_id=center_id)
    s.open_rectifications = rects.filter(state__in=states.OPEN).count()
    s.overdue_rectifications = rects.filter(state__in=states.OPEN, overdue=True).count()
    return s


def public_ranking(month: date) -> list[Row]:
    """好差评公示: departments ranked by satisfaction in a month (public; no identities)."""
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    rows = [r for r in department_satisfaction(Scope.all(), start, end) if r.total]
    return sorted(rows, key=lambda r: (-(r.satisfaction or 0), -r.total, r.label))
