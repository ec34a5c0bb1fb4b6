"""Appointment and home-visit pages (R-HALL-6).

Public, no login, phone-first: book (center → category → day → slot → name and
phone), the confirmation with the code, cancel, check-in at the hall (shows the
ticket), a request for a home visit. Staff: a center administrator's slots of a day
(from a template or one by one, capacity, duty roster), bookings, no-shows and
suspensions, and the home-visit queue. Thin: parse, call ``hall.appointments``,
render; a domain error becomes a Chinese message on the page.
"""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from onewindow.catalog.models import Listing, Matter
from onewindow.core.errors import DomainError, NotFound
from onewindow.core.middleware import client_ip
from onewindow.core.text import form_errors_text
from onewindow.hall import appointments as appt
from onewindow.hall import home_visit_states as hv
from onewindow.hall.models import Appointment, AppointmentSlot, BookingSuspension, HomeVisit

# --- forms ----------------------------------------------------------------------------------------


class BookForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(
        label="手机号",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    id_number = forms.CharField(
        label="身份证号（选填）",
        max_length=30,
        required=False,
        help_text="填写后按身份证号核对本人；不填按手机号核对。",
    )
    matter = forms.ModelChoiceField(
        label="办理事项（选填）",
        queryset=Matter.objects.none(),
        required=False,
        empty_label="不确定，到窗口咨询",
    )

    def __init__(self, *args, category=None, **kwargs):
        super().__init__(*args, **kwargs)
        matters = (
            category.matters.filter(status=Matter.Status.ACTIVE).order_by("name")
            if category
            else None
        )
        if matters is not None and matters.exists():
            self.fields["matter"].queryset = matters
        else:
            del self.fields["matter"]


class CancelForm(forms.Form):
    code = forms.CharField(label="预约码", max_length=20)
    phone_or_id = forms.CharField(label="预约时填写的手机号或身份证号", max_length=30)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label="预约码",
        max_length=20,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autofocus": True}),
    )


