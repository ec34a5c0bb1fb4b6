"""The directors' dashboard (R-SUP-4): one page for a part of the network, from the
prefecture down to one window, in the caller's scope. A node is named by a parameter
(``r<id>`` region, ``c<id>`` center, ``d<id>`` department, ``w<id>`` window); a node
outside the scope is not found. Panels: today's hall, the cases, the month's reviews and
complaints, the indicators with their last six months. The month's figures read the
monthly rollups (``core/rollups.py``); today's hall and the running cases are live."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, F, Min, Q, Sum
from django.db.models.expressions import Window as Over
from django.db.models.functions import RowNumber
from django.utils import timezone

from onewindow.cases import open_counts
from onewindow.cases.models import CaseMonth, CaseOpenCount
from onewindow.complaints import states as complaint_states
from onewindow.complaints.models import Complaint, ComplaintMonth
from onewindow.core import rollups
from onewindow.core.errors import NotFound
from onewindow.core.one_row import one_row_sql, one_row_values
from onewindow.core.statements import KEPT, statement, together
from onewindow.evaluation import states as evaluation_states
from onewindow.evaluation.models import Rectification, ReviewMonth
from onewindow.hall import day_counts
from onewindow.hall import states as hall_states
from onewindow.hall.models import Ticket, TicketDayCount, Window, WindowSession
from onewindow.org.models import Center, Department, Level, Region
from onewindow.oversight.indicators import BY_CODE, INDICATORS, Cell, months_back, rolled
from onewindow.oversight.indicators.gathered import node_read, node_statement
from onewindow.oversight.models import IndicatorThreshold
from onewindow.planning.sparkline import Spark, sparkline

TREND_MONTHS = 6
KIND_LABELS = {"r": "区划", "c": "服务中心", "d": "部门", "w": "窗口"}


@dataclass
class Node:
    kind: str  # r, c, d, w
    obj: object
    label: str

    @property
    def param(self) -> str:
        return f"{self.kind}{self.obj.pk}"

    @property
    def kind_label(self) -> str:
        if self.kind == "r":
            return self.obj.get_level_display()
        return KIND_LABELS[self.kind]


def _region_nodes(scope):
    return Region.objects.visible_to(scope)


def node_get(*, scope, param: str | None) -> Node:
    """The node a parameter names, within scope; none given: the caller's top node."""
    if not param:
        return root_node(scope=scope)
    kind, raw = param[:1], param[1:]
    if kind not in KIND_LABELS or not raw.isdigit() or len(raw) > 12:
        raise NotFound("dashboard.node_not_found", "未找到该层级。")
    pk = int(raw)
    obj = None
    if kind == "r" and (scope.everything or scope.region_paths):
        obj = Region.objects.filter(pk=pk).first()
        if obj is not None and not (
            scope.everything or any(obj.path.startswith(p) for p in scope.region_paths)
        ):
            obj = None
    elif kind == "c":
        obj = Center.objects.visible_to(scope).filter(pk=pk).first()
    elif kind == "d":
        obj = Department.objects.visible_to(scope).filter(pk=pk).first()
    elif kind == "w":
        obj = (
            Window.objects.filter(pk=pk, center__in=Center.objects.visible_to(scope))
            .select_related("center")
            .first()
        )
    if obj is None:
        raise NotFound("dashboard.node_not_found", "未找到该层级。")
    return _node(kind, obj)


def _node(kind: str, obj) -> Node:
    if kind == "w":
        return Node("w", obj, f"{obj.center.name} {obj.number}号窗口")
    return Node(kind, obj, obj.name)


def root_node(*, scope) -> Node:
    if scope.everything:
        top = Region.objects.filter(parent__isnull=True, level=Level.PREFECTURE).first()
        if top is not None:
            return Node("r", top, top.name)
    if scope.region_paths:
        path = min(scope.region_paths, key=len)
        region = Region.objects.filter(path=path).first()
        if region is not None:
            return Node("r", region, region.name)
    center = Center.objects.visible_to(scope).order_by("region__path").first()
    if scope.center_ids and center is not None:
        return Node("c", center, center.name)
    dept = Department.objects.visible_to(scope).first()
    if dept is not None:
        return Node("d", dept, dept.name)
    raise NotFound("dashboard.no_scope", "您的账号没有可查看的数据范围。")


