"""The periodic jobs, in one registry with their schedules, run by ``onewindow jobs``.

Every app server may run ``onewindow jobs``: each job has one ``core.JobState`` row, and a
runner claims a due job with one conditional UPDATE (due, and not held by a live run);
the database answers exactly one claimant, so two servers never run one job at once and
a turn is run once. A claim older than the job's ``max_minutes`` is taken over (its
runner died). Every run is recorded in ``core.JobRun`` (the admin lists them).

The jobs are the existing commands; ``ONEWINDOW_JOBS`` (a dict by job name) changes a
schedule, adds a job (``{"command": ["name", "arg"], "every": 600}`` or ``"at": "HH:MM"``,
with ``"day": D`` for monthly) or turns one off (``None``).
"""

from __future__ import annotations

import io
import os
import socket
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from onewindow.core.models import JobRun, JobState


@dataclass(frozen=True)
class Schedule:
    """Every ``every``; or daily at ``at``; or monthly on ``day`` at ``at`` (local time)."""

    every: timedelta | None = None
    at: time | None = None
    day: int | None = None

    def next_after(self, moment: datetime) -> datetime:
        if self.every is not None:
            return moment + self.every
        local = timezone.localtime(moment)
        tz = local.tzinfo
        if self.day is None:
            candidate = datetime.combine(local.date(), self.at, tzinfo=tz)
            if candidate <= local:
                candidate = datetime.combine(local.date() + timedelta(days=1), self.at, tzinfo=tz)
            return candidate
        year, month = local.year, local.month
        for _ in range(3):
            candidate = datetime.combine(date(year, month, self.day), self.at, tzinfo=tz)
            if candidate > local:
                return candidate
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        raise AssertionError("unreachable")

    def first_due(self, now: datetime) -> datetime:
        """A new job that runs every few minutes starts now; a daily or monthly one waits
        for its time."""
        return now if self.every is not None else self.next_after(now)

    def label(self) -> str:
        if self.every is not None:
            minutes = int(self.every.total_seconds() // 60)
            return f"每 {minutes} 分钟" if minutes else f"每 {int(self.every.total_seconds())} 秒"
        if self.day is None:
            return f"每天 {self.at:%H:%M}"
        return f"每月 {self.day} 日 {self.at:%H:%M}"


def _previous_month(due: datetime) -> str:
    first = timezone.localtime(due).date().replace(day=1)
    return f"{first - timedelta(days=1):%Y-%m}"


@dataclass(frozen=True)
class Job:
    name: str
    title: str
    schedule: Schedule
    command: tuple[str, ...] = ()
    # The arguments that depend on the turn (the day a late no-show run marks).
    args_for: Callable[[datetime], list[str]] | None = None
    # A callable run instead of a command (``func(due=…) -> str``), for jobs defined in code.
    func: Callable[..., str] | None = None
    max_minutes: int = 60

    def run(self, due: datetime) -> str:
        if self.func is not None:
            return str(self.func(due=due) or "")
        out = io.StringIO()
        extra = self.args_for(due) if self.args_for else []
        call_command(*self.command, *extra, stdout=out, stderr=out)
        return out.getvalue()


DEFAULT_JOBS: tuple[Job, ...] = (
    Job(
        "sweep",
        "定时检查（办件时限、默认好评、投诉超期等）",
        Schedule(every=timedelta(minutes=5)),
        ("sweep",),
    ),
    Job(
        "send-messages",
        "发送待发消息（短信、微信、站内）",
        Schedule(every=timedelta(minutes=1)),
        ("send_messages", "--once"),
    ),
    Job(
        "exchange-push-missing",
        "省级数据交换补推（默认好评等未推送的记录）与对账",
        Schedule(every=timedelta(hours=1)),
        ("exchange_report", "--push-missing"),
    ),
    Job(
        "mark-no-shows",
        "预约爽约登记",
        Schedule(at=time(19, 30)),
        ("mark_no_shows",),
        args_for=lambda due: [timezone.localtime(due).date().isoformat()],
    ),
    Job(
        "close-window-sessions",
        "前一日未签退的窗口签到按营业结束时间签退",
        Schedule(at=time(0, 20)),
        ("close_window_sessions",),
    ),
    # Opt-in monthly partitions (docs/scale.md): the coming months' partitions made ahead
    # of their rows; on an unpartitioned install or SQLite it does nothing.
    Job(
        "partitions",
        "建立下月数据分区（已分区时）",
        Schedule(at=time(1, 0)),
        ("partition", "--ensure"),
    ),
    Job("clearsessions", "清理过期登录会话", Schedule(at=time(3, 0)), ("clearsessions",)),
    Job("backup", "数据库与上传文件备份", Schedule(at=time(2, 30)), ("backup",), max_minutes=240),
    Job(
        "rebuild-rollups",
        "重算上月月度汇总",
        Schedule(at=time(1, 30), day=1),
        ("rebuild_rollups",),
        args_for=lambda due: ["--month", _previous_month(due)],
        max_minutes=240,
    ),
    Job(
        "monthly-report",
        "上月月报（PDF 与 Excel）",
        Schedule(at=time(6, 0), day=1),
        ("monthly_report",),
        args_for=lambda due: ["--month", _previous_month(due)],
        max_minutes=240,
    ),
)


def _from_setting(name: str, spec: dict) -> Job:
    at = time.fromisoformat(spec["at"]) if spec.get("at") else None
    every = timedelta(seconds=int(spec["every"])) if spec.get("every") else None
    if (at is None) == (every is None):
        raise ValueError(f"ONEWINDOW_JOBS[{name!r}]: give either 'every' or 'at'")
    return Job(
        name=name,
        title=spec.get("title", name),
        schedule=Schedule(every=every, at=at, day=spec.get("day")),
        command=tuple(spec["command"]),
        max_minutes=int(spec.get("max_minutes", 60)),
    )


def registry() -> list[Job]:
    """The jobs of this deployment: the defaults changed by ``ONEWINDOW_JOBS``."""
    jobs = {job.name: job for job in DEFAULT_JOBS}
    for name, spec in getattr(settings, "ONEWINDOW_JOBS", {}).items():
        if spec is None:
            jobs.pop(name, None)
        else:
            jobs[name] = _from_setting(name, spec)
    return list(jobs.values())


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident() % 100000}"


