"""The portal home page on a slow network (R-CIT-2, issue "light enough for a village
network"): what the first load transfers and when the first contentful paint comes, in
Debian's Chromium under a throttled profile set through the DevTools protocol
(1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip, cache off), served by gunicorn with
DEBUG off (WhiteNoise's compressed static files, as in production).

Figures are ratios against the budget (home ≤ 60 KB transferred, first contentful paint
≤ 1.5 s), with the absolute values beside them; the same page in elder mode is measured
too. The server runs on a SQLite database of its own, in a fresh temporary data
directory where the demo is loaded (minutes), or in ``BENCH_PORTAL_DATA_DIR`` when set
(migrated, and the demo loaded only when it is empty), so a second run is quick:

    python bench/portal_weight.py
    BENCH_PORTAL_DATA_DIR=/tmp/ow-portal-bench python bench/portal_weight.py
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import figure  # noqa: E402

SRC = Path(__file__).resolve().parents[1] / "src"
CHROMIUM = "/usr/bin/chromium"
LOOPBACK = "127.0.0.1"
BUDGET_BYTES = 60 * 1024
BUDGET_FCP = 1.5
# 'Slow 3G'-like, as the village network: bytes per second and milliseconds.
NETWORK = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
RUNS = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def _onewindow(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "onewindow", *args], env=env, check=True, timeout=3600)


def _serve(env: dict, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "gunicorn", "onewindow.wsgi:application"]
    cmd += ["--bind", f"{LOOPBACK}:{port}", "--workers", "1", "--log-level", "warning"]
    return subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def _wait(base: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            if httpx.get(base + "/", timeout=5, trust_env=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer in time")


def _load(browser, url: str, *, elder: bool) -> tuple[int, float, list[tuple[str, int]]]:
    """One cold load: bytes on the wire (headers and bodies) and the first contentful paint."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 812})
    if elder:
        context.add_cookies([{"name": "ow_elder", "value": "1", "url": url}])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])),
    )
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)
    fcp = page.evaluate(
        "() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || NaN"
    )
    context.close()
    parts = sorted(((urls.get(k, k), v) for k, v in sizes.items()), key=lambda x: -x[1])
    return sum(sizes.values()), fcp / 1000, parts


def main() -> None:
    from playwright.sync_api import sync_playwright

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "onewindow.settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": LOOPBACK,
        "LOG_LEVEL": "ERROR",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
        "ONEWINDOW_DATA_DIR": os.environ.get("BENCH_PORTAL_DATA_DIR")
        or tempfile.mkdtemp(prefix="ow-portal-weight-"),
    }
    for name in ("DATABASE_URL", "REDIS_URL", "STATIC_ROOT"):
        env.pop(name, None)
    _onewindow(env, "migrate", "-v0")
    _onewindow(env, "load_demo", "--if-empty")
    _onewindow(env, "collectstatic", "--noinput", "-v0")
    port = _free_port()
    base = f"http://{LOOPBACK}:{port}"
    server = _serve(env, port)
    try:
        _wait(base, server)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            for elder in (False, True):
                runs = [_load(browser, base + "/", elder=elder) for _ in range(RUNS)]
                size = min(r[0] for r in runs)
                fcp = sorted(r[1] for r in runs)[RUNS // 2]
                mode = "elder mode" if elder else "normal"
                print(f"portal home ({mode}), 375 px, 1.6 Mbit/s, 150 ms RTT:")
                for name, n in runs[0][2]:
                    print(f"    {n / 1024:7.1f} KB  {name.replace(base, '')}")
                print(f"    {size / 1024:7.1f} KB transferred, first contentful paint {fcp:.2f} s")
                figure(
                    f"portal home {mode}: bytes transferred",
                    size / BUDGET_BYTES,
                    "budget 60 KB",
                    goal=1.0,
                    subject=size,
                    baseline=BUDGET_BYTES,
                    unit="B",
                )
                figure(
                    f"portal home {mode}: first contentful paint",
                    fcp / BUDGET_FCP,
                    "budget 1.5 s",
                    goal=1.0,
                    subject=fcp,
                    baseline=BUDGET_FCP,
                )
            browser.close()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
