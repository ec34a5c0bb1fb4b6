"""Staff pages for complaints and consultations: the desk entry (hall desk, suggestion
box, phone), the dispatcher's queue, the department's queue (without the complainant's
identity), a complaint's page with the steps its state allows, the 12345 order import
and answer export, hot topics, and the consultation log with its first owner."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from onewindow.catalog.models import Listing
from onewindow.complaints import hotline, selectors, services, states
from onewindow.complaints.models import Complaint, Inquiry
from onewindow.complaints.services import inquiries
from onewindow.core import xlsx
from onewindow.core.errors import DomainError, InvalidInput, NotFound
from onewindow.core.roles import Role, roles_of
from onewindow.org.models import Center, Department
from onewindow.planning import charts as stats_charts

VIEWS = [
    ("dispatch", "待分办"),
    ("department", "本部门待答复"),
    ("revisit", "待回访/办结"),
    ("overdue", "逾期未答复"),
    ("all", "全部"),
]


def _or_404(fn, **kwargs):
    try:
        return fn(**kwargs)
    except NotFound:
        raise Http404 from None


def _profile(user):
    return getattr(user, "staff_profile", None)


def _home_center(user) -> Center | None:
    profile = _profile(user)
    if profile is None:
        return None
    if profile.center_id:
        return profile.center
    if profile.department_id and profile.department.center_id:
        return profile.department.center
    return None


def _is_center_staff(user) -> bool:
    return user.is_superuser or bool(roles_of(user) & services.CENTER_ROLES)


@login_required
def complaint_list(request):
    scope = request.scope
    profile = _profile(request.user)
    department_id = profile.department_id if profile else None
    default = "department" if department_id and not _is_center_staff(request.user) else "dispatch"
    view = request.GET.get("view") or default
    if view not in dict(VIEWS):
        view = default
    if view == "dispatch":
        qs = selectors.dispatch_queue(scope=scope)
    elif view == "department":
        qs = (
            selectors.department_queue(scope=scope, department_id=department_id)
            if department_id
            else selectors.complaints_for(scope=scope).none()
        )
    elif view == "revisit":
        qs = selectors.revisit_queue(scope=scope)
    elif view == "overdue":
        qs = selectors.complaints_for(scope=scope).filter(overdue=True, state__in=states.OPEN)
    else:
        qs = selectors.complaints_for(scope=scope)
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:50]
    if q:
        qs = qs.filter(number__startswith=q) | qs.filter(subject__icontains=q)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "complaints/staff/list.html",
        {
            "page": page,
            "views": VIEWS,
            "view": view,
            "q": q,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "can_register": _is_center_staff(request.user),
            "hide_identity": not _is_center_staff(request.user),
        },
    )


@login_required
def complaint_new(request):
    """The desk entry: the hall's complaint desk, the suggestion box, the phone."""
    user = request.user
    if not _is_center_staff(user):
        raise Http404
    center = _home_center(user)
    centers = Center.objects.visible_to(request.scope).filter(is_active=True).order_by("code")
    if center is not None:
        centers = centers.filter(pk=center.pk)
    context = {
        "post": request.POST,
        "errors": {},
        "centers": centers[:200],
        "sources": [
            (v, label)
            for v, label in Complaint.Source.choices
            if v in ("desk", "box", "phone", "hotline")
        ],
        "kinds": Complaint.Kind.choices,
    }
    if request.method == "POST":
        post = request.POST
        chosen = centers.filter(pk=post.get("center") if post.get("center", "").isdigit() else None)
        try:
            target = chosen.first()
            if target is None:
                raise InvalidInput(
                    "complaint.center_required", "请选择中心。", {"center": "请选择中心。"}
                )
            complaint = services.complaint_file(
                actor=user,
                center=target,
                source=post.get("source", ""),
                kind=post.get("kind", "complaint"),
                subject=post.get("subject", ""),
                content=post.get("content", ""),
                anonymous=bool(post.get("anonymous")),
                name=post.get("name", ""),
                phone=post.get("phone", ""),
                staff_concerned=post.get("staff_concerned", ""),
                hotline_order=post.get("hotline_order", ""),
            )
        except DomainError as exc:
            context["error"], context["errors"] = exc.message, exc.fields
        else:
            messages.success(request, f"已登记，投诉编号 {complaint.number}。")
            return redirect("complaints:staff_detail", complaint_id=complaint.pk)
    return render(request, "complaints/staff/new.html", context)


def _departments_for(complaint: Complaint):
    return (
        (
            Department.objects.filter(center=complaint.center)
            | Department.objects.filter(
                pk__in=Listing.objects.filter(center=complaint.center).values("department_id")
            )
        )
        .distinct()
        .order_by("name")
    )


