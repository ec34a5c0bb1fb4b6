"""The hall closer to life (R-HALL-2): 40 county centers with 20 windows each, one
clerk signed in at every window, two terminals per center. At opening time the people
at the door take their tickets in a burst; then arrivals come one by one. A clerk calls
the next ticket, serves it for 5-60 s (the think time), finishes it and calls again;
with nobody waiting the clerk looks again after 15-45 s. Times are scaled down
(``BENCH_COUNTY_SCALE``, default 0.2: a 60 s run stands for 5 minutes of a morning).

Printed: p50 and p99 latency per operation (issue, call-next, finish), absolute and as a
ratio against ``GET /api/v1/hall/ping`` measured on the same server before the run, and
the errors (goal: none; a 409 "busy" counts as an error here, as a clerk would see it).
Afterwards the database is checked as in ``hall_load.py``: no number issued twice, no
ticket called twice.

    python bench/hall_county.py
    BENCH_COUNTY_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ow_hall_county_bench
    BENCH_COUNTY_SECONDS=60 BENCH_COUNTY_SCALE=0.2
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import hall_load
from common import clear_for_window, figure, sized
from hall_load import LOOPBACK, SRC, Recorder

# Under make bench-quick a tenth: 4 centers for 6 s.
CENTERS = int(os.environ.get("BENCH_COUNTY_CENTERS", str(sized(40))))
WINDOWS_PER_CENTER = 20
TERMINALS_PER_CENTER = 2
BURST_PER_CENTER = 24  # people at the door at opening time
CATEGORIES = "ABCDEF"
SECONDS = float(os.environ.get("BENCH_COUNTY_SECONDS", str(sized(60))))
SCALE = float(os.environ.get("BENCH_COUNTY_SCALE", "0.2"))
THINK = (5.0, 60.0)  # a clerk serving one visitor, seconds of real time
IDLE_LOOK = (15.0, 45.0)  # a clerk with nobody waiting looks again
ARRIVAL = (20.0, 90.0)  # after the burst, a terminal's next visitor
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ow_hall_county_bench"


def prepare(out_path: str) -> None:
    """In a child process, on the bench database: migrate and build the county centers."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from onewindow.core.tokens import api_client_create, api_token_create
    from onewindow.hall import services
    from onewindow.hall.models import ServiceCategory, Window
    from onewindow.org import services as org
    from onewindow.org.models import Level

    root = get_user_model().objects.create_superuser(
        "bench-root", password=None, full_name="基准测试"
    )
    pref = org.region_create(
        actor=root, code="629900", name="基准州", level=Level.PREFECTURE, parent=None
    )
    centers = []
    for c in range(CENTERS):
        county = org.region_create(
            actor=root,
            code=f"6299{c + 1:02d}",
            name=f"基准{c + 1}县",
            level=Level.COUNTY,
            parent=pref,
        )
        center = org.center_create(
            actor=root, region=county, code=f"C6299{c + 1:02d}", name=f"基准{c + 1}县政务服务中心"
        )
        categories = [
            ServiceCategory.objects.create(
                center=center, letter=letter, name=f"业务{letter}", order=i
            )
            for i, letter in enumerate(CATEGORIES)
        ]
        windows = []
        for n in range(1, WINDOWS_PER_CENTER + 1):
            window = Window.objects.create(center=center, number=n)
            # Most windows serve three categories, every fifth one all of them.
            served = categories if n % 5 == 0 else [categories[(n + k) % 6] for k in range(3)]
            services.window_set_categories(actor=root, window=window, categories=served)
            profile = org.staff_create(
                actor=root,
                username=f"bench-{c + 1:02d}-{n:02d}",
                full_name=f"窗口{c + 1:02d}{n:02d}",
                password=None,
                roles={"clerk"},
                staff_no=f"C{c + 1:02d}{n:03d}",
                center=center,
            )
            clear_for_window(root, profile)
            clerk = profile.user
            services.window_sign_in(actor=clerk, window=window)
            _, key = api_token_create(actor=clerk, name="叫号（基准测试）")
            windows.append({"id": window.pk, "number": n, "token": key})
        centers.append({"center_id": center.pk, "windows": windows})
    _, client_key = api_client_create(actor=root, name="自助终端（基准测试）", region=pref)
    Path(out_path).write_text(
        json.dumps({"centers": centers, "categories": list(CATEGORIES), "client_key": client_key})
    )


