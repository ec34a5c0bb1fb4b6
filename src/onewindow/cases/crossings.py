"""The deadline sweep's set-based step (R-CASE-4): the running cases of one range of ids
(those whose line has come, read by their primary key) that reach a level today are
moved in a few statements, whatever their number, with their alerts, events and audit
rows written by the database.

On PostgreSQL all of it is one statement (``_move_all_pg``, data-modifying ``WITH``
queries): the ids go as one array; the case rows are read once and updated once (the
level from the due date), the alerts, events and audit rows inserted from the rows the
update returned (ordered by level and case, as below), the lines deleted or moved on,
and the open-case counts (``cases.open_counts``) moved once for all the rows instead of
by the update trigger row by row (the trigger skips an update while the
transaction-local setting ``open_counts.COUNTED_BY`` is on, set around the statement).
SQLite runs the statements below one by one.

Three moves, each one ``UPDATE`` of the case rows' warning level ``WHERE`` the case
runs, its line has come (its ``CaseLine``), it is at the level the move starts from and
it reaches the next one, ``RETURNING`` the ids it moved; then one statement on the
lines of the moved cases (deleted once alarmed, moved to the day after the due date
once warned). The case row's warning level is indexed nowhere, so on PostgreSQL the
update stays on the row's page and touches no index (a HOT update):

- past the due date and never warned → alarmed (a warning and an alarm recorded);
- past the due date and warned → alarmed;
- never warned, due today or later, and within its warning days → warned, the line
  moved to the day after the due date.

Whether a case is within its warning days depends on its center's calendar and its
matter's limit only through a date: on a calendar, for a warning threshold (the warning
days, or one less than a shorter limit), the cases warned by today are exactly those
due on or before a cutoff (``clock.warned_through``: the warning day only moves forward
as the due date does). The statement carries those cutoffs per threshold and group of
centers sharing a calendar; the limit is read from the case's deadline in the same
statement.

Only the rows a move changed get their records: the alerts are inserted from the ids
``RETURNING`` gave (never a level a case already has), the events and audit rows from
the alerts inserted. What the moves leave in the range with its line come (a line set
early by a late step, an on-the-spot matter before its alarm) is checked one case at a
time by the sweep, exactly as before.

Two sweeps at once: each range is moved in one transaction that first takes the sweep's
claim (on PostgreSQL a transaction-level advisory lock; on SQLite the transaction is
``IMMEDIATE`` and holds the database's write lock from its start), so the second pass
over a range runs after the first has committed and its moves find nothing left; and a
move's ``WHERE`` is checked again on the row it updates, so only one statement can ever
return a given case for a given move.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection

from onewindow.cases import horizon, open_counts
from onewindow.cases.models import Case, CaseAlert, CaseEvent, CaseLine
from onewindow.cases.services.clock import warn_threshold, warned_through
from onewindow.core.models import AuditEvent, Deadline

# A constant of this application for pg_advisory_xact_lock: "一窗通 办件时限巡查".
ADVISORY_KEY = 0x0E_C4_5E_ED
WARNING, OVERDUE = CaseAlert.Level.WARNING, CaseAlert.Level.OVERDUE


@dataclass
class Moved:
    warned: int = 0
    overdue: int = 0
    cases: int = 0  # rows moved
    recorded: list[tuple[int, int]] = field(default_factory=list)  # (case id, level) alerted


def claim() -> None:
    """Take the sweep's claim for the current transaction (see the module)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_KEY])


def cutoffs(calendars: dict, today: date, days: int) -> list[tuple[int, int, date, list[int]]]:
    """(lowest limit, highest limit, cutoff, centers): a case of one of the centers whose
    limit is in the range is warned by ``today`` when it is due on or before the cutoff.
    Limits above ``days`` share the threshold ``days``; a limit of 0 is never warned."""
    limits = [(t + 1, t + 1) for t in range(days)] + [(days + 1, None)]
    groups: dict[tuple, list[int]] = defaultdict(list)
    # Centers whose calendars hold the same days share their cutoffs: worked out once.
    worked: dict[tuple, date] = {}
    for center_id, cal in calendars.items():
        same = (id(cal.loaded), cal.official, tuple(sorted(cal.overrides.items())))
        for low, high in limits:
            threshold = warn_threshold(low, days)
            cut = worked.get((same, threshold))
            if cut is None:
                cut = worked[(same, threshold)] = warned_through(cal, today, threshold)
            groups[(low, high, cut)].append(center_id)
    return [(low, high, cut, sorted(ids)) for (low, high, cut), ids in groups.items()]


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _in(ids) -> tuple[str, list]:
    ids = list(ids)
    return ", ".join(["%s"] * len(ids)), ids