def trail(node: Node, *, scope=None) -> list[Node]:
    """The way up from the node to the top of the caller's scope (the breadcrumbs)."""
    out: list[Node] = []
    region = None
    if node.kind == "w":
        out.append(Node("c", node.obj.center, node.obj.center.name))
        region = node.obj.center.region
    elif node.kind == "d":
        if node.obj.center_id:
            out.append(Node("c", node.obj.center, node.obj.center.name))
        region = node.obj.region
    elif node.kind == "c":
        region = node.obj.region
    elif node.kind == "r":
        region = node.obj.parent
    while region is not None and (
        scope is None
        or scope.everything
        or any(region.path.startswith(p) for p in scope.region_paths)
    ):
        out.append(Node("r", region, region.name))
        region = region.parent
    return list(reversed(out))


def children(*, scope, node: Node) -> list[Node]:
    """The nodes one step down, within scope."""
    if node.kind == "r":
        regions = _region_nodes(scope).filter(parent=node.obj).order_by("path")
        centers = Center.objects.visible_to(scope).filter(region=node.obj)
        return [Node("c", c, c.name) for c in centers] + [Node("r", r, r.name) for r in regions]
    if node.kind == "c":
        depts = Department.objects.visible_to(scope).filter(center=node.obj)
        windows = Window.objects.filter(center=node.obj, is_active=True).order_by("number")
        return [Node("d", d, d.name) for d in depts] + [
            Node("w", w, f"{w.number}号窗口") for w in windows
        ]
    return []


def node_departments(*, scope, node: Node):
    depts = Department.objects.visible_to(scope)
    if node.kind == "r":
        return depts.filter(region__path__startswith=node.obj.path)
    if node.kind == "c":
        return depts.filter(center=node.obj)
    if node.kind == "d":
        return depts.filter(pk=node.obj.pk)
    return depts.none()


def node_centers(*, scope, node: Node):
    centers = Center.objects.visible_to(scope)
    if node.kind == "r":
        return centers.filter(region__path__startswith=node.obj.path)
    if node.kind == "c":
        return centers.filter(pk=node.obj.pk)
    if node.kind == "w":
        return centers.filter(pk=node.obj.center_id)
    return centers.none()


# --- panels -------------------------------------------------------------------------------------


@dataclass
class HallPanel:
    waiting: int = 0
    longest_wait_minutes: int | None = None
    windows_open: int = 0
    served_today: int = 0


@dataclass
class CasePanel:
    running: int = 0
    warned: int = 0
    overdue: int = 0
    received_month: int = 0


@dataclass
class ReviewPanel:
    total: int = 0
    good: int = 0
    bad: int = 0
    open_rectifications: int = 0

    @property
    def satisfaction(self) -> str:
        return f"{round(self.good / self.total * 100, 1):g}%" if self.total else "—"


@dataclass
class ComplaintPanel:
    received_month: int = 0
    open: int = 0
    overdue: int = 0


@dataclass
class IndicatorRow:
    cell: Cell
    trend: list[Cell]
    spark: Spark
    months: list[dt.date] = field(default_factory=list)

    @property
    def history(self) -> list[tuple[dt.date, Cell]]:
        return list(zip(self.months, self.trend, strict=False))


@dataclass
class Dashboard:
    node: Node
    trail: list[Node]
    children: list[Node]
    month: dt.date
    months: list[dt.date]
    hall: HallPanel
    cases: CasePanel
    reviews: ReviewPanel
    complaints: ComplaintPanel
    indicators: list[IndicatorRow] = field(default_factory=list)
    now: dt.datetime | None = None

    @property
    def last_month(self) -> dt.date:
        return months_back(self.month, 2)[0]