def _pause(rng: random.Random, bounds: tuple[float, float]) -> float:
    return rng.uniform(*bounds) * SCALE


async def _terminal(base: str, setup: dict, center_id: int, rec: Recorder, until: float, seed):
    rng = random.Random(seed)
    path = f"/api/v1/hall/centers/{center_id}/tickets"
    burst = BURST_PER_CENTER // TERMINALS_PER_CENTER
    async with hall_load._client(base, {"X-Api-Key": setup["client_key"]}) as http:
        n = 0
        while time.perf_counter() < until:
            body = {
                "category": rng.choice(setup["categories"]),
                "priority_reason": "elderly" if rng.random() < 0.1 else "",
            }
            response = await hall_load._timed(rec, "issue", lambda b=body: http.post(path, json=b))
            if response is not None and response.status_code == 201:
                data = response.json()
                rec.issued.append((data["id"], data["code"]))
            n += 1
            if n >= burst:  # the door crowd is served; now one visitor at a time
                await asyncio.sleep(_pause(rng, ARRIVAL))


async def _clerk(base: str, window: dict, rec: Recorder, until: float, seed: int) -> None:
    rng = random.Random(seed)
    prefix = f"/api/v1/hall/windows/{window['id']}"
    await asyncio.sleep(rng.uniform(0, 3) * SCALE)  # clerks sit down over a few seconds
    async with hall_load._client(base, {"Authorization": f"Bearer {window['token']}"}) as http:
        while time.perf_counter() < until:
            response = await hall_load._timed(
                rec, "call-next", lambda: http.post(f"{prefix}/call-next")
            )
            ticket = (
                response.json().get("ticket")
                if response is not None and response.status_code == 200
                else None
            )
            if ticket is None:
                # an error is counted as one; only an answer "nobody" is an empty call
                rec.empty_calls += response is not None and response.status_code == 200
                await asyncio.sleep(_pause(rng, IDLE_LOOK))
                continue
            rec.called.append((ticket["id"], window["id"]))
            await asyncio.sleep(_pause(rng, THINK))
            for _ in range(5):  # a held ticket is always finished, even past the deadline
                done = await hall_load._timed(
                    rec, "finish", lambda t=ticket: http.post(f"{prefix}/tickets/{t['id']}/finish")
                )
                if done is not None and done.status_code == 200:
                    break


async def _drive(base: str, setup: dict) -> tuple[Recorder, float, Recorder, float]:
    ping = Recorder()
    ping.measuring = True
    until = time.perf_counter() + 5
    ping_elapsed = await hall_load._phase(
        [hall_load._pinger(base, ping, until) for _ in range(200)]
    )
    rec = Recorder()
    rec.measuring = True
    until = time.perf_counter() + SECONDS
    coros = []
    for c, center in enumerate(setup["centers"]):
        coros += [
            _terminal(base, setup, center["center_id"], rec, until, 100 * c + t)
            for t in range(TERMINALS_PER_CENTER)
        ]
        coros += [_clerk(base, w, rec, until, w["id"]) for w in center["windows"]]
    coros.append(hall_load.sample_waits(setup["db"], rec, until))
    elapsed = await hall_load._phase(coros)
    return ping, ping_elapsed, rec, elapsed


