"""What the hall benches' database connections wait on, sampled during a run: by wait
type (``Lock`` is time in row locks, ``Client`` a transaction waiting for its server
thread), and for each connection waiting on a lock, the relation, its statement and the
statement of the connection holding it (``pg_blocking_pids``)."""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter

# Who waits on a lock, on what, and behind whom: per waiting connection, the relation of
# the lock it waits for (or of the row lock it already holds while it waits for the
# holder's transaction), its statement and the statement of each connection blocking it.
BLOCKED_SQL = """
SELECT l.locktype,
       coalesce(l.relation, t.relation)::regclass::text,
       w.query, b.query, b.state
FROM pg_stat_activity w
JOIN pg_locks l ON l.pid = w.pid AND NOT l.granted
LEFT JOIN LATERAL (
    SELECT relation FROM pg_locks h
    WHERE h.pid = w.pid AND h.granted AND h.locktype = 'tuple' LIMIT 1
) t ON true
CROSS JOIN LATERAL unnest(pg_blocking_pids(w.pid)) AS bp(pid)
JOIN pg_stat_activity b ON b.pid = bp.pid
WHERE w.datname = %s AND w.wait_event_type = 'Lock' AND w.pid <> pg_backend_pid()
"""

_TARGET = re.compile(r"\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM|FROM)\s+\"?(\w+)", re.I)


def statement_label(sql: str) -> str:
    """A statement's verb and table (``UPDATE hall_ticket``), enough to tell the hot
    statements apart without their values."""
    sql = (sql or "").strip()
    first = sql.split(None, 1)[0].upper() if sql else "?"
    if first in ("COMMIT", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK"):
        return first
    if first == "EXECUTE":  # a prepared statement: its first values tell which
        values = sql.partition("(")[2]
        return f"EXECUTE prepared ({values[:24]}…)"
    match = _TARGET.search(sql)
    if not match:
        return sql[:40]
    verb = " ".join(match.group(1).upper().split())
    label = f"{'SELECT' if verb == 'FROM' else verb} {match.group(2)}"
    return f"WITH … {label}" if first == "WITH" else label


def waits_now(db: dict) -> tuple[Counter, Counter]:
    """What the bench database's busy connections are doing right now, and for those
    waiting on a lock: (lock type, relation, waiting statement, blocking statement)."""
    import psycopg

    info = {k: v for k, v in db.items() if k != "name" and v is not None}
    with psycopg.connect(dbname=db["name"], autocommit=True, **info) as conn:
        rows = conn.execute(
            "SELECT coalesce(wait_event_type, 'running'), count(*) FROM pg_stat_activity "
            "WHERE datname = %s AND state IN ('active', 'idle in transaction') "
            "AND pid <> pg_backend_pid() GROUP BY 1",
            [db["name"]],
        ).fetchall()
        blocked = conn.execute(BLOCKED_SQL, [db["name"]]).fetchall()
    behind = Counter()
    for locktype, relation, waiting, blocking, state in blocked:
        holder = statement_label(blocking)
        if state == "idle in transaction":
            holder += " (then idle in transaction)"
        behind[(locktype, relation or "-", statement_label(waiting), holder)] += 1
    return Counter(dict(rows)), behind


def print_blocked(rec, samples: int, top: int = 8) -> None:
    """The locks most waited on over the samples (waiting connections per sample)."""
    if not rec.blocked:
        return
    print("  lock waits, by (lock, relation, waiting statement <- blocking statement), per sample:")
    for (locktype, relation, waiting, holder), n in rec.blocked.most_common(top):
        print(f"    {n / samples:5.2f}  {locktype} {relation}: {waiting} <- {holder}")


async def sample_waits(db: dict, rec, until: float) -> None:
    """Five times a second, the database's busy connections by what they wait on: time in
    row locks shows as ``Lock``, a transaction waiting for its client as ``Client``."""
    while time.perf_counter() < until:
        try:
            waits, blocked = await asyncio.to_thread(waits_now, db)
            rec.waits.update(waits)
            rec.blocked.update(blocked)
            rec.wait_samples += 1
        except Exception as exc:  # a sample lost is not a failure of the hall
            rec.errors[f"wait sample: {type(exc).__name__}"] += 1
        await asyncio.sleep(0.2)
