"""Hall statistics for center administrators and supervisors (R-HALL-2, R-HALL-4).

Selectors over a center and a date range, scoped (R-NET-3): a center outside the
user's scope answers "not found". One query reads the tickets' few columns; a few
small ones read the names of the categories, windows and clerks; everything else
(means, 90th percentiles, the windows' balance) is computed in Python by
``statmath``, so SQLite and PostgreSQL give identical figures.

What the figures mean:
- issued (取号): tickets whose day is in the range; served (办结): state done;
  no-show (过号): state no_show; cancelled (取消): state cancelled; open (未办结):
  still waiting, called or serving.
- waiting time (等候): from taking the ticket to its first call (``wait_seconds``);
  service time (办理): from the start of service to its end (``service_seconds``),
  of served tickets.
- by category: the category the ticket was taken in (its number's letter), kept
  across transfers; by hour: the hour of day the ticket was taken; by window: the
  window that finished it; by clerk: who finished it, or who called it when it
  ended as a no-show.
- a window's load (负荷) is its busy time: the sum of the service times it
  finished. Each window's load is compared with the mean of the windows (ratio,
  flagged more than 30% above or below) and the hall's spread is the coefficient
  of variation. The windows compared are the active windows with a category that
  needs a clerk, and any window that finished a ticket in the range.

A range that holds a whole month is read from the tickets' monthly rollup
(``hall.TicketMonth``, kept by the hall's services) for those months, and from the
tickets for the days of a month begun or not ended, counted as the rollup counts them
(``hall.rollups.ticket_counts``): issued and served, the waits and service times of the
served tickets (means and totals), by category, window and clerk. What the rollup does
not hold (90th percentiles, no-shows, cancelled and open tickets, green channel,
transfers, the hours of the day) is then shown as not available (None), not scanned.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone

from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.rollups import CENTER, CLERK, WINDOW, whole_months
from onewindow.hall import states
from onewindow.hall.models import ServiceCategory, Ticket, TicketMonth, Window
from onewindow.hall.rollups import CATEGORY, COUNTED, COUNTED_AS, settle, ticket_counts
from onewindow.org.models import Center, Level
from onewindow.org.names import labels_for
from onewindow.planning import statmath

MAX_DAYS = 366
DEFAULT_DAYS = 30
LOAD_THRESHOLD = 0.3
HALL_LEVELS = (Level.PREFECTURE, Level.COUNTY, Level.TOWNSHIP)


# --- the center and the range -------------------------------------------------------------


def stats_centers(*, scope):
    """The centers whose hall statistics the scope may read (those with a hall)."""
    return (
        Center.objects.visible_to(scope)
        .filter(region__level__in=HALL_LEVELS)
        .select_related("region")
        .order_by("region__path", "code")
    )


def stats_center_get(*, scope, center_id) -> Center:
    try:
        pk = int(center_id)
    except (TypeError, ValueError):
        raise NotFound("center.not_found", "未找到该服务中心。") from None
    center = stats_centers(scope=scope).filter(pk=pk).first()
    if center is None:
        raise NotFound("center.not_found", "未找到该服务中心。")
    return center


def stats_default_center(*, user, scope) -> Center | None:
    """The user's own center when it has a hall in scope, else the first center in scope
    that has windows."""
    centers = stats_centers(scope=scope)
    profile = getattr(user, "staff_profile", None)
    if profile is not None and profile.center_id:
        own = centers.filter(pk=profile.center_id).first()
        if own is not None:
            return own
    return centers.filter(windows__isnull=False).distinct().first() or centers.first()


def _parse_day(text: str, label: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        raise InvalidInput(
            "stats.bad_date",
            f"{label}格式不正确，请按“年-月-日”填写，例如 2026-11-01。",
            {"start" if label == "起始日期" else "end": "日期格式不正确。"},
        ) from None


def stats_range(
    start_text: str | None, end_text: str | None, *, today: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """The date range from the page's fields: by default the 30 days up to today; the end
    no earlier than the start; at most 366 days."""
    today = today or timezone.localdate()
    start_text = (start_text or "").replace("\x00", "").strip()[:20]
    end_text = (end_text or "").replace("\x00", "").strip()[:20]
    end = _parse_day(end_text, "截止日期") if end_text else today
    start = (
        _parse_day(start_text, "起始日期")
        if start_text
        else end - dt.timedelta(days=DEFAULT_DAYS - 1)
    )
    if end < start:
        raise InvalidInput(
            "stats.bad_range", "截止日期不能早于起始日期。", {"end": "截止日期不能早于起始日期。"}
        )
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidInput(
            "stats.range_too_long",
            f"统计区间不能超过{MAX_DAYS}天，请缩短日期范围。",
            {"start": f"统计区间不能超过{MAX_DAYS}天。"},
        )
    return start, end


# --- the figures ----------------------------------------------------------------------------


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / 60


@dataclass
class Row:
    key: object
    label: str
    issued: int = 0
    served: int = 0
    # None where the figures come from the monthly rollup, which does not hold them
    no_show: int | None = 0
    cancelled: int | None = 0
    open: int | None = 0
    priority: int | None = 0
    transferred: int | None = 0
    wait: statmath.Summary = field(default_factory=statmath.Summary)
    service: statmath.Summary = field(default_factory=statmath.Summary)
    # windows only
    share: float | None = None  # of the hall's total load
    ratio: float | None = None  # to the mean load of the windows
    flag: str = ""
    kind_label: str = ""
    compared: bool = False

    @property
    def no_show_rate(self) -> float | None:
        if self.no_show is None:
            return None
        ended = self.served + self.no_show
        return self.no_show / ended if ended else None

    # for display: minutes, hours, per cent
    @property
    def wait_mean_min(self) -> float | None:
        return _minutes(self.wait.mean)

    @property
    def wait_p90_min(self) -> float | None:
        return _minutes(self.wait.p90)

    @property
    def service_mean_min(self) -> float | None:
        return _minutes(self.service.mean)

    @property
    def service_p90_min(self) -> float | None:
        return _minutes(self.service.p90)

    @property
    def load_hours(self) -> float:
        return self.service.total / 3600

    @property
    def share_pct(self) -> float | None:
        return None if self.share is None else self.share * 100

    @property
    def no_show_pct(self) -> float | None:
        rate = self.no_show_rate
        return None if rate is None else rate * 100

    @property
    def flag_label(self) -> str:
        return {statmath.HIGH: "偏高", statmath.LOW: "偏低"}.get(self.flag, "")


@dataclass
class HallStats:
    center: Center
    start: dt.date
    end: dt.date
    total: Row
    categories: list[Row]
    windows: list[Row]
    hours: list[Row]
    clerks: list[Row]
    balance: statmath.Balance
    days_with_tickets: int | None = 0
    months: list[dt.date] = field(default_factory=list)  # read from the monthly rollup

    @property
    def monthly(self) -> bool:
        return bool(self.months)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def mean_load_hours(self) -> float | None:
        return None if self.balance.mean is None else self.balance.mean / 3600

    @property
    def flagged_windows(self) -> list[Row]:
        return [w for w in self.windows if w.flag]


class _Acc:
    """Collects one breakdown's counts and durations before they are summarised."""

    __slots__ = (
        "issued",
        "served",
        "no_show",
        "cancelled",
        "open",
        "priority",
        "transferred",
        "waits",
        "services",
    )

    def __init__(self):
        self.issued = self.served = self.no_show = self.cancelled = self.open = 0
        self.priority = self.transferred = 0
        self.waits: list[int] = []
        self.services: list[int] = []

    def count(self, state: str, priority: bool, transferred: bool) -> None:
        self.issued += 1
        if state == states.DONE:
            self.served += 1
        elif state == states.NO_SHOW:
            self.no_show += 1
        elif state == states.CANCELLED:
            self.cancelled += 1
        else:
            self.open += 1
        self.priority += priority
        self.transferred += transferred

    def row(self, key, label: str) -> Row:
        return Row(
            key=key,
            label=label,
            issued=self.issued,
            served=self.served,
            no_show=self.no_show,
            cancelled=self.cancelled,
            open=self.open,
            priority=self.priority,
            transferred=self.transferred,
            wait=statmath.Summary.of(self.waits),
            service=statmath.Summary.of(self.services),
        )