@dataclass
class Outcome:
    job: str
    status: str
    output: str = ""
    run_id: int | None = None

    def summary(self) -> str:
        label = JobRun.Status(self.status).label
        first = self.output.strip().splitlines()[:1]
        return f"{self.job}：{label}" + (f"（{first[0]}）" if first else "")


def claim(job: Job, *, now: datetime, holder: str) -> datetime | None:
    """Claim ``job`` if it is due and nobody runs it; the turn's due time, else None."""
    state, _ = JobState.objects.get_or_create(
        name=job.name, defaults={"next_due": job.schedule.first_due(now)}
    )
    stale = now - timedelta(minutes=job.max_minutes)
    claimed = (
        JobState.objects.filter(name=job.name, next_due__lte=now)
        .filter(Q(running_since__isnull=True) | Q(running_since__lt=stale))
        .update(running_since=now, holder=holder)
    )
    if not claimed:
        return None
    # A run still marked running belongs to a runner that died (the claim was free or stale).
    JobRun.objects.filter(name=job.name, status=JobRun.Status.RUNNING).update(
        status=JobRun.Status.FAILED,
        finished_at=now,
        output=f"运行中断（进程退出或服务器重启），由 {holder} 接手。",
    )
    return JobState.objects.filter(name=job.name).values_list("next_due", flat=True).get()


def run_job(job: Job, *, due: datetime, holder: str) -> Outcome:
    """Run a claimed job, record the run and set its next turn."""
    started = timezone.now()
    run = JobRun.objects.create(
        name=job.name, holder=holder, due=due, started_at=started, status=JobRun.Status.RUNNING
    )
    try:
        output, status = job.run(due), JobRun.Status.OK
    except Exception:  # a failed job is recorded and the runner goes on with the next
        output, status = traceback.format_exc(limit=8), JobRun.Status.FAILED
    finished = timezone.now()
    JobRun.objects.filter(pk=run.pk).update(
        finished_at=finished, status=status, output=output[-20000:]
    )
    JobState.objects.filter(name=job.name, holder=holder).update(
        next_due=job.schedule.next_after(max(finished, due)), running_since=None, holder=""
    )
    return Outcome(job=job.name, status=status, output=output, run_id=run.pk)


def run_due(
    *,
    now: datetime | None = None,
    jobs: list[Job] | None = None,
    only: list[str] | None = None,
    holder: str | None = None,
) -> list[Outcome]:
    """Run every job due at ``now`` that this runner could claim; what was run."""
    holder = holder or holder_name()
    done = []
    for job in jobs if jobs is not None else registry():
        if only and job.name not in only:
            continue
        due = claim(job, now=now or timezone.now(), holder=holder)
        if due is not None:
            done.append(run_job(job, due=due, holder=holder))
    return done


@dataclass
class Listed:
    job: Job
    state: JobState | None
    last: JobRun | None = field(default=None)


def overview(jobs: list[Job] | None = None) -> list[Listed]:
    jobs = jobs if jobs is not None else registry()
    states = {s.name: s for s in JobState.objects.filter(name__in=[j.name for j in jobs])}
    listed = []
    for job in jobs:
        last = JobRun.objects.filter(name=job.name).order_by("-started_at").first()
        listed.append(Listed(job=job, state=states.get(job.name), last=last))
    return listed
