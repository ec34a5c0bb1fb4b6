"""待办: what waits for the reader now, at the top of the workspace.

Each line is the count of one list the reader works from (the department's case queue,
pre-review, pledge checks, bad-review rectifications, complaints and online questions
to answer, the hall's queue at the reader's window, parked messages), with how many of
them are near or past their limit, and a link to that list already filtered. A line
shows only when its list holds something and the reader holds the list's role; every
count is read within the reader's scope, from the same selectors as the lists
themselves, so the line and the list it opens always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from onewindow.cases.models import PledgeCheck
from onewindow.cases.selectors import lists as case_lists
from onewindow.cases.selectors import online, pledges, queues
from onewindow.complaints import selectors as complaint_selectors
from onewindow.complaints.models import Inquiry
from onewindow.core.roles import may
from onewindow.evaluation.selectors_pages import rectification_queue
from onewindow.hall.models import WindowSession
from onewindow.hall.selectors.queue import waiting_counts, window_label
from onewindow.messaging import selectors as message_selectors


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    count: int
    url: str
    unit: str = "件"
    late: int = 0  # past the limit
    near: int = 0  # within the warning line, not yet past
    note: str = ""
    stuck: bool = False  # nothing to wait for: it needs someone now

    @property
    def tone(self) -> str:
        return "bad" if self.late or self.stuck else ("warn" if self.near else "")


def _case_queue(user, scope, profile, today) -> Line | None:
    if profile is None or not profile.department_id or not may(user, "case.queue"):
        return None
    department_id = profile.department_id
    counts = queues.queue_counts(scope, department_id, user=user)
    who = "mine" if counts["mine"] else "unassigned"
    if not counts[who]:
        return None
    cases = queues.department_queue(scope, department_id, user=user, who=who)
    clocks = queues.running_counts(cases.order_by(), today)
    late = clocks["overdue"] or 0
    label = "我的待办办件" if who == "mine" else "本部门未分派办件"
    note = f"另有未分派 {counts['unassigned']} 件" if who == "mine" and counts["unassigned"] else ""
    return Line(
        "case_queue",
        label,
        counts[who],
        f"{reverse('cases:queue')}?who={who}",
        late=late,
        near=clocks["warned"] or 0,
        note=note,
    )


def _prereview(user, scope, profile) -> Line | None:
    if not may(user, "workspace.prereview"):
        return None
    center_id = getattr(profile, "center_id", None)
    waiting = online.prereview_queue(scope=scope, center_id=center_id).order_by()
    count = waiting.count()
    if not count:
        return None
    late = waiting.filter(prereview_due__lt=timezone.now()).count()
    return Line("prereview", "网上申请待预审", count, reverse("cases:prereview_queue"), late=late)


def _pledges(user, scope, today) -> Line | None:
    if not pledges.may_see_queue(user):
        return None
    pending = (
        pledges.pledge_checks_for(scope=scope).filter(state=PledgeCheck.State.PENDING).order_by()
    )
    count = pending.count()
    if not count:
        return None
    late = case_lists.overdue_count(pending, today)
    return Line("pledges", "告知承诺待核查", count, reverse("cases:pledge_queue"), late=late)


def _rectifications(user) -> Line | None:
    rects, _ = rectification_queue(user=user, show="open")
    count = rects.order_by().count()
    if not count:
        return None
    late = rects.order_by().filter(overdue=True).count()
    url = reverse("evaluation:rectifications") + ("?show=overdue" if late else "")
    return Line("rectifications", "差评整改未办结", count, url, late=late)


def _complaints(user, scope, profile) -> Line | None:
    if profile is None or not profile.department_id or not may(user, "complaint.department"):
        return None
    waiting = complaint_selectors.department_queue(
        scope=scope, department_id=profile.department_id
    ).order_by()
    count = waiting.count()
    if not count:
        return None
    late = waiting.filter(overdue=True).count()
    return Line(
        "complaints", "投诉待本部门答复", count, reverse("complaints:staff_list"), late=late
    )


def _dispatch(user, scope, profile) -> Line | None:
    if profile is None or not profile.center_id or not may(user, "complaint.center"):
        return None
    waiting = complaint_selectors.dispatch_queue(scope=scope, center_ids=[profile.center_id])
    count = waiting.order_by().count()
    if not count:
        return None
    return Line("dispatch", "投诉待分派", count, reverse("complaints:staff_list"))


def _inquiries(user, scope) -> Line | None:
    if not may(user, "workspace.inquiries"):
        return None
    open_ = complaint_selectors.inquiries_for(scope=scope).filter(
        channel=Inquiry.Channel.WEB, state=Inquiry.State.OPEN
    )
    count = open_.order_by().count()
    if not count:
        return None
    late = open_.order_by().filter(overdue=True).count()
    return Line(
        "inquiries",
        "网上咨询待答复",
        count,
        reverse("complaints:inquiries") + "?online=1",
        late=late,
    )


def _hall(user, profile, today) -> Line | None:
    if profile is None or not profile.center_id:
        return None
    session = (
        WindowSession.objects.filter(clerk=user, signed_out_at__isnull=True)
        .select_related("window")
        .first()
    )
    if session is None:
        return None
    serves = set(session.window.categories.values_list("pk", flat=True))
    waiting = waiting_counts(session.window.center, today)
    count = sum(n for category, n in waiting.items() if category in serves)
    if not count:
        return None
    return Line(
        "hall",
        f"{window_label(session.window.number)}等候的号",
        count,
        reverse("hall:console"),
        unit="人",
    )


def _parked(user, scope) -> Line | None:
    if not may(user, "message.manage"):
        return None
    count = message_selectors.state_counts(scope=scope).get("parked", 0)
    if not count:
        return None
    return Line(
        "parked", "发送失败已暂停的消息", count, reverse("messaging:parked"), unit="条", stuck=True
    )


def worklist(user, scope, today=None) -> list[Line]:
    """The reader's lines, those with something past its limit first."""
    today = today or timezone.localdate()
    profile = getattr(user, "staff_profile", None)
    lines = [
        _hall(user, profile, today),
        _case_queue(user, scope, profile, today),
        _prereview(user, scope, profile),
        _pledges(user, scope, today),
        _rectifications(user),
        _complaints(user, scope, profile),
        _dispatch(user, scope, profile),
        _inquiries(user, scope),
        _parked(user, scope),
    ]
    found = [line for line in lines if line is not None]
    return sorted(found, key=lambda line: (line.tone != "bad", line.tone != "warn"))
