"""The periodic jobs runner (``onewindow jobs``, core/jobs.py): schedules, a turn claimed
once by several runners at once, failures recorded, every run visible to the admin."""

from __future__ import annotations

import io
import threading
import time
from datetime import datetime, timedelta
from datetime import time as daytime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection

from onewindow.core import jobs
from onewindow.core.models import JobRun, JobState

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


def test_schedules_give_the_next_turn_in_local_time():
    every = jobs.Schedule(every=timedelta(minutes=5))
    daily = jobs.Schedule(at=daytime(19, 30))
    monthly = jobs.Schedule(at=daytime(6, 0), day=1)
    assert every.next_after(NOW) == NOW + timedelta(minutes=5)
    assert every.first_due(NOW) == NOW
    assert daily.next_after(NOW) == datetime(2026, 11, 20, 19, 30, tzinfo=SHANGHAI)
    assert daily.next_after(datetime(2026, 11, 20, 19, 30, tzinfo=SHANGHAI)) == datetime(
        2026, 11, 21, 19, 30, tzinfo=SHANGHAI
    )
    assert monthly.next_after(NOW) == datetime(2026, 12, 1, 6, 0, tzinfo=SHANGHAI)
    assert monthly.next_after(datetime(2026, 12, 20, tzinfo=SHANGHAI)) == datetime(
        2027, 1, 1, 6, 0, tzinfo=SHANGHAI
    )
    assert [every.label(), daily.label(), monthly.label()] == [
        "每 5 分钟",
        "每天 19:30",
        "每月 1 日 06:00",
    ]


def test_the_registry_holds_the_periodic_commands_and_follows_the_setting(settings):
    names = [job.name for job in jobs.registry()]
    assert names == [
        "sweep",
        "send-messages",
        "exchange-push-missing",
        "mark-no-shows",
        "close-window-sessions",
        "partitions",
        "clearsessions",
        "backup",
        "rebuild-rollups",
        "monthly-report",
    ]
    settings.ONEWINDOW_JOBS = {
        "backup": None,
        "sweep": {"command": ["sweep", "--only", "cases"], "every": 120},
    }
    changed = {job.name: job for job in jobs.registry()}
    assert "backup" not in changed
    assert changed["sweep"].command == ("sweep", "--only", "cases")
    assert changed["sweep"].schedule.every == timedelta(minutes=2)


@pytest.mark.django_db(transaction=True)
def test_r_sec_2_two_job_runners_at_once_run_a_turn_once():
    ran: list[str] = []
    lock = threading.Lock()

    def slow(*, due):
        with lock:
            ran.append(threading.current_thread().name)
        time.sleep(0.5)  # long enough for the other runner to try while this one runs
        return "做完了"

    job = jobs.Job("drill-job", "测试任务", jobs.Schedule(every=timedelta(minutes=5)), func=slow)
    JobState.objects.create(name=job.name, next_due=NOW)
    start = threading.Barrier(2)
    outcomes: dict[str, list] = {}

    def runner(name):
        try:
            start.wait()
            outcomes[name] = jobs.run_due(now=NOW, jobs=[job], holder=name)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=runner, args=(f"server-{i}",), name=f"server-{i}") for i in (1, 2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(ran) == 1
    assert sorted(len(done) for done in outcomes.values()) == [0, 1]
    run = JobRun.objects.get()
    assert (run.name, run.status, run.holder, run.output) == ("drill-job", "ok", ran[0], "做完了")
    state = JobState.objects.get(name=job.name)
    assert state.running_since is None and state.holder == ""
    assert state.next_due >= NOW + timedelta(minutes=5)

    # The same turn is not run again by a runner that comes later; the next one is.
    assert jobs.run_due(now=NOW, jobs=[job], holder="server-3") == []
    later = jobs.run_due(now=state.next_due, jobs=[job], holder="server-3")
    assert [o.status for o in later] == ["ok"] and len(ran) == 2


@pytest.mark.django_db
def test_a_failed_job_is_recorded_and_the_next_one_still_runs():
    def broken(*, due):
        raise RuntimeError("磁盘已满")

    every = jobs.Schedule(every=timedelta(minutes=5))
    done = jobs.run_due(
        now=NOW,
        jobs=[
            jobs.Job("broken", "坏任务", every, func=broken),
            jobs.Job("fine", "好任务", every, func=lambda *, due: f"计划于 {due:%H:%M}"),
        ],
    )
    assert [(o.job, o.status) for o in done] == [("broken", "failed"), ("fine", "ok")]
    failed = JobRun.objects.get(name="broken")
    assert "RuntimeError: 磁盘已满" in failed.output and failed.finished_at is not None
    assert JobRun.objects.get(name="fine").output == "计划于 02:00"  # 10:00 Shanghai is 02:00 UTC
    assert JobState.objects.get(name="broken").running_since is None


@pytest.mark.django_db
def test_a_claim_left_by_a_runner_that_died_is_taken_over_after_the_jobs_limit():
    job = jobs.Job(
        "stuck", "任务", jobs.Schedule(every=timedelta(minutes=5)), func=lambda *, due: ""
    )
    JobState.objects.create(
        name="stuck", next_due=NOW, running_since=NOW - timedelta(minutes=30), holder="dead:1"
    )
    JobRun.objects.create(
        name="stuck",
        holder="dead:1",
        due=NOW,
        started_at=NOW - timedelta(minutes=30),
        status="running",
    )
    assert jobs.run_due(now=NOW, jobs=[job]) == []  # 30 minutes: it may still be running
    JobState.objects.filter(name="stuck").update(running_since=NOW - timedelta(minutes=61))
    assert [o.status for o in jobs.run_due(now=NOW, jobs=[job], holder="alive:2")] == ["ok"]
    died = JobRun.objects.get(holder="dead:1")
    assert (died.status, died.finished_at) == ("failed", NOW)
    assert died.output == "运行中断（进程退出或服务器重启），由 alive:2 接手。"
    assert JobRun.objects.get(holder="alive:2").status == "ok"


@pytest.mark.django_db
def test_the_runner_runs_the_real_commands_with_the_turns_arguments(root, client):
    out = io.StringIO()
    call_command("jobs", "--once", "--only", "sweep", stdout=out)
    assert "sweep：成功" in out.getvalue()
    sweep = JobRun.objects.get(name="sweep")
    assert sweep.status == "ok" and sweep.output.strip()

    no_shows = {job.name: job for job in jobs.registry()}["mark-no-shows"]
    outcome = jobs.run_job(
        no_shows, due=datetime(2026, 11, 19, 19, 30, tzinfo=SHANGHAI), holder="here"
    )
    assert outcome.status == "ok"
    assert outcome.output.startswith("2026-11-19：记为爽约 0 个")

    listed = io.StringIO()
    call_command("jobs", "--list", stdout=listed)
    assert "mark-no-shows    每天 19:30" in listed.getvalue()

    client.force_login(root)
    page = client.get("/admin/core/jobrun/")
    assert page.status_code == 200
    shown = page.content.decode()
    assert "mark-no-shows" in shown and "成功" in shown