TICKET_COLUMNS = (
    "category_id",
    "state",
    "issued_at",
    "wait_seconds",
    "service_seconds",
    "served_window_id",
    "clerk_id",
    "priority_reason",
    "transfer_count",
    "day",
)


def hall_stats(*, scope, center_id, start: dt.date, end: dt.date) -> HallStats:
    """The center's hall statistics over [start, end] (days, both included); a range
    holding a whole month reads the monthly rollup (``_from_rollup``)."""
    center = stats_center_get(scope=scope, center_id=center_id)
    months, spans = whole_months(start, end)
    if months:
        return _from_rollup(center, start, end, months, spans)
    rows = (
        Ticket.objects.filter(center=center, day__gte=start, day__lte=end)
        .order_by()
        .values_list(*TICKET_COLUMNS)
    )
    tz = timezone.get_current_timezone()
    total = _Acc()
    by_cat: dict[int, _Acc] = defaultdict(_Acc)
    by_hour: dict[int, _Acc] = defaultdict(_Acc)
    by_window: dict[int, _Acc] = defaultdict(_Acc)
    by_clerk: dict[int, _Acc] = defaultdict(_Acc)
    days = set()
    for cat, state, issued_at, wait, service, served_window, clerk, reason, transfers, day in rows:
        priority, transferred = bool(reason), transfers > 0
        days.add(day)
        hour = issued_at.astimezone(tz).hour
        for acc in (total, by_cat[cat], by_hour[hour]):
            acc.count(state, priority, transferred)
            if wait is not None:
                acc.waits.append(wait)
            if state == states.DONE and service is not None:
                acc.services.append(service)
        if state == states.DONE and served_window is not None:
            acc = by_window[served_window]
            acc.count(state, priority, transferred)
            if wait is not None:
                acc.waits.append(wait)
            if service is not None:
                acc.services.append(service)
        if clerk is not None and state in (states.DONE, states.NO_SHOW):
            acc = by_clerk[clerk]
            acc.count(state, priority, transferred)
            if wait is not None:
                acc.waits.append(wait)
            if state == states.DONE and service is not None:
                acc.services.append(service)

    categories = _category_rows(center, by_cat, lambda acc, pk, label: acc.row(pk, label), _Acc)
    loads = {pk: float(sum(acc.services)) for pk, acc in by_window.items()}
    windows, balance = _window_rows(center, loads, lambda pk, label: by_window[pk].row(pk, label))
    hours = [by_hour[h].row(h, f"{h:02d}:00-{h + 1:02d}:00") for h in sorted(by_hour)]
    clerks = _clerk_rows(by_clerk)
    return HallStats(
        center=center,
        start=start,
        end=end,
        total=total.row(None, "合计"),
        categories=categories,
        windows=windows,
        hours=hours,
        clerks=clerks,
        balance=balance,
        days_with_tickets=len(days),
    )