@login_required
def complaint_detail(request, complaint_id: int):
    complaint = _or_404(selectors.complaint_get_for, scope=request.scope, complaint_id=complaint_id)
    user = request.user
    if request.method == "POST":
        try:
            label = _act(request, complaint, request.POST.get("action", ""))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已{label}。")
            return redirect("complaints:staff_detail", complaint_id=complaint.pk)
        complaint = selectors.complaint_get_for(scope=request.scope, complaint_id=complaint_id)
    actions = {a for a, spec in states.ACTIONS.items() if complaint.state in spec.sources}
    center_staff = services.is_center_staff(user, complaint.center_id)
    department_staff = user.is_superuser or services.is_department_staff(user, complaint)
    return render(
        request,
        "complaints/staff/detail.html",
        {
            "c": complaint,
            "show_identity": services.sees_identity(user, complaint),
            "events": [
                {
                    "at": e.at,
                    "actor": e.actor_label,
                    "label": states.label_of(e.action),
                    "state": states.LABELS.get(e.to_state, e.to_state),
                    "note": e.note,
                }
                for e in complaint.events.order_by("at", "id")
            ],
            "center_actions": actions & {"dispatch", "revisit", "close"} if center_staff else set(),
            "department_actions": actions & {"return", "answer"} if department_staff else set(),
            "can_extend": department_staff
            and complaint.state == states.DISPATCHED
            and not complaint.extension,
            "can_approve": complaint.extension == "requested"
            and (user.is_superuser or Role.CENTER_ADMIN in roles_of(user)),
            "departments": _departments_for(complaint) if center_staff else [],
            "repeats": complaint.repeats.all(),
            "can_register": _is_center_staff(user),
            "today": timezone.localdate(),
        },
    )


def _act(request, complaint: Complaint, action: str) -> str:
    user, post = request.user, request.POST
    if action == "dispatch":
        raw = post.get("department", "")
        department = Department.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if department is None:
            raise InvalidInput("complaint.department_required", "请选择责任部门。")
        services.complaint_dispatch(
            actor=user, complaint=complaint, department=department, note=post.get("note", "")
        )
    elif action == "return":
        services.complaint_return(actor=user, complaint=complaint, reason=post.get("reason", ""))
    elif action == "answer":
        services.complaint_answer(actor=user, complaint=complaint, answer=post.get("answer", ""))
    elif action == "extension_request":
        services.complaint_extension_request(
            actor=user, complaint=complaint, reason=post.get("reason", "")
        )
    elif action in ("extension_approve", "extension_refuse"):
        services.complaint_extension_approve(
            actor=user,
            complaint=complaint,
            approve=action == "extension_approve",
            note=post.get("note", ""),
        )
    elif action == "revisit":
        services.complaint_revisit(actor=user, complaint=complaint, note=post.get("note", ""))
    elif action == "close":
        services.complaint_close(actor=user, complaint=complaint, note=post.get("note", ""))
    else:
        raise InvalidInput("complaint.unknown_action", "未知的操作。")
    return states.label_of(action)


# --- 12345 -----------------------------------------------------------------------------------


@login_required
def hotline_page(request):
    user = request.user
    if not _is_center_staff(user):
        raise Http404
    center = _home_center(user)
    centers = Center.objects.visible_to(request.scope).filter(is_active=True).order_by("code")
    if center is not None:
        centers = centers.filter(pk=center.pk)
    context = {"centers": centers[:200], "report": None}
    if request.method == "POST":
        raw = request.POST.get("center", "")
        target = centers.filter(pk=int(raw)).first() if raw.isdigit() else None
        upload = request.FILES.get("file")
        if target is None or upload is None:
            context["error"] = "请选择中心并选择要导入的12345工单文件（.xlsx）。"
        elif upload.size > 10 * 1024 * 1024:
            context["error"] = "文件过大（不超过10MB）。"
        else:
            try:
                report = hotline.hotline_import(actor=user, center=target, source=upload)
            except DomainError as exc:
                context["error"] = exc.message
            else:
                if report.ok:
                    messages.success(request, f"已导入12345工单 {len(report.created)} 条。")
                    return redirect("complaints:hotline")
                context["report"] = report
    context["answered"] = (
        selectors.complaints_for(scope=request.scope)
        .exclude(hotline_order="")
        .filter(answered_at__isnull=False, hotline_client__isnull=True)
        .order_by("-answered_at")[:50]
    )
    return render(request, "complaints/staff/hotline.html", context)


@login_required
def hotline_template(request):
    return xlsx.response(hotline.template(), "12345工单导入模板.xlsx")


@login_required
def hotline_export(request):
    if not _is_center_staff(request.user):
        raise Http404
    if request.method != "POST":
        return redirect("complaints:hotline")
    data = hotline.hotline_answers_export(
        actor=request.user, queryset=selectors.complaints_for(scope=request.scope)
    )
    return xlsx.response(data, f"12345答复-{timezone.localdate().isoformat()}.xlsx")


# --- hot topics ------------------------------------------------------------------------------


