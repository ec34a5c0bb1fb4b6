"""The outbox's throughput (R-MSG-1): messages delivered per second to the fake SMS
gateway (``onewindow.messaging.fakegateway``, in a process of its own on 127.0.0.1) by
one worker (``messaging.worker.run_once``: claim and read a batch in one transaction, a
signed HTTP request each, sent in groups of 8 on 4 sending threads over kept
connections, each group's attempts recorded and rows updated in one transaction), against the same
number of plain inserts of outbox rows, one transaction each, measured in the same run.
The figure is (delivered per second) / (inserted per second); goal ≥ 0.5.

    python bench/outbox.py [--messages 2000]                  # a temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ow_bench_outbox python bench/outbox.py

On PostgreSQL the database named in ``DATABASE_URL`` must hold ``bench``; it is dropped
and created again, and dropped after the run.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import socket
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

from common import figure, sized  # noqa: E402

SECRET = "bench-secret"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(port: int) -> None:
    from onewindow.messaging.fakegateway import FakeGateway

    FakeGateway(port=port, secret=SECRET).server.serve_forever()


def _database() -> tuple[str, callable]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        name = urlsplit(url).path.lstrip("/")
        if "bench" not in name:
            sys.exit(f"DATABASE_URL must name a bench database (got {name})")
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

        return url, drop
    path = Path(tempfile.mkdtemp(prefix="ow-bench-outbox-")) / "db.sqlite3"
    return f"sqlite:///{path}", lambda: path.unlink(missing_ok=True)


def bench_outbox(messages: int) -> None:
    url, drop = _database()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "onewindow.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from onewindow.messaging import gateways, worker
    from onewindow.messaging.models import Attempt, Message
    from onewindow.messaging.outbox import enqueue, quiet_end

    call_command("migrate", verbosity=0)
    port = _free_port()
    server = multiprocessing.Process(target=_serve, args=(port,), daemon=True)
    server.start()
    time.sleep(0.5)
    sms = settings.MESSAGING["GATEWAYS"]["sms"]
    sms.update(url=f"http://127.0.0.1:{port}/sms/send", secret=SECRET)
    gateways.reset()
    now = quiet_end(timezone.now())
    params = {"number": "622921202603020001", "center": "临夏县政务服务中心"}
    try:
        start = time.perf_counter()
        for i in range(messages):
            with transaction.atomic():
                Message.objects.create(
                    key=f"plain:{i}",
                    channel="sms",
                    template="case_ready",
                    params=params,
                    body="您的办件622921202603020001已办结，请到临夏县政务服务中心统一出件窗口领取。",
                    phone=f"139{i:08d}",
                    next_at=now,
                    state="sent",
                )
        inserted = time.perf_counter() - start
        for i in range(messages):
            with transaction.atomic():
                enqueue(
                    key=f"m:{i}", template="case_ready", params=params, phone=f"138{i:08d}", now=now
                )
        start = time.perf_counter()
        done = worker.run_once(worker="bench", now=now, batch=100)
        delivered = time.perf_counter() - start
        assert done.counts == {"sent": messages}, done.counts
        assert Attempt.objects.count() == messages
        rate, base = messages / delivered, messages / inserted
        figure(
            f"outbox: messages delivered per second ({messages}, one worker)",
            rate / base,
            "plain inserts per second",
            goal=0.5,
            higher_is_better=True,
            subject=rate,
            baseline=base,
            unit="per s",
            note=f"{rate:.0f} delivered/s, {base:.0f} inserts/s",
        )
    finally:
        server.terminate()
        drop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=sized(2000, 100))
    bench_outbox(parser.parse_args().messages)
