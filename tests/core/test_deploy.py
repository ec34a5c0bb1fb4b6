"""The deployment set-up (deploy/), started from the systemd units' own commands with
the production settings: two app servers (gunicorn with deploy/gunicorn.conf.py) and one
Redis (db 14) share a signed-in session; the jobs unit runs the sweep and stops cleanly.
The session test is skipped when Redis does not answer."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import redis
from cryptography.fernet import Fernet
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection

from onewindow.core.models import JobRun

PROJECT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("ONEWINDOW_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
PASSWORD = "Ow-deploy-2026!"


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except (redis.RedisError, OSError):
        pytest.skip(f"Redis 未应答（{REDIS_URL}）")
    return client


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unit_command(unit: str) -> list[str]:
    """The unit's ExecStart with the install folder (/opt/onewindow) made this checkout."""
    text = (PROJECT / "deploy" / "systemd" / unit).read_text(encoding="utf-8")
    line = re.search(r"^ExecStart=(.+)$", text, re.M).group(1)
    line = line.replace("/opt/onewindow/.venv/bin/", str(Path(sys.executable).parent) + "/")
    return shlex.split(line.replace("/opt/onewindow/", str(PROJECT) + "/"))


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _production_env(folder: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "onewindow.settings_production",
        "ONEWINDOW_DATA_DIR": str(folder),
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": "deploy-test-" + "k" * 40,
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
    }


@pytest.fixture
def two_app_servers(tmp_path):
    store = _redis_or_skip()
    store.flushdb()
    env = {
        **_production_env(tmp_path),
        "REDIS_URL": REDIS_URL,
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "1",
    }
    servers = []
    for _ in range(2):
        port = _free_port()
        process = subprocess.Popen(
            _unit_command("onewindow-web.service"),
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            cwd=PROJECT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        servers.append((f"http://127.0.0.1:{port}", process))
    try:
        for base, process in servers:
            deadline = time.monotonic() + 90
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"app server did not start: {process.stderr.read().decode()[-2000:]}"
                    )
                time.sleep(0.5)
        yield [base for base, _ in servers], store
    finally:
        for _, process in servers:
            os.killpg(process.pid, signal.SIGTERM)
        for _, process in servers:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        store.flushdb()


@pytest.mark.django_db(transaction=True)
def test_r_sec_2_two_app_servers_share_a_session_through_redis(settings, two_app_servers):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    get_user_model().objects.create_superuser("deploy", password=PASSWORD, full_name="部署检查")
    (first, second), store = two_app_servers

    with httpx.Client(base_url=first, timeout=20) as one:
        form = one.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        signed_in = one.post(
            "/accounts/login/",
            data={"username": "deploy", "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Cookie": f"csrftoken={form.cookies['csrftoken']}"},
        )
    assert signed_in.status_code == 302, signed_in.text[:500]
    session_key = signed_in.cookies["sessionid"]
    assert any(session_key in key.decode() for key in store.keys("*"))

    # The session is written through to the database too (a Redis restart signs nobody out).
    assert Session.objects.filter(session_key=session_key).exists()
    with httpx.Client(base_url=second, timeout=20) as two:
        page = two.get("/workspace/", headers={"Cookie": f"sessionid={session_key}"})
    assert page.status_code == 200, page.text[:1500]
    assert '<span class="who" title="当前登录">部署检查</span>' in page.text

    with httpx.Client(base_url=second, timeout=20) as stranger:
        assert stranger.get("/workspace/").status_code == 302  # no cookie: the sign-in page


@pytest.mark.django_db(transaction=True)
def test_r_sec_2_the_jobs_unit_runs_the_sweep_and_stops_cleanly(tmp_path):
    """The jobs unit's own command, with the production settings: it runs the due sweep
    (recorded in the database) and stops on SIGTERM as systemd stops it."""
    runner = subprocess.Popen(
        _unit_command("onewindow-jobs.service") + ["--only", "sweep", "--tick", "1"],
        env=_production_env(tmp_path),
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not JobRun.objects.filter(name="sweep").exclude(status="running").exists():
            assert runner.poll() is None and time.monotonic() < deadline, runner.stdout.read()
            time.sleep(0.5)
    finally:
        os.killpg(runner.pid, signal.SIGTERM)
        output = runner.communicate(timeout=30)[0].decode()
    assert runner.returncode == 0
    assert JobRun.objects.get(name="sweep").status == "ok"
    assert "sweep：成功" in output and output.rstrip().endswith("定时任务运行器已停止。")