def _report(ping: Recorder, ping_elapsed: float, rec: Recorder, elapsed: float) -> None:
    _, base_p50, base_p99 = hall_load._figures(ping, "ping", ping_elapsed)
    print(
        f"hall county: {CENTERS} centers x {WINDOWS_PER_CENTER} windows, "
        f"{CENTERS * TERMINALS_PER_CENTER} terminals, {SECONDS:.0f} s at time scale {SCALE} "
        f"(think {THINK[0]:.0f}-{THINK[1]:.0f} s, burst of {BURST_PER_CENTER} per center at opening); "
        f"load average now {hall_load.load_average()}"
    )
    for kind in ("issue", "call-next", "finish"):
        rps, p50, p99 = hall_load._figures(rec, kind, elapsed)
        print(
            f"{'hall county: ' + kind + ' p99 latency':<58} {p99 / base_p99:6.2f}x  (ping = 1.00)"
            f"   [{rps:.0f}/s, p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms]"
        )
        figure(
            f"hall county: {kind} p99 latency against 0.5 s",
            p99 / 0.5,
            "0.5 s",
            goal=1.0,
            subject=round(p99, 4),
            baseline=0.5,
            note=f"ping p99 before the run {base_p99:.3f} s; {rps:.1f} requests/s",
        )
    print(f"  ping p50 {base_p50 * 1000:.0f} ms p99 {base_p99 * 1000:.0f} ms (200 clients, 5 s)")
    statuses = {k: dict(sorted(v.items())) for k, v in rec.status.items()}
    failed = sum(
        n for kind in rec.status.values() for code, n in kind.items() if code >= 300 or code == 0
    )
    print(f"  responses by status: {statuses}; call-next with nobody waiting: {rec.empty_calls}")
    total = sum(n for kind in rec.status.values() for n in kind.values())
    figure(
        "hall county: errors (responses other than 2xx)",
        float(failed),
        "none",
        goal=0,
        subject=failed,
        baseline=total,
        unit="responses",
        note=f"of {total} responses",
    )
    if rec.wait_samples:
        per_sample = {k: round(v / rec.wait_samples, 1) for k, v in rec.waits.most_common()}
        print(f"  database connections busy on average, by what they wait on: {per_sample}")
        hall_load.print_blocked(rec, rec.wait_samples)
    if rec.errors:
        print(f"  errors: {rec.errors.most_common(5)}")


def bench_hall_county() -> None:
    try:
        import httpx  # noqa: F401
        import psycopg
    except ImportError as exc:
        print(f"hall county: skipped ({exc.name} is not installed: pip install -e '.[test]')")
        return
    url, db = hall_load._database(os.environ.get("BENCH_COUNTY_DATABASE_URL", DEFAULT_URL))
    try:
        hall_load._recreate(db)
    except psycopg.OperationalError as exc:
        print(f"hall county: skipped (no PostgreSQL at {LOOPBACK}:{db['port']}: {exc})")
        return
    work = Path(tempfile.mkdtemp(prefix="ow-hall-county-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "onewindow.settings",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "ALLOWED_HOSTS": LOOPBACK,
        "ONEWINDOW_HALL_ENFORCE_HOURS": "0",
        "ONEWINDOW_DATA_DIR": str(work),
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
    }
    env.pop("REDIS_URL", None)
    server, log = None, work / "gunicorn.log"
    try:
        setup_file = work / "setup.json"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, __file__, "--prepare", str(setup_file)],
            env=env,
            check=True,
            timeout=900,
        )
        setup = json.loads(setup_file.read_text())
        setup["db"] = db
        port = hall_load._free_port()
        base = f"http://{LOOPBACK}:{port}"
        # Clerks pause longer than gunicorn's default keep-alive between requests; a
        # console keeps its connection (as behind a proxy), so the server does too.
        server = hall_load._start_gunicorn(env, port, log, keep_alive=75)
        hall_load._wait_ready(server, base)
        print(f"hall county: database and server ready in {time.perf_counter() - started:.0f} s")
        ping, ping_elapsed, rec, elapsed = asyncio.run(_drive(base, setup))
        _report(ping, ping_elapsed, rec, elapsed)
        hall_load._check(db, rec)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, RuntimeError) as exc:
        print(f"hall county: failed ({exc})")
        if log.exists():
            print("\n".join(log.read_text(errors="replace").splitlines()[-20:]))
    finally:
        if server is not None:
            hall_load._stop(server)
        hall_load._recreate(db, drop_only=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--prepare":
        sys.path.insert(0, str(SRC))
        prepare(sys.argv[2])
    else:
        bench_hall_county()
