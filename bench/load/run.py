"""``make load``: the demo under gunicorn, a morning's mix driven by locust, headless.

1. The database: on PostgreSQL when ``DATABASE_URL`` is set, the database of that name
   with ``_load`` added (made if missing, kept between runs); else SQLite in
   ``$ONEWINDOW_DATA_DIR/load`` (``var/load``). Migrated, the demo loaded once
   (``load-demo --if-empty``), then ``prepare.py`` adds the bench windows and clerks.
2. gunicorn on a free port of 127.0.0.1 (``LOAD_WORKERS``, default 2 × 4 threads).
3. locust, headless, ``LOAD_SECONDS`` (default 30) for each shape in ``LOAD_SHAPES``
   (default ``county province``), the users of each kind fixed by the shape.
4. Printed per operation: requests, p50 and p99 as ratios against ``ping`` measured in
   the same run (and in ms), and the failures. Exit status 1 on any failure.
"""

from __future__ import annotations

import csv
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
LOOPBACK = "127.0.0.1"
SECONDS = int(os.environ.get("LOAD_SECONDS", "30"))
SHAPES = os.environ.get("LOAD_SHAPES", "county province").split()
WORKERS = os.environ.get("LOAD_WORKERS", "2")
THREADS = os.environ.get("LOAD_THREADS", "4")


def _bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def _database_env() -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "onewindow.settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": LOOPBACK,
        "ONEWINDOW_HALL_ENFORCE_HOURS": "0",
        "LOG_LEVEL": "ERROR",
    }
    env.pop("REDIS_URL", None)
    url = os.environ.get("DATABASE_URL")
    if url:
        parts = urlparse(url)
        name = parts.path.lstrip("/") + "_load"
        _create_pg(parts, name)
        env["DATABASE_URL"] = urlunparse(parts._replace(path=f"/{name}"))
    else:
        data = Path(os.environ.get("ONEWINDOW_DATA_DIR", ROOT / "var")) / "load"
        data.mkdir(parents=True, exist_ok=True)
        env["ONEWINDOW_DATA_DIR"] = str(data)
    return env


def _create_pg(parts, name: str) -> None:
    import psycopg

    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def _wait_ready(proc: subprocess.Popen, base: str, timeout: float = 90) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/api/v1/hall/ping", timeout=2, trust_env=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def _users(env: dict, shape: str) -> int:
    code = "import locustfile, json; print(sum(locustfile.counts().values()))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "LOAD_SHAPE": shape, "PYTHONPATH": str(HERE)},
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def _locust(env: dict, base: str, shape: str, work: Path) -> list[dict]:
    users = _users(env, shape)
    prefix = work / shape
    cmd = [
        _bin("locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--host",
        base,
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 2)),
        "--run-time",
        f"{SECONDS}s",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    subprocess.run(
        cmd,
        env={**env, "LOAD_SHAPE": shape},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=open(work / f"{shape}-locust.log", "w"),
    )
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    failures = work / f"{shape}_failures.csv"
    rows_failed = (
        list(csv.DictReader(open(failures, encoding="utf-8"))) if failures.exists() else []
    )
    print(f"\nload: shape {shape}: {users} users for {SECONDS} s")
    return _report(rows, rows_failed)


def _report(rows: list[dict], failed: list[dict]) -> int:
    by_name = {r["Name"]: r for r in rows if r["Name"] != "Aggregated"}
    ping = by_name.get("ping")
    if ping is None or not int(ping["Request Count"]):
        print("  no ping measured: no ratios")
        return sum(int(r["Failure Count"]) for r in rows if r["Name"] == "Aggregated") or 1
    p50, p99 = float(ping["50%"]) or 1.0, float(ping["99%"]) or 1.0
    print(f"  {'operation':<34} {'requests':>8} {'p50/ping':>9} {'p99/ping':>9}   (ms p50, p99)")
    for name in sorted(by_name, key=lambda n: (n != "ping", n)):
        r = by_name[name]
        print(
            f"  {name:<34} {int(r['Request Count']):>8} {float(r['50%']) / p50:>8.2f}x "
            f"{float(r['99%']) / p99:>8.2f}x   ({float(r['50%']):.0f}, {float(r['99%']):.0f})"
        )
    errors = sum(int(r["Failure Count"]) for r in by_name.values())
    total = sum(int(r["Request Count"]) for r in by_name.values())
    print(f"  errors: {errors} of {total} requests (goal 0)")
    for f in failed[:10]:
        print(f"    {f.get('Method')} {f.get('Name')}: {f.get('Error')} x{f.get('Occurrences')}")
    return errors


def main() -> int:
    env = _database_env()
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    where = env.get("DATABASE_URL", "").rsplit("/", 1)[-1] or env["ONEWINDOW_DATA_DIR"]
    kind = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    started = time.perf_counter()
    onewindow = _bin("onewindow")
    subprocess.run([onewindow, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    subprocess.run([onewindow, "load-demo", "--if-empty"], env=env, check=True)
    subprocess.run([onewindow, "collectstatic", "--noinput", "-v", "0"], env=env, check=False)
    work = Path(tempfile.mkdtemp(prefix="ow-load-"))
    setup = work / "setup.json"
    subprocess.run([sys.executable, str(HERE / "prepare.py"), str(setup)], env=env, check=True)
    env["LOAD_SETUP"] = str(setup)
    port = _free_port()
    base = f"http://{LOOPBACK}:{port}"
    log = work / "gunicorn.log"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "onewindow.wsgi:application",
            "--bind",
            f"{LOOPBACK}:{port}",
            "--workers",
            WORKERS,
            "--threads",
            THREADS,
            "--timeout",
            "60",
            # a clerk's console keeps its connection between calls, as behind a proxy
            "--keep-alive",
            "75",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            "--error-logfile",
            str(log),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),  # the application's own error log too
        start_new_session=True,
    )
    errors = 0
    try:
        _wait_ready(server, base)
        print(
            f"load: the demo on {kind} ({where}) under gunicorn "
            f"({WORKERS} workers x {THREADS} threads) at {base}, ready in "
            f"{time.perf_counter() - started:.0f} s; load average {os.getloadavg()[0]:.1f}"
        )
        for shape in SHAPES:
            errors += _locust(env, base, shape, work)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    if errors and log.exists():
        print("gunicorn's log (last lines):")
        print("\n".join(log.read_text(errors="replace").splitlines()[-15:]))
    print(f"\nload: {'FAILED: ' + str(errors) + ' errors' if errors else 'no errors'}")
    print(f"(locust's CSVs and logs in {work}; {shlex.join(SHAPES)})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