def _date(raw, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(raw) if raw else default
    except (TypeError, ValueError):
        return default


@login_required
def hot_topics(request):
    today = timezone.localdate()
    default_start = today - dt.timedelta(days=selectors.HOT_DAYS - 1)
    start = _date(request.GET.get("start"), default_start)
    end = _date(request.GET.get("end"), today)
    error = ""
    if end < start or (end - start).days > 366:
        error = (
            f"日期范围不正确（起始不晚于截止，且不超过一年），已显示最近{selectors.HOT_DAYS}天。"
        )
        start, end = default_start, today
    department_id = request.GET.get("department", "")
    department_id = int(department_id) if department_id.isdigit() else None
    period = selectors.Period(start, end)
    hot = selectors.hot_topics(scope=request.scope, period=period, department_id=department_id)
    chart = stats_charts.bar_chart(
        [
            (t.word, t.count, t.previous, "high" if t.trend in ("up", "new") else "")
            for t in hot.words
        ],
        title="热点诉求（本期件数，横线为上期）",
        desc="本期各主题词出现的投诉件数，横线标出上一同长时段的件数。",
        unit="件",
    )
    months = stats_charts.bar_chart(
        [(label, n, None, "") for label, n in hot.months],
        title="近六个月投诉建议件数",
        desc="每月登记的投诉建议件数（重复投诉不重复计）。",
        unit="件",
    )
    departments = Department.objects.visible_to(request.scope).order_by("name")[:300]
    return render(
        request,
        "complaints/staff/hot.html",
        {
            "hot": hot,
            "chart": chart,
            "months_chart": months,
            "start": start,
            "end": end,
            "error": error,
            "departments": departments,
            "department_id": department_id,
            "can_register": _is_center_staff(request.user),
        },
    )


# --- consultations (首问负责) -----------------------------------------------------------------


@login_required
def inquiry_list(request):
    user = request.user
    context = {
        "post": request.POST,
        "errors": {},
        "channels": Inquiry.Channel.choices,
        "can_register": _is_center_staff(user),
    }
    if request.method == "POST":
        try:
            inquiry = inquiries.inquiry_log(
                actor=user,
                question=request.POST.get("question", ""),
                channel=request.POST.get("channel", "window"),
                asker_name=request.POST.get("asker_name", ""),
                asker_phone=request.POST.get("asker_phone", ""),
                center=_home_center(user),
            )
        except DomainError as exc:
            context["error"], context["errors"] = exc.message, exc.fields
        else:
            messages.success(request, "已登记咨询，您是首问责任人。")
            return redirect("complaints:inquiry_detail", inquiry_id=inquiry.pk)
    qs = selectors.inquiries_for(scope=request.scope)
    if request.GET.get("mine"):
        qs = qs.filter(owner=user)
    state = request.GET.get("state", "")
    if state in Inquiry.State.values:
        qs = qs.filter(state=state)
    context["page"] = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context["query"] = query.urlencode()
    context["state"] = state
    return render(request, "complaints/inquiries/list.html", context)


@login_required
def inquiry_detail(request, inquiry_id: int):
    inquiry = _or_404(selectors.inquiry_get_for, scope=request.scope, inquiry_id=inquiry_id)
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "answer":
                inquiries.inquiry_answer(
                    actor=user, inquiry=inquiry, answer=request.POST.get("answer", "")
                )
                messages.success(request, "已答复。")
            elif action == "handover":
                raw = request.POST.get("to_user", "")
                inquiries.inquiry_handover(
                    actor=user,
                    inquiry=inquiry,
                    to_user=int(raw) if raw.isdigit() else 0,
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, "已移交，对方成为当前责任人。")
            else:
                raise InvalidInput("inquiry.unknown_action", "未知的操作。")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("complaints:inquiry_detail", inquiry_id=inquiry.pk)
        inquiry = selectors.inquiry_get_for(scope=request.scope, inquiry_id=inquiry_id)
    colleagues = []
    if inquiry.owner_id == user.pk and inquiry.state == Inquiry.State.OPEN:
        User = get_user_model()
        colleagues = (
            User.objects.filter(is_active=True, staff_profile__active=True)
            .filter(
                staff_profile__center_id=inquiry.center_id,
            )
            .union(
                User.objects.filter(
                    is_active=True,
                    staff_profile__active=True,
                    staff_profile__department__center_id=inquiry.center_id,
                )
            )
        )
        colleagues = sorted((u for u in colleagues if u.pk != user.pk), key=lambda u: str(u))
    return render(
        request,
        "complaints/inquiries/detail.html",
        {
            "i": inquiry,
            "handovers": inquiry.handovers.select_related("from_user", "to_user"),
            "is_owner": inquiry.owner_id == user.pk and inquiry.state == Inquiry.State.OPEN,
            "colleagues": colleagues,
            "can_register": _is_center_staff(user),
        },
    )