def _warnable(groups, today_db) -> tuple[str, list]:
    """The condition 'within its warning days' on a case of ``cases_case``."""
    parts, params = [], []
    for low, high, cut, centers in groups:
        marks, ids = _in(centers)
        limit = "d.days >= %s" if high is None else "d.days BETWEEN %s AND %s"
        parts.append(f"({limit} AND c.center_id IN ({marks}) AND c.due <= %s)")
        params += [low] if high is None else [low, high]
        params += [*ids, connection.ops.adapt_datefield_value(cut)]
    if not parts:
        return "1 = 0", []
    sql = (
        f"c.due >= %s AND EXISTS (SELECT 1 FROM {_t(Deadline)} d "
        f"WHERE d.id = c.deadline_id AND ({' OR '.join(parts)}))"
    )
    return sql, [today_db, *params]


def _recent() -> tuple[str, list]:
    """On a partitioned install, the received times of open cases (``horizon``): the
    statements by id then read only those months' partitions."""
    months = horizon.window()
    if months is None:
        return "", []
    adapt = connection.ops.adapt_datetimefield_value
    return " AND c.received_at >= %s AND c.received_at < %s", [adapt(m) for m in months]


def _move(ids: list[int], today_db, frm: int, to: int, cond: str, cond_params):
    """One move over the cases ``ids`` (read by their primary key); the ids it changed."""
    marks, id_params = _in(ids)
    recent, recent_params = _recent()
    sql = (
        f"UPDATE {_t(Case)} AS c SET warning_level = %s "
        f"WHERE c.id IN ({marks}) AND c.clock_running AND c.due IS NOT NULL "
        f"AND c.warning_level = %s AND {cond}{recent} AND EXISTS (SELECT 1 FROM "
        f"{_t(CaseLine)} l WHERE l.case_id = c.id AND l.alert_on <= %s) RETURNING id"
    )
    params = [to, *id_params, frm, *cond_params, *recent_params, today_db]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [r[0] for r in cursor.fetchall()]


def _drop_lines(ids: list[int]) -> None:
    """The alarmed cases have no line left."""
    if ids:
        marks, params = _in(ids)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {_t(CaseLine)} WHERE case_id IN ({marks})", params)


def _lines_after_due(ids: list[int]) -> None:
    """The warned cases' next line: the day after their due date (the alarm)."""
    if ids:
        marks, params = _in(ids)
        next_day = "c.due + 1" if connection.vendor == "postgresql" else "date(c.due, '+1 day')"
        recent, recent_params = _recent()
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {_t(CaseLine)} SET alert_on = (SELECT {next_day} FROM {_t(Case)} c "
                f"WHERE c.id = {_t(CaseLine)}.case_id{recent}) WHERE case_id IN ({marks})",
                [*recent_params, *params],
            )