def _category_rows(center: Center, by_cat: dict, row_of, empty) -> list[Row]:
    """``row_of(figures, pk, label)`` makes a category's row; ``empty()`` the figures of
    a category with nothing in the range."""
    result = []
    cats = ServiceCategory.objects.filter(center=center).order_by("order", "letter")
    for cat in cats:
        if cat.pk in by_cat or (cat.is_active and cat.needs_clerk):
            row = row_of(by_cat.get(cat.pk) or empty(), cat.pk, f"{cat.letter} {cat.name}")
            result.append(row)
    return result


def _window_rows(
    center: Center, finished: dict[int, float], row_of
) -> tuple[list[Row], statmath.Balance]:
    """``finished``: each window that finished a ticket in the range, with its load;
    ``row_of(pk, label)`` makes its row."""
    windows = list(Window.objects.filter(center=center).order_by("number"))
    links = Window.categories.through.objects.filter(
        window__center=center,
        servicecategory__is_active=True,
        servicecategory__needs_clerk=True,
    ).values_list("window_id", flat=True)
    staffed = set(links)
    compared = [w for w in windows if w.pk in finished or (w.is_active and w.pk in staffed)]
    loads = {w.pk: finished.get(w.pk, 0.0) for w in compared}
    balance = statmath.balance(loads, threshold=LOAD_THRESHOLD)
    grand = sum(loads.values())
    rows = []
    for w in windows:
        if w.pk not in loads:
            continue
        row = row_of(w.pk, str(w)) if w.pk in finished else _Acc().row(w.pk, str(w))
        share = balance.share(w.pk)
        row.compared = True
        row.kind_label = _window_kind_label(w)
        row.share = loads[w.pk] / grand if grand else None
        row.ratio = share.ratio
        row.flag = share.flag
        rows.append(row)
    return rows, balance