def _hall_parts(scope, node: Node, today: dt.date) -> dict:
    if node.kind == "d":
        return {}
    tickets = Ticket.objects.filter(day=today)
    sessions = WindowSession.objects.filter(signed_out_at__isnull=True)
    if node.kind == "w":
        tickets = tickets.filter(Q(target_window=node.obj) | Q(window=node.obj))
        sessions = sessions.filter(window=node.obj)
    else:
        centers = node_centers(scope=scope, node=node)
        tickets = tickets.filter(center__in=centers)
        sessions = sessions.filter(window__center__in=centers)
    waiting, done = Q(state=hall_states.WAITING), Q(state=hall_states.DONE)
    parts = {"sessions": (sessions, {"open": Count("window", distinct=True)})}
    if node.kind == "w":
        parts["tickets"] = (
            tickets.filter(waiting | done),
            {
                "waiting": Count("pk", filter=waiting),
                "first": Min("issued_at", filter=waiting),
                "served": Count("pk", filter=done),
            },
        )
        return parts
    # A center's or a region's day: the counts the triggers keep (``hall/day_counts.py``;
    # settled before every read, ``_panels``), and the oldest waiting ticket on
    # the queue-head index.
    days = TicketDayCount.objects.filter(day=today, center__in=centers)
    parts["tickets"] = (days, day_counts.aggregates())
    parts["oldest"] = (tickets.filter(waiting), {"first": Min("issued_at")})
    return parts