def _record(ids: list[int], level: int, now_db) -> list[int]:
    """The alert of ``level`` for each case of ``ids`` that lacks one, with its event
    and audit row; the ids of the cases it was recorded for."""
    if not ids:
        return []
    pg = connection.vendor == "postgresql"
    marks, params = _in(ids)
    recent, recent_params = _recent()
    label = CaseAlert.Level(level).label
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_t(CaseAlert)} (case_id, level, at, due) "
            f"SELECT c.id, %s, %s, c.due FROM {_t(Case)} c WHERE c.id IN ({marks}){recent} "
            f"AND NOT EXISTS (SELECT 1 FROM {_t(CaseAlert)} a "
            "WHERE a.case_id = c.id AND a.level = %s) RETURNING case_id",
            [level, now_db, *params, *recent_params, level],
        )
        new = sorted(r[0] for r in cursor.fetchall())
        if not new:
            return []
        marks, params = _in(new)
        data = "CAST(%s AS jsonb)" if pg else "%s"
        cursor.execute(
            f"INSERT INTO {_t(CaseEvent)} (case_id, action, from_state, to_state, actor_id, "
            "actor_label, note, data, at) "
            f"SELECT c.id, 'alert', c.state, c.state, NULL, %s, %s, {data}, %s "
            f"FROM {_t(Case)} c WHERE c.id IN ({marks}){recent} ORDER BY c.id",
            ["系统", label, f'{{"level": {level}}}', now_db, *params, *recent_params],
        )
        after = (
            "jsonb_build_object('level', %s, 'due', to_char(c.due, 'YYYY-MM-DD'))"
            if pg
            else "json_object('level', %s, 'due', c.due)"
        )
        cursor.execute(
            f"INSERT INTO {_t(AuditEvent)} (at, actor_id, actor_label, action, target_type, "
            "target_id, target_label, center_id, department_id, before, after, note, "
            "client_ip, request_id) "
            f"SELECT %s, NULL, %s, 'case.alert', %s, CAST(c.id AS TEXT), c.number, "
            f"c.center_id, c.department_id, NULL, {after}, '', NULL, '' "
            f"FROM {_t(Case)} c WHERE c.id IN ({marks}){recent} ORDER BY c.id",
            [now_db, "系统", Case._meta.label_lower, level, *params, *recent_params],
        )
    return new