class HomeVisitForm(forms.Form):
    matter = forms.ModelChoiceField(
        label="办理事项", queryset=Matter.objects.none(), empty_label="请选择办理事项…"
    )
    name = forms.CharField(label="联系人", max_length=50)
    phone = forms.CharField(
        label="联系电话", max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    address = forms.CharField(
        label="上门地址", max_length=200, help_text="乡镇、村（社区）、门牌号"
    )
    note = forms.CharField(
        label="需求说明（选填）",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：老人行动不便、重病、残疾等需要上门办理的原因。",
    )

    def __init__(self, *args, center=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = (
            home_visit_matters(center) if center else Matter.objects.none()
        )


def _staff_field(center, *, required=False, multiple=True, label="值班人员"):
    queryset = appt.center_staff(center)
    if multiple:
        return forms.ModelMultipleChoiceField(
            label=label, queryset=queryset, required=required, widget=forms.CheckboxSelectMultiple
        )
    return forms.ModelChoiceField(
        label=label, queryset=queryset, required=required, empty_label=f"请选择{label}…"
    )


class TemplateForm(forms.Form):
    category = forms.ModelChoiceField(
        label="业务类别", queryset=None, empty_label="请选择业务类别…"
    )
    template = forms.ChoiceField(
        label="时段模板", choices=[(t.key, t.label) for t in appt.SLOT_TEMPLATES.values()]
    )
    capacity = forms.IntegerField(label="每个时段可约人数", min_value=1, max_value=999, initial=5)

    def __init__(self, *args, center=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = center.service_categories.filter(is_active=True)
        self.fields["duty_staff"] = _staff_field(center)


class SlotForm(forms.Form):
    category = forms.ModelChoiceField(
        label="业务类别", queryset=None, empty_label="请选择业务类别…"
    )
    start = forms.TimeField(label="开始", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="结束", widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(label="可约人数", min_value=1, max_value=999, initial=5)
    extended = forms.BooleanField(label="错时延时（午间、傍晚、周末）", required=False)

    def __init__(self, *args, center=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = center.service_categories.filter(is_active=True)
        self.fields["duty_staff"] = _staff_field(center)


class SlotUpdateForm(forms.Form):
    capacity = forms.IntegerField(label="可约人数", min_value=0, max_value=999)

    def __init__(self, *args, center=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duty_staff"] = _staff_field(center)


class AssignForm(forms.Form):
    visit_on = forms.DateField(label="上门日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, center=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"] = _staff_field(center, required=True, multiple=False, label="上门人员")


class MailForm(forms.Form):
    tracking_number = forms.CharField(label="邮寄单号", max_length=40)


class CancelVisitForm(forms.Form):
    reason = forms.CharField(label="取消原因", max_length=200)


def home_visit_matters(center):
    listed = Listing.objects.public().filter(center=center).values("matter_id")
    categorised = center.service_categories.filter(is_active=True).values("matters")
    return (
        Matter.objects.active()
        .filter(current_version__isnull=False)
        .filter(Q(pk__in=listed) | Q(pk__in=categorised))
        .order_by("name")
        .distinct()
    )


def _apply_error(form, exc: DomainError) -> None:
    placed = False
    for name, message in exc.fields.items():
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _client_key(request) -> str:
    return f"ip:{client_ip(request) or '-'}"


def _parse_day(raw) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except (TypeError, ValueError):
        return None


# --- public pages ---------------------------------------------------------------------------------


def book(request):
    """One page, step by step through its query string: center, category, day, slot, details."""
    ctx: dict = {"step": "center"}
    try:
        center = appt.public_center(request.GET["center"]) if request.GET.get("center") else None
        category = (
            appt.public_category(center, request.GET["category"])
            if center and request.GET.get("category")
            else None
        )
    except NotFound as exc:
        return render(
            request,
            "hall/appointments/book.html",
            {"step": "center", "error": exc.message, "centers": appt.public_centers()},
            status=404,
        )
    if center is None:
        ctx["centers"] = appt.public_centers()
        return render(request, "hall/appointments/book.html", ctx)
    ctx["center"] = center
    if category is None:
        ctx.update(step="category", categories=center.service_categories.filter(is_active=True))
        return render(request, "hall/appointments/book.html", ctx)
    ctx["category"] = category
    slots = appt.bookable_slots(center=center, category=category)
    day = _parse_day(request.GET.get("day"))
    slot_id = request.GET.get("slot") or request.POST.get("slot")
    if day is None and not slot_id:
        days = (
            slots.filter(booked__lt=F("capacity"))
            .values("day")
            .annotate(n=Count("id"))
            .order_by("day")
        )
        ctx.update(step="day", days=[d["day"] for d in days])
        return render(request, "hall/appointments/book.html", ctx)
    if not slot_id:
        ctx.update(step="slot", day=day, slots=slots.filter(day=day))
        return render(request, "hall/appointments/book.html", ctx)
    slot = slots.filter(pk=slot_id).first() if str(slot_id).isdigit() else None
    if slot is None:
        ctx.update(
            step="slot",
            day=day,
            slots=slots.filter(day=day) if day else [],
            error="该时段不存在或已过，请重新选择。",
        )
        return render(request, "hall/appointments/book.html", ctx, status=404)
    ctx.update(step="details", slot=slot, day=slot.day)
    form = BookForm(request.POST or None, category=category)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                found = appt.appointment_book(
                    center=center,
                    category=category,
                    slot=slot,
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                    id_number=form.cleaned_data["id_number"],
                    matter=form.cleaned_data.get("matter"),
                    channel="portal",
                    client_key=_client_key(request),
                )
            except DomainError as exc:
                _apply_error(form, exc)
                status = exc.status
            else:
                return redirect("hall:booking_done", code=found.code)
        else:
            status = 422
    ctx["form"] = form
    return render(request, "hall/appointments/book.html", ctx, status=status)


def booking_done(request, code: str):
    try:
        found = appt.appointment_get_by_code(code)
    except NotFound:
        raise Http404 from None
    opens, closes = appt.checkin_window(found.slot)
    return render(
        request,
        "hall/appointments/done.html",
        {
            "a": found,
            "opens": opens,
            "closes": closes,
            "masked_name": found.name[0] + "*" * (len(found.name) - 1),
            "masked_phone": found.phone[:3] + "****" + found.phone[-4:],
        },
    )


def booking_cancel(request):
    form = CancelForm(request.POST or None, initial={"code": request.GET.get("code", "")[:20]})
    cancelled = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                cancelled = appt.appointment_cancel(
                    code=form.cleaned_data["code"], phone_or_id=form.cleaned_data["phone_or_id"]
                )
            except DomainError as exc:
                _apply_error(form, exc)
                status = exc.status
        else:
            status = 422
    return render(
        request,
        "hall/appointments/cancel.html",
        {"form": form, "cancelled": cancelled},
        status=status,
    )


def checkin(request):
    form = CheckInForm(request.POST or None, initial={"code": request.GET.get("code", "")[:20]})
    ticket = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                ticket = appt.appointment_check_in(code=form.cleaned_data["code"])
            except DomainError as exc:
                _apply_error(form, exc)
                status = exc.status
        else:
            status = 422
    return render(
        request, "hall/appointments/checkin.html", {"form": form, "ticket": ticket}, status=status
    )


def home_visit_request(request):
    try:
        center = appt.public_center(request.GET["center"]) if request.GET.get("center") else None
    except NotFound as exc:
        return render(
            request,
            "hall/appointments/home_visit_request.html",
            {"centers": appt.public_centers(), "error": exc.message},
            status=404,
        )
    if center is None:
        return render(
            request, "hall/appointments/home_visit_request.html", {"centers": appt.public_centers()}
        )
    form = HomeVisitForm(request.POST or None, center=center)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                appt.home_visit_request(
                    center=center, client_key=_client_key(request), **form.cleaned_data
                )
            except DomainError as exc:
                _apply_error(form, exc)
                status = exc.status
            else:
                return render(
                    request,
                    "hall/appointments/home_visit_request.html",
                    {"center": center, "done": True},
                )
        else:
            status = 422
    return render(
        request,
        "hall/appointments/home_visit_request.html",
        {"center": center, "form": form},
        status=status,
    )


# --- staff pages ----------------------------------------------------------------------------------


def _admin_center(request, center_id) -> object:
    try:
        return appt.center_for_admin(actor=request.user, center_id=center_id)
    except NotFound:
        raise Http404 from None


@login_required
def staff_home(request):
    centers = appt.centers_for_admin(request.user)
    if not centers.exists():
        raise Http404
    return render(request, "hall/appointments/staff_home.html", {"centers": centers})


@login_required
def staff_day(request, center_id: int):
    center = _admin_center(request, center_id)
    today = timezone.localdate()
    day = _parse_day(request.GET.get("day") or request.POST.get("day")) or today
    template_form = TemplateForm(center=center, prefix="t")
    slot_form = SlotForm(center=center, prefix="s")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "template":
                template_form = TemplateForm(request.POST, center=center, prefix="t")
                if template_form.is_valid():
                    d = template_form.cleaned_data
                    made = appt.slots_create_from_template(
                        actor=request.user,
                        center=center,
                        category=d["category"],
                        day=day,
                        template=d["template"],
                        capacity=d["capacity"],
                        duty_staff=d["duty_staff"],
                    )
                    messages.success(request, f"已生成{len(made)}个时段（已有的时段保持不变）。")
                    return redirect(
                        f"{reverse('hall:appointments_staff', args=[center.pk])}?day={day}"
                    )
                status = 422
            elif action == "slot":
                slot_form = SlotForm(request.POST, center=center, prefix="s")
                if slot_form.is_valid():
                    d = slot_form.cleaned_data
                    appt.slots_create(
                        actor=request.user,
                        center=center,
                        category=d["category"],
                        day=day,
                        start=d["start"],
                        end=d["end"],
                        capacity=d["capacity"],
                        extended=d["extended"],
                        duty_staff=d["duty_staff"],
                    )
                    messages.success(request, "时段已添加。")
                    return redirect(
                        f"{reverse('hall:appointments_staff', args=[center.pk])}?day={day}"
                    )
                status = 422
            elif action == "update":
                slot = (
                    AppointmentSlot.objects.filter(
                        center=center, pk=request.POST.get("slot") or 0
                    ).first()
                    if str(request.POST.get("slot", "")).isdigit()
                    else None
                )
                if slot is None:
                    raise Http404
                form = SlotUpdateForm(request.POST, center=center, prefix=f"u{slot.pk}")
                if form.is_valid():
                    appt.slot_update(
                        actor=request.user,
                        slot=slot,
                        capacity=form.cleaned_data["capacity"],
                        duty_staff=form.cleaned_data["duty_staff"],
                    )
                    messages.success(request, f"{slot.start:%H:%M}时段已更新。")
                else:
                    messages.error(request, form_errors_text(form))
                return redirect(f"{reverse('hall:appointments_staff', args=[center.pk])}?day={day}")
            else:
                raise Http404
        except DomainError as exc:
            form = template_form if action == "template" else slot_form
            if action == "update":
                messages.error(request, exc.message)
                return redirect(f"{reverse('hall:appointments_staff', args=[center.pk])}?day={day}")
            _apply_error(form, exc)
            status = exc.status
    slots = list(
        AppointmentSlot.objects.filter(center=center, day=day)
        .select_related("category")
        .prefetch_related("duty_staff")
        .order_by("category__order", "start")
    )
    for slot in slots:
        slot.form = SlotUpdateForm(
            center=center,
            prefix=f"u{slot.pk}",
            initial={
                "capacity": slot.capacity,
                "duty_staff": [u.pk for u in slot.duty_staff.all()],
            },
        )
    bookings = (
        Appointment.objects.filter(center=center, day=day)
        .select_related("slot", "category", "matter")
        .order_by("slot__start", "category__letter", "created_at")
    )
    no_shows = (
        Appointment.objects.filter(
            center=center, state=Appointment.State.NO_SHOW, day__gte=today - timedelta(days=30)
        )
        .select_related("slot", "category")
        .order_by("-day", "slot__start")
    )
    suspensions = BookingSuspension.objects.filter(center=center, until__gte=today).order_by(
        "until"
    )
    return render(
        request,
        "hall/appointments/staff_day.html",
        {
            "center": center,
            "day": day,
            "prev_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "slots": slots,
            "bookings": bookings,
            "no_shows": no_shows,
            "suspensions": suspensions,
            "template_form": template_form,
            "slot_form": slot_form,
            "today": today,
        },
        status=status,
    )


VISIT_ACTIONS = {"assign": AssignForm, "visit": None, "mail": MailForm, "cancel": CancelVisitForm}


@login_required
def staff_home_visits(request, center_id: int):
    center = _admin_center(request, center_id)
    status = 200
    forms_by_visit: dict[tuple[int, str], forms.Form] = {}
    intake = HomeVisitForm(center=center, prefix="n")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "request":
            intake = HomeVisitForm(request.POST, center=center, prefix="n")
            if intake.is_valid():
                try:
                    appt.home_visit_request(
                        center=center, actor=request.user, **intake.cleaned_data
                    )
                except DomainError as exc:
                    _apply_error(intake, exc)
                    status = exc.status
                else:
                    messages.success(request, "已登记上门服务申请。")
                    return redirect("hall:home_visits_staff", center_id=center.pk)
            else:
                status = 422
        elif action in VISIT_ACTIONS:
            visit = (
                HomeVisit.objects.filter(center=center, pk=request.POST.get("visit") or 0).first()
                if str(request.POST.get("visit", "")).isdigit()
                else None
            )
            if visit is None:
                raise Http404
            form_class = VISIT_ACTIONS[action]
            form = None
            if form_class is not None:
                kwargs = {"center": center} if form_class is AssignForm else {}
                form = form_class(request.POST, prefix=f"{action}{visit.pk}", **kwargs)
            if form is None or form.is_valid():
                data = form.cleaned_data if form is not None else {}
                try:
                    if action == "assign":
                        appt.home_visit_assign(
                            actor=request.user,
                            visit=visit,
                            staff=data["staff"],
                            visit_on=data["visit_on"],
                        )
                    elif action == "visit":
                        appt.home_visit_mark_visited(actor=request.user, visit=visit)
                    elif action == "mail":
                        appt.home_visit_mark_mailed(
                            actor=request.user, visit=visit, tracking_number=data["tracking_number"]
                        )
                    else:
                        appt.home_visit_cancel(
                            actor=request.user, visit=visit, reason=data["reason"]
                        )
                except DomainError as exc:
                    if form is not None:
                        _apply_error(form, exc)
                    else:
                        messages.error(request, exc.message)
                    status = exc.status
                else:
                    messages.success(request, f"{visit.name}：已{hv.TRANSITIONS[action].label}。")
                    return redirect("hall:home_visits_staff", center_id=center.pk)
            else:
                status = 422
            if form is not None:
                forms_by_visit[(visit.pk, action)] = form
        else:
            raise Http404
    open_visits = list(
        HomeVisit.objects.filter(center=center, state__in=sorted(hv.OPEN))
        .select_related("matter", "staff")
        .order_by("created_at")
    )
    for visit in open_visits:
        visit.action_forms = []
        for t in hv.actions_from(visit.state):
            form_class = VISIT_ACTIONS[t.action]
            form = forms_by_visit.get((visit.pk, t.action))
            if form is None and form_class is not None:
                kwargs = {"center": center} if form_class is AssignForm else {}
                initial = (
                    {"staff": visit.staff_id, "visit_on": visit.visit_on}
                    if t.action == "assign"
                    else {}
                )
                form = form_class(prefix=f"{t.action}{visit.pk}", initial=initial, **kwargs)
            visit.action_forms.append((t, form))
    closed = (
        HomeVisit.objects.filter(center=center)
        .exclude(state__in=sorted(hv.OPEN))
        .select_related("matter", "staff")
        .order_by("-created_at")[:50]
    )
    return render(
        request,
        "hall/appointments/staff_home_visits.html",
        {
            "center": center,
            "open_visits": open_visits,
            "closed": closed,
            "intake": intake,
        },
        status=status,
    )
