"""A profile of the hall's hot requests, one at a time, on the load bench's database
after its run (so the queues are as long as the load left them): for issuing a ticket,
calling the next one and finishing it, the queries per request, the time in the
database (the queries' own time) and in Python (the rest), and where Python spends it
(cProfile). Run by ``hall_load.py`` in a child process with Django set up."""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import time

OPS = ("issue", "call-next", "finish")


def _measure(client, method: str, path: str, **kw):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = getattr(client, method)(path, **kw)
        total = time.perf_counter() - start
    sql = [q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    in_db = sum(float(q["time"]) for q in sql)
    return response, len(sql), total, in_db


def profile(setup: dict, rounds: int = 40) -> list[str]:
    from django.test import Client

    host = {"HTTP_HOST": "127.0.0.1"}
    terminal = Client(HTTP_X_API_KEY=setup["client_key"], **host)
    window = setup["windows"][0]
    clerk = Client(HTTP_AUTHORIZATION=f"Bearer {window['token']}", **host)
    issue_path = f"/api/v1/hall/centers/{setup['center_id']}/tickets"
    prefix = f"/api/v1/hall/windows/{window['id']}"
    figures: dict[str, list[tuple[int, float, float]]] = {op: [] for op in OPS}
    profiler = cProfile.Profile()

    def one_round(i: int) -> None:
        body = {"category": setup["categories"][i % len(setup["categories"])]}
        _, n, total, db = _measure(
            terminal, "post", issue_path, data=body, content_type="application/json"
        )
        figures["issue"].append((n, total, db))
        response, n, total, db = _measure(clerk, "post", f"{prefix}/call-next")
        figures["call-next"].append((n, total, db))
        ticket = response.json().get("ticket") if response.status_code == 200 else None
        if ticket:
            _, n, total, db = _measure(
                clerk,
                "post",
                f"{prefix}/tickets/{ticket['id']}/finish",
                data={},
                content_type="application/json",
            )
            figures["finish"].append((n, total, db))

    for i in range(5):  # warm-up
        one_round(i)
    for values in figures.values():
        values.clear()
    profiler.enable()
    for i in range(rounds):
        one_round(i)
    profiler.disable()

    lines = []
    for op in OPS:
        rows = figures[op]
        if not rows:
            continue
        queries = statistics.median(r[0] for r in rows)
        total = statistics.median(r[1] for r in rows) * 1000
        db = statistics.median(r[2] for r in rows) * 1000
        lines.append(
            f"  profile {op:<9}: {queries:.0f} queries per request; median {total:.1f} ms, "
            f"{db:.1f} ms of it in the database, {total - db:.1f} ms in Python "
            f"(one client, under cProfile)"
        )
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(8)
    body = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next((i for i, line in enumerate(body) if line.lstrip().startswith("ncalls")), 0)
    lines.append("  profile: where Python spends its time (cProfile, by own time):")
    lines += [f"    {line.strip()[:150]}" for line in body[start : start + 9]]
    return lines