def _move_all_pg(ids: list[int], groups, today: date, now: datetime) -> Moved:
    """PostgreSQL: the three moves, the records of each level and the lines in one
    statement (data-modifying ``WITH``): the case ids sent once as an array, each case
    row read and written once, the alerts, events and audit rows inserted from the rows
    the update returned. The old level comes from the statement's snapshot and is
    checked again on the row it updates (``c.warning_level = o.old``), so a level changed
    meanwhile leaves the case to the one-at-a-time check."""
    ops = connection.ops
    today_db, now_db = ops.adapt_datefield_value(today), ops.adapt_datetimefield_value(now)
    cond, cond_params = _warnable(groups, today_db)
    recent, recent_params = _recent()
    case, line, alert = _t(Case), _t(CaseLine), _t(CaseAlert)
    labels = {lv: CaseAlert.Level(lv).label for lv in (WARNING, OVERDUE)}
    sql = (
        f"WITH o AS (SELECT c.id, c.warning_level AS old FROM {case} c "
        f"WHERE c.id = ANY(%s){recent}), "
        f"moved AS (UPDATE {case} AS c SET warning_level = "
        f"CASE WHEN c.due < %s THEN {int(OVERDUE)} ELSE {int(WARNING)} END FROM o "
        f"WHERE c.id = o.id AND c.warning_level = o.old{recent} AND c.clock_running "
        f"AND c.due IS NOT NULL AND ((c.warning_level < {int(OVERDUE)} AND c.due < %s) "
        f"OR (c.warning_level = 0 AND {cond})) AND EXISTS (SELECT 1 FROM {line} l "
        "WHERE l.case_id = c.id AND l.alert_on <= %s) "
        "RETURNING c.id, o.old, c.warning_level AS new, c.due, c.state, c.number, "
        "c.center_id, c.department_id, c.decided_at), "
        # The open-case counts of the moved rows (the update trigger does not fire).
        "was AS (SELECT id, state, center_id, department_id, due, old AS warning_level, "
        "decided_at FROM moved), "
        "now_is AS (SELECT id, state, center_id, department_id, due, new AS warning_level, "
        "decided_at FROM moved), "
        # (``%`` doubled: the statement carries parameters)
        f"counted AS ({open_counts.moved_sql('was', 'now_is', 'postgresql').replace('%', '%%')}), "
        # The levels reached and not yet recorded (a warning for a case never warned,
        # an alarm past the date), each with the case columns its records need: the
        # alerts, events and audit rows are inserted from it alike.
        "lv AS (SELECT id, level, new, due, state, number, center_id, department_id FROM ("
        f"SELECT m.*, {int(WARNING)} AS level FROM moved m WHERE m.old = 0 UNION ALL "
        f"SELECT m.*, {int(OVERDUE)} FROM moved m WHERE m.new = {int(OVERDUE)}) x "
        f"WHERE NOT EXISTS (SELECT 1 FROM {alert} a WHERE a.case_id = x.id "
        "AND a.level = x.level)), "
        f"alerts AS (INSERT INTO {alert} (case_id, level, at, due) "
        "SELECT id, level, %s, due FROM lv ORDER BY level, id), "
        f"events AS (INSERT INTO {_t(CaseEvent)} (case_id, action, from_state, to_state, "
        "actor_id, actor_label, note, data, at) "
        "SELECT id, 'alert', state, state, NULL, %s, "
        f"CASE level WHEN {int(WARNING)} THEN %s ELSE %s END, "
        "jsonb_build_object('level', level), %s FROM lv ORDER BY level, id), "
        f"audits AS (INSERT INTO {_t(AuditEvent)} (at, actor_id, actor_label, action, "
        "target_type, target_id, target_label, center_id, department_id, before, after, "
        "note, client_ip, request_id) "
        "SELECT %s, NULL, %s, 'case.alert', %s, CAST(id AS TEXT), number, center_id, "
        "department_id, NULL, jsonb_build_object('level', level, 'due', "
        "to_char(due, 'YYYY-MM-DD')), '', NULL, '' FROM lv ORDER BY level, id), "
        # An alarmed case's line goes; a warned one's moves to the day after its date.
        f"gone AS (DELETE FROM {line} l USING moved m "
        f"WHERE l.case_id = m.id AND m.new = {int(OVERDUE)}), "
        f"later AS (UPDATE {line} l SET alert_on = m.due + 1 FROM moved m "
        f"WHERE l.case_id = m.id AND m.new = {int(WARNING)}) "
        "SELECT (SELECT count(*) FROM moved), "
        f"(SELECT count(*) FROM lv WHERE level = {int(WARNING)} AND new = {int(WARNING)}), "
        f"(SELECT count(*) FROM lv WHERE level = {int(OVERDUE)}), "
        "(SELECT array_agg(id ORDER BY level, id) FROM lv), "
        "(SELECT array_agg(level ORDER BY level, id) FROM lv)"
    )
    params = [
        list(ids),
        *recent_params,
        today_db,
        *recent_params,
        today_db,
        *cond_params,
        today_db,
        now_db,
        "系统",
        labels[WARNING],
        labels[OVERDUE],
        now_db,
        now_db,
        "系统",
        Case._meta.label_lower,
    ]
    with open_counts.counted_by_statement(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        cases, warned, overdue, ids, levels = cursor.fetchone()
    recorded = list(zip(ids or [], levels or [], strict=True))
    return Moved(warned=warned, overdue=overdue, cases=cases, recorded=recorded)


def move_range(ids: list[int], groups, today: date, now: datetime) -> Moved:
    """The three moves over the cases ``ids`` of one range (in the caller's transaction,
    after ``claim``)."""
    if connection.vendor == "postgresql":
        return _move_all_pg(ids, groups, today, now)
    ops = connection.ops
    today_db, now_db = ops.adapt_datefield_value(today), ops.adapt_datetimefield_value(now)
    moved = Moved()
    late = ("c.due < %s", [today_db])
    never = _move(ids, today_db, 0, OVERDUE, *late)
    left = sorted(set(ids) - set(never))
    warned = _move(left, today_db, WARNING, OVERDUE, *late) if left else []
    left = sorted(set(left) - set(warned))
    cond, params = _warnable(groups, today_db)
    now_warned = _move(left, today_db, 0, WARNING, cond, params) if left else []
    # The records of each level in one go (warnings first: a case never warned and
    # past its date gets its warning, then its alarm); an alarmed case's line goes.
    warnings = _record(sorted(never + now_warned), WARNING, now_db)
    moved.warned += len(set(warnings) - set(never))  # a warning on its own
    alarms = _record(sorted(never + warned), OVERDUE, now_db)
    moved.overdue += len(alarms)
    moved.recorded = [(pk, WARNING) for pk in warnings] + [(pk, OVERDUE) for pk in alarms]
    _drop_lines(sorted(never + warned))
    _lines_after_due(now_warned)
    moved.cases = len(never) + len(warned) + len(now_warned)
    return moved