def _hall(got: dict, now: dt.datetime) -> HallPanel:
    if "tickets" not in got:
        return HallPanel()
    tickets = got["tickets"]
    oldest = got.get("oldest", tickets)["first"]
    return HallPanel(
        waiting=tickets["waiting"] or 0,
        longest_wait_minutes=int((now - oldest).total_seconds() // 60) if oldest else None,
        windows_open=got["sessions"]["open"],
        served_today=tickets["served"] or 0,
    )


def _scoped(qs, scope, node: Node):
    qs = qs.visible_to(scope)
    if node.kind == "d":
        return qs.filter(department=node.obj)
    return qs.filter(center__in=node_centers(scope=scope, node=node))


def _month_rows(model, scope, node: Node, month: dt.date):
    """The node's rows of a monthly rollup (``core/rollups.py``) for the month, in scope."""
    qs = model.objects.visible_to(scope).filter(month=month)
    if node.kind == "w":
        return qs.filter(subject=rollups.WINDOW, subject_key=node.obj.pk)
    if node.kind == "d":
        return qs.filter(subject=rollups.DEPARTMENT, subject_key=node.obj.pk)
    return qs.filter(subject=rollups.CENTER, center__in=node_centers(scope=scope, node=node))


def _month_part(model, scope, node: Node, month: dt.date, *cols: str):
    return _month_rows(model, scope, node, month), {c: Sum(c) for c in cols}


def _case_parts(scope, node: Node, today: dt.date, month: dt.date) -> dict:
    if node.kind == "w":
        return {}
    # The open-case counts the triggers keep (``cases/open_counts.py``): the same
    # figures as the case rows' flags (the case pages'), read from a few rows per
    # department and stripe instead of every open case.
    counts = _scoped(CaseOpenCount.objects, scope, node)
    return {
        "cases": (counts, open_counts.aggregates(today)),
        "cases_month": _month_part(CaseMonth, scope, node, month, "received"),
    }


def _cases(got: dict) -> CasePanel:
    if "cases" not in got:
        return CasePanel()
    return CasePanel(
        **{k: v or 0 for k, v in got["cases"].items()},
        received_month=got["cases_month"]["received"] or 0,
    )


def _review_parts(scope, node: Node, month: dt.date) -> dict:
    rects = Rectification.objects.visible_to(scope).filter(state__in=evaluation_states.OPEN)
    if node.kind == "w":
        rects = rects.filter(review__window=node.obj)
    elif node.kind == "d":
        rects = rects.filter(department=node.obj)
    else:
        rects = rects.filter(center__in=node_centers(scope=scope, node=node))
    return {
        "rects": (rects, {"open": Count("pk")}),
        "reviews_month": _month_part(ReviewMonth, scope, node, month, "total", "good", "bad"),
    }


def _reviews(got: dict) -> ReviewPanel:
    month = {k: v or 0 for k, v in got["reviews_month"].items()}
    return ReviewPanel(**month, open_rectifications=got["rects"]["open"])


def _complaint_parts(scope, node: Node, month: dt.date) -> dict:
    if node.kind == "w":
        return {}
    qs = _scoped(Complaint.objects, scope, node).filter(state__in=complaint_states.OPEN)
    return {
        "complaints": (qs, {"open": Count("pk"), "overdue": Count("pk", filter=Q(overdue=True))}),
        "complaints_month": _month_part(ComplaintMonth, scope, node, month, "received"),
    }


def _complaints(got: dict) -> ComplaintPanel:
    if "complaints" not in got:
        return ComplaintPanel()
    return ComplaintPanel(
        received_month=got["complaints_month"]["received"] or 0, **got["complaints"]
    )


def _panels(scope, node: Node, now: dt.datetime) -> tuple[str, list, str, list]:
    """The statement of every count of the four panels (``core/one_row.py``),
    compiled once per scope and node (only the day and the month change), with its
    database and row layout (``one_row_values`` reads its row)."""
    key = ("oversight.dashboard_panels", scope, node.kind, node.obj.pk, _shape(node))

    def build(*, day: dt.date, month: dt.date):
        sql, params, db, layout = one_row_sql(
            **_hall_parts(scope, node, day),
            **_case_parts(scope, node, day, month),
            **_review_parts(scope, node, month),
            **_complaint_parts(scope, node, month),
        )
        if len(_LAYOUTS) >= KEPT:
            _LAYOUTS.pop(next(iter(_LAYOUTS)))
        _LAYOUTS[key] = (db, layout)
        return sql, params

    today = timezone.localdate(now)
    month = today.replace(day=1)
    if node.kind not in ("d", "w"):  # read from the day counts: this transaction's own
        day_counts.settle()  # ticket changes counted first (not only when compiled)
    sql, params = statement(key, build, day=today, month=month)
    if key not in _LAYOUTS:  # dropped since: the same shape gives the same layout
        build(day=today, month=month)
    return (sql, params, *_LAYOUTS[key])


# The panels' row layout (parts, names, converters) beside each compiled statement.
_LAYOUTS: dict[tuple, tuple[str, list]] = {}


def _shape(node: Node) -> tuple:
    """What of the node besides its kind and id goes into the panels' statement."""
    return (getattr(node.obj, "path", None), getattr(node.obj, "center_id", None))


def _listed(qs, order, **cols) -> tuple[str, list, tuple[str, ...]]:
    """A part of the indicators' statement (``indicators.gathered.statement_of``): the
    rows of ``qs`` as ``LISTED`` columns — ``k1`` the id, ``k2`` the place in
    ``order`` (the order the page lists them in), and ``cols`` (column → field)."""
    names = ("k1", "k2", *cols)
    ranked = [F(o[1:]).desc() if o[0] == "-" else F(o).asc() for o in order]

    def rows(base):
        return base.annotate(
            k1=F("pk"), k2=Over(RowNumber(), order_by=ranked), **{c: F(f) for c, f in cols.items()}
        ).values(*names)

    # The rows by id (a scope's ``distinct`` would not fold rows numbered apart).
    manager = qs.model.objects
    sql, params = _compiled(rows(manager.filter(pk__in=qs.order_by().values("pk"))), manager)
    return sql, params, names


def _compiled(qs, manager) -> tuple[str, list]:
    """The SQL of ``qs``; of no rows where ``qs`` can have none (``none()``, an empty
    scope), which the ORM answers without asking the database."""
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:
        empty = qs.all()
        empty.query.where = manager.filter(pk__isnull=True).query.where
        sql, params = empty.query.sql_with_params()
    return sql, list(params)


def _node_parts(scope, node: Node) -> dict:
    """The node's children (``children``) and its centers' thresholds (when its
    departments are all at one center, as ``thresholds_for``), as parts of the
    indicators' statement."""
    parts = {}
    if node.kind == "r":
        centers = Center.objects.visible_to(scope).filter(region=node.obj)
        parts["c"] = _listed(centers, Center._meta.ordering, t1="name")
        regions = _region_nodes(scope).filter(parent=node.obj)
        parts["r"] = _listed(regions, ["path"], t1="name", t2="level")
    elif node.kind == "c":
        depts = Department.objects.visible_to(scope).filter(center=node.obj)
        parts["d"] = _listed(depts, Department._meta.ordering, t1="name")
        windows = Window.objects.filter(center=node.obj, is_active=True)
        parts["w"] = _listed(windows, ["number"], k3="number")
    parts["t"] = (
        f"SELECT center_id AS k1, indicator AS t1, value AS x FROM "
        f"{IndicatorThreshold._meta.db_table} WHERE center_id IN "
        "(SELECT center_id FROM node_depts WHERE center_id IS NOT NULL) "
        "AND (SELECT COUNT(DISTINCT center_id) FROM node_depts) = 1",
        [],
        ("k1", "t1", "x"),
    )
    return parts


def _children(node: Node, rows: dict[str, list[tuple]]) -> list[Node]:
    """``children`` from the statement's rows (kept in the order the page lists them)."""

    def ordered(name):
        return sorted(rows.get(name, []), key=lambda r: r[1])

    if node.kind == "r":
        return [Node("c", Center(pk=r[0], name=r[3]), r[3]) for r in ordered("c")] + [
            Node("r", Region(pk=r[0], name=r[3], level=r[4]), r[3]) for r in ordered("r")
        ]
    if node.kind == "c":
        return [Node("d", Department(pk=r[0], name=r[3]), r[3]) for r in ordered("d")] + [
            Node("w", Window(pk=r[0], number=r[2]), f"{r[2]}号窗口") for r in ordered("w")
        ]
    return []


def _node_statement(scope, node: Node, months: list[dt.date]) -> tuple[str, list]:
    """The node's indicators, children and departments in one statement, built once
    per scope and node (``indicators.gathered.node_statement``)."""

    def parts():
        depts = node_departments(scope=scope, node=node).order_by().values("pk", "center_id")
        return _compiled(depts, Department.objects), _node_parts(scope, node)

    key = ("oversight.dashboard_node", scope, node.kind, node.obj.pk, _shape(node))
    return node_statement(parts, months, key=key)


def _indicators(figures, depts, limit_rows, months: list[dt.date]) -> list[IndicatorRow]:
    if not depts:
        return []
    # The node's figures: the departments summed (in the database).
    centers = {c for _d, c in depts if c}
    limits = {}
    if len(centers) == 1:  # ``thresholds_for``: the center's own, else the defaults
        limits = {i.code: i.default_threshold for i in INDICATORS}
        for _center, _k2, _k3, code, _t2, value in limit_rows:
            if code in BY_CODE:
                limits[code] = float(value)
    rows = []
    for ind in INDICATORS:
        trend = [Cell(ind, rolled(figures, ind.code, [0], m), limits.get(ind.code)) for m in months]
        rows.append(IndicatorRow(trend[-1], trend, sparkline([c.value for c in trend]), months))
    return rows


def dashboard(*, scope, node: Node, now: dt.datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    month = timezone.localdate(now).replace(day=1)
    months = months_back(month, TREND_MONTHS)
    # The panels and the indicators: two statements, one round trip on PostgreSQL.
    sql, params, db, layout = _panels(scope, node, now)
    statements = [(sql, params), _node_statement(scope, node, months)]
    if db == DEFAULT_DB_ALIAS:
        panel_rows, node_rows = together(statements)
    else:  # the panels routed elsewhere
        (panel_rows,), (node_rows,) = together(statements[:1], using=db), together(statements[1:])
    got = one_row_values(panel_rows[0], db, layout)
    figures, depts, rows = node_read(node_rows, months)
    return Dashboard(
        node=node,
        trail=trail(node, scope=scope),
        children=_children(node, rows),
        month=month,
        months=months,
        hall=_hall(got, now),
        cases=_cases(got),
        reviews=_reviews(got),
        complaints=_complaints(got),
        indicators=_indicators(figures, depts, rows.get("t", []), months),
        now=now,
    )