def _window_kind_label(w: Window) -> str:
    if w.kind != Window.Kind.COMPREHENSIVE:
        return w.get_kind_display()
    scope = w.get_scope_display()
    if w.scope == Window.Scope.DOMAIN and w.domain:
        scope = f"{scope}（{w.domain}）"
    return f"{scope}·{w.get_pace_display()}"


def _clerk_rows(by_clerk: dict[int, _Acc]) -> list[Row]:
    names = labels_for(by_clerk)
    rows = [acc.row(pk, names.get(pk, str(pk))) for pk, acc in by_clerk.items()]
    rows.sort(key=lambda r: (-r.served, r.label))
    return rows


# --- whole months: the monthly rollup ---------------------------------------------------------

ROLLED = ("issued", "served", "wait_sum", "wait_count", "service_sum", "service_count")


def _zero() -> dict[str, int]:
    return dict.fromkeys(ROLLED, 0)


def _from_rollup(center: Center, start, end, months, spans) -> HallStats:
    """Counters per (subject, id): the rollup's rows of the whole months, then the
    tickets of the days around them, counted alike (``ticket_counts``)."""
    sums: dict[str, dict[int, dict[str, int]]] = defaultdict(lambda: defaultdict(_zero))
    settle()  # a read in the writer's own transaction sees its steps (PostgreSQL)
    rolled = (
        TicketMonth.objects.filter(
            center=center, month__in=months, subject__in=[CENTER, CATEGORY, WINDOW, CLERK]
        )
        .order_by()
        .values("subject", "subject_key")
        .annotate(**{c: Sum(c) for c in ROLLED})
    )
    for r in rolled:
        acc = sums[r["subject"]][r["subject_key"]]
        for c in ROLLED:
            acc[c] += r[c] or 0
    for lo, hi in spans:
        days = Ticket.objects.filter(center=center, day__gte=lo, day__lte=hi).order_by()
        for values in days.values_list(*COUNTED):
            for keys, deltas in ticket_counts(**dict(zip(COUNTED_AS, values, strict=True))):
                for subject, key in keys:
                    acc = sums[subject][key]
                    for c, n in deltas.items():
                        acc[c] += int(n)
    windows = sums[WINDOW]
    loads = {pk: float(s["service_sum"]) for pk, s in windows.items()}
    window_rows, balance = _window_rows(
        center, loads, lambda pk, label: _rolled_row(windows[pk], pk, label)
    )
    names = labels_for(sums[CLERK])
    clerks = [_rolled_row(s, pk, names.get(pk, str(pk))) for pk, s in sums[CLERK].items()]
    clerks.sort(key=lambda r: (-r.served, r.label))
    return HallStats(
        center=center,
        start=start,
        end=end,
        total=_rolled_row(sums[CENTER].get(center.pk) or _zero(), None, "合计"),
        categories=_category_rows(center, sums[CATEGORY], _rolled_row, _zero),
        windows=window_rows,
        hours=[],
        clerks=clerks,
        balance=balance,
        days_with_tickets=None,
        months=list(months),
    )


def _rolled_row(s: dict[str, int], key, label: str) -> Row:
    return Row(
        key=key,
        label=label,
        issued=s["issued"],
        served=s["served"],
        no_show=None,
        cancelled=None,
        open=None,
        priority=None,
        transferred=None,
        wait=_summary(s["wait_sum"], s["wait_count"]),
        service=_summary(s["service_sum"], s["service_count"]),
    )


def _summary(total: int, count: int) -> statmath.Summary:
    """Count, mean and total of durations known by their sum (no percentile)."""
    return statmath.Summary(
        count=count, mean=total / count if count else None, p90=None, total=float(total)
    )
