"""The monthly rollup of cases (``core/rollups.py``); kept by ``cases/rollups.py``."""

from __future__ import annotations

from django.db import models

from onewindow.org.rollups import MonthlyRollup, counter


class CaseMonth(MonthlyRollup):
    """Cases per subject and month: received (by the month received, drafts left out, per channel), decided (by the month decided), decided the day they were accepted, decided with a due date and on time."""

    received = counter("收件")
    received_window = counter("窗口收件")
    received_web = counter("网上收件")
    received_mobile = counter("移动端收件")
    received_terminal = counter("自助终端收件")
    received_agent = counter("帮办代办收件")
    decided = counter("办结")
    on_the_spot = counter("即办")
    dated = counter("有承诺期限的办结")
    on_time = counter("按时办结")

    class Meta:
        verbose_name = "办件月度汇总"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "subject_key", "month", "center", "dept_key"],
                name="cases_casemonth_key",
            )
        ]
        indexes = [models.Index(fields=["subject", "month"], name="cases_casemonth_sm")]


class CaseDecisionMonth(MonthlyRollup):
    """Decisions per matter, center, department, month and the person who decided
    (``clerk_key``, 0 for none), and those taken less than five minutes after the review
    started without a written opinion: what the 收发室 and 体外循环 signs read."""

    clerk_key = models.IntegerField("决定人", default=0)
    decided = counter("作出决定")
    quick = counter("开始审查后5分钟内决定且无意见")

    ROLLUP_KEY = ("subject", "subject_key", "month", "center_id", "dept_key", "clerk_key")

    class Meta:
        verbose_name = "办件决定月度汇总"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "subject_key", "month", "center", "dept_key", "clerk_key"],
                name="cases_casedecisionmonth_key",
            )
        ]
        indexes = [models.Index(fields=["month", "dept_key"], name="cases_casedecisionmonth_md")]
