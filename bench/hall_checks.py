"""The database checks after a hall bench (``hall_load.py``, ``hall_county.py``): no number
issued twice or skipped, no ticket called twice (audit), none handed to two windows
(responses), none finished at another window than the one that called it."""

from __future__ import annotations


def check(db: dict, rec) -> bool:
    import psycopg

    info = {k: v for k, v in db.items() if k != "name" and v is not None}
    with psycopg.connect(dbname=db["name"], **info) as conn:
        q = conn.execute
        tickets = q("SELECT count(*) FROM hall_ticket").fetchone()[0]
        repeated_numbers = q(
            "SELECT count(*) FROM (SELECT category_id, day, number FROM hall_ticket "
            "GROUP BY 1, 2, 3 HAVING count(*) > 1) d"
        ).fetchone()[0]
        gaps = q(
            "SELECT count(*) FROM (SELECT category_id, day FROM hall_ticket GROUP BY 1, 2 "
            "HAVING max(number) <> count(*)) g"
        ).fetchone()[0]
        called_twice = q(
            "SELECT count(*) FROM (SELECT target_id FROM core_auditevent WHERE action = 'ticket.call' "
            "GROUP BY target_id HAVING count(*) > 1) c"
        ).fetchone()[0]
        calls = q("SELECT count(*) FROM core_auditevent WHERE action = 'ticket.call'").fetchone()[0]
        double_held = q(
            "SELECT count(*) FROM (SELECT window_id FROM hall_ticket WHERE state IN ('called', 'serving') "
            "GROUP BY window_id HAVING count(*) > 1) h"
        ).fetchone()[0]
        served = dict(
            q("SELECT id, served_window_id FROM hall_ticket WHERE state = 'done'").fetchall()
        )
    codes = [code for _, code in rec.issued]
    called_ids = [pk for pk, _ in rec.called]
    wrong_window = sum(1 for pk, window in rec.called if pk in served and served[pk] != window)
    problems = {
        "tickets in the database but not answered, or the reverse": tickets != len(rec.issued),
        "a number issued twice": repeated_numbers > 0 or len(set(rec.issued)) != len(rec.issued),
        "a gap in a category's numbers": gaps > 0,
        "a ticket called twice (audit)": called_twice > 0,
        "a ticket handed to two windows (responses)": len(set(called_ids)) != len(called_ids),
        "a window holding two tickets": double_held > 0,
        "a ticket finished at another window than the one that called it": wrong_window > 0,
    }
    failed = [name for name, bad in problems.items() if bad]
    letters = len({code[:1] for code in codes})
    verdict = "OK" if not failed else "FAILED: " + "; ".join(failed)
    print(
        f"  check: {tickets} tickets in {letters} categories, {calls} calls, {len(served)} finished; "
        f"no number issued twice, no ticket held by two windows: {verdict}"
    )
    return not failed
