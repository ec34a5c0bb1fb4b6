"""The work calendar page (R-CASE-4): status of years, a month of working days, a
deadline calculator, and for administrators loading a year's official schedule and
adding local overrides. Thin: parse, call ``onewindow.core.calendar``, render."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from onewindow.core import calendar as cal
from onewindow.core.errors import DomainError
from onewindow.core.models import CalendarOverride, Deadline
from onewindow.core.text import form_errors_text
from onewindow.core.workcalendar import DAY_KIND_LABELS, LimitUnit, Pause

MAX_UPLOAD_BYTES = 100_000
WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


def _regions_visible(request):
    from onewindow.org.models import Region

    return Region.objects.visible_to(request.scope).order_by("path")


def _regions_managed(request):
    from onewindow.org.models import Region

    if request.user.is_superuser or request.scope.everything:
        return Region.objects.order_by("path")
    q = Q(pk__in=[])
    for path in request.scope.region_paths:
        q |= Q(path__startswith=path)
    return Region.objects.filter(q).order_by("path")


def _bounded(value: date | None, label: str) -> date | None:
    if value is not None and not cal.MIN_YEAR <= value.year <= cal.MAX_YEAR:
        raise forms.ValidationError(f"{label}须在{cal.MIN_YEAR}年至{cal.MAX_YEAR}年之间。")
    return value


class ViewForm(forms.Form):
    month = forms.CharField(label="月份", required=False)
    region = forms.ModelChoiceField(label="地区", queryset=None, required=False, empty_label="全州")

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions

    def clean_month(self):
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", value)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError("月份格式应为 2026-10。")
        year, month = int(match.group(1)), int(match.group(2))
        if not cal.MIN_YEAR <= year <= cal.MAX_YEAR:
            raise forms.ValidationError(f"月份须在{cal.MIN_YEAR}年至{cal.MAX_YEAR}年之间。")
        return year, month


class CalculatorForm(forms.Form):
    start = forms.DateField(label="起算日（受理日）", widget=DATE_WIDGET)
    days = forms.IntegerField(label="时限", min_value=0, max_value=cal.MAX_DEADLINE_DAYS)
    unit = forms.ChoiceField(label="单位", choices=Deadline.Unit.choices, initial=LimitUnit.WORKING)
    pause_start = forms.DateField(label="暂停开始（可选）", required=False, widget=DATE_WIDGET)
    pause_end = forms.DateField(label="暂停结束（可选）", required=False, widget=DATE_WIDGET)

    def clean_start(self):
        return _bounded(self.cleaned_data.get("start"), "起算日")

    def clean_pause_start(self):
        return _bounded(self.cleaned_data.get("pause_start"), "暂停开始日期")

    def clean_pause_end(self):
        return _bounded(self.cleaned_data.get("pause_end"), "暂停结束日期")

    def clean(self):
        data = super().clean()
        ps, pe = data.get("pause_start"), data.get("pause_end")
        if pe and not ps:
            raise forms.ValidationError("填写暂停结束日期时须同时填写暂停开始日期。")
        if ps and pe and pe < ps:
            raise forms.ValidationError("暂停结束日期不能早于暂停开始日期。")
        if ps and data.get("start") and ps < data["start"]:
            raise forms.ValidationError("暂停开始日期不能早于起算日。")
        return data


class ScheduleForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=cal.MIN_YEAR, max_value=cal.MAX_YEAR)
    source = forms.CharField(
        label="依据",
        max_length=200,
        help_text="如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）",
    )
    text = forms.CharField(
        label="安排内容",
        required=False,
        max_length=cal.MAX_SCHEDULE_CHARS,
        widget=forms.Textarea(
            attrs={
                "rows": 8,
                "placeholder": "2027-01-01 休 元旦\n2027-02-06~2027-02-12 休 春节\n2027-02-14 班 春节",
            }
        ),
        help_text="每行一条：日期或日期范围、“休”或“班”、名称（可选）；# 后为注释。",
    )
    file = forms.FileField(
        label="或上传文本文件",
        required=False,
        help_text="同样格式的 UTF-8 或 GBK 文本文件，不超过100KB。",
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError("上传的文件过大（不超过100KB）。")
            raw = upload.read()
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    data["text"] = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise forms.ValidationError("无法识别上传文件的编码，请使用 UTF-8 文本。")
        if not (data.get("text") or "").strip() and not self.errors:
            raise forms.ValidationError("请填写安排内容或上传文件。")
        return data


class OverrideForm(forms.Form):
    date = forms.DateField(label="日期", widget=DATE_WIDGET)
    kind = forms.ChoiceField(label="调整", choices=[("closed", "闭厅休息"), ("open", "加班办公")])
    reason = forms.CharField(label="原因", max_length=200)
    region = forms.ModelChoiceField(
        label="适用地区", queryset=None, required=False, empty_label="全州"
    )

    def __init__(self, *args, regions, allow_prefecture, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        field.queryset = regions
        if not allow_prefecture:
            field.required = True
            field.empty_label = None

    def clean_date(self):
        return _bounded(self.cleaned_data.get("date"), "日期")


def _form_errors(form) -> str:
    return form_errors_text(form)


def _is_staff(user) -> bool:
    if user.is_superuser:
        return True
    profile = getattr(user, "staff_profile", None)
    return profile is not None and profile.active


def _default_region(request):
    profile = getattr(request.user, "staff_profile", None)
    return profile.home_region if profile is not None else None


def _visible_overrides(request, today: date):
    qs = CalendarOverride.objects.select_related("region").filter(
        date__gte=today - timedelta(days=31)
    )
    scope = request.scope
    if not scope.everything:
        region = _default_region(request)
        q = Q(region__isnull=True)
        if region is not None:
            q |= Q(region__path__in=cal._ancestor_paths(region.path))
        for path in scope.region_paths:
            q |= Q(region__path__startswith=path)
        qs = qs.filter(q)
    return qs.order_by("date", "region__path")[:100]


@login_required
@require_http_methods(["GET", "POST"])
def calendar_page(request):
    if not _is_staff(request.user):
        raise Http404
    today = timezone.localdate()
    user = request.user
    can_manage = user.is_superuser or cal.is_center_admin(user)
    can_load = cal.can_manage_calendar(user, region=None)
    managed = _regions_managed(request)

    schedule_form = ScheduleForm(prefix="load", initial={"year": today.year + 1})
    override_form = OverrideForm(prefix="ovr", regions=managed, allow_prefecture=can_load)

    if request.method == "POST":
        action = request.POST.get("action")
        if action == "load_year" and can_load:
            schedule_form = ScheduleForm(request.POST, request.FILES, prefix="load")
            if schedule_form.is_valid():
                d = schedule_form.cleaned_data
                try:
                    loaded = cal.calendar_year_load(
                        actor=user, year=d["year"], text=d["text"], source=d["source"]
                    )
                except DomainError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(
                        request,
                        f"{loaded.year}年节假日安排已载入（{loaded.days.count()}天），"
                        f"重新计算了{loaded.recomputed}个时限。",
                    )
                    return redirect(reverse("calendar"))
            else:
                messages.error(request, _form_errors(schedule_form))
        elif action == "add_override" and can_manage:
            override_form = OverrideForm(
                request.POST, prefix="ovr", regions=managed, allow_prefecture=can_load
            )
            if override_form.is_valid():
                d = override_form.cleaned_data
                try:
                    cal.calendar_override_create(
                        actor=user,
                        date=d["date"],
                        is_workday=d["kind"] == "open",
                        reason=d["reason"],
                        region=d["region"],
                    )
                except DomainError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, "本地调整已添加。")
                    return redirect(f"{reverse('calendar')}?month={d['date']:%Y-%m}")
            else:
                messages.error(request, _form_errors(override_form))
        elif action == "delete_override" and can_manage:
            try:
                cal.calendar_override_delete(
                    actor=user, override_id=int(request.POST.get("override_id", ""))
                )
            except (ValueError, TypeError):
                messages.error(request, "未找到该本地调整。")
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "本地调整已删除。")
                return redirect(reverse("calendar"))
        else:
            messages.error(request, "无法识别的操作，或您没有进行此操作的权限。")

    # --- what to show -------------------------------------------------------------
    view_form = ViewForm(request.GET or None, regions=_regions_visible(request))
    year, month = today.year, today.month
    region = _default_region(request)
    if view_form.is_bound:
        if view_form.is_valid():
            if view_form.cleaned_data["month"]:
                year, month = view_form.cleaned_data["month"]
            if "region" in request.GET:
                region = view_form.cleaned_data["region"]
        else:
            messages.error(request, _form_errors(view_form))
    if region is not None and not _regions_visible(request).filter(pk=region.pk).exists():
        region = None
    work = cal.calendar_for(region=region)
    weeks = work.month(year, month)
    first = date(year, month, 1)
    prev_month = (first - timedelta(days=1)).strftime("%Y-%m")
    next_month = (first + timedelta(days=32)).replace(day=1).strftime("%Y-%m")

    calc_form = CalculatorForm(
        request.GET if "start" in request.GET else None,
        initial={"start": today, "days": 20, "unit": LimitUnit.WORKING},
    )
    result = None
    if calc_form.is_bound:
        if calc_form.is_valid():
            d = calc_form.cleaned_data
            pauses = []
            if d.get("pause_start"):
                pauses.append(Pause(d["pause_start"], d.get("pause_end")))
            try:
                due = work.due(d["start"], d["days"], d["unit"], pauses)
            except (ValueError, OverflowError):
                messages.error(request, "时限过长，无法计算截止日。")
            else:
                result = {
                    "due": due,
                    "data": d,
                    "unit_label": dict(Deadline.Unit.choices)[d["unit"]],
                    "weekday": WEEKDAYS[due.date.weekday()] if due.date else "",
                }
        else:
            messages.error(request, _form_errors(calc_form))

    status = cal.calendar_status(today)
    overrides = _visible_overrides(request, today)
    managed_paths = (
        None
        if (user.is_superuser or request.scope.everything)
        else list(request.scope.region_paths)
    )
    rows = []
    for o in overrides:
        if not can_manage:
            deletable = False
        elif o.region_id is None:
            deletable = can_load
        else:
            deletable = managed_paths is None or any(
                o.region.path.startswith(p) for p in managed_paths
            )
        rows.append((o, deletable))

    return render(
        request,
        "core/calendar.html",
        {
            "today": today,
            "warning": cal.calendar_warning(today),
            "status": status,
            "view_form": view_form,
            "region": region,
            "year": year,
            "month": month,
            "weeks": weeks,
            "weekdays": WEEKDAYS,
            "kind_labels": DAY_KIND_LABELS,
            "prev_month": prev_month,
            "next_month": next_month,
            "month_provisional": any(d and d.provisional for w in weeks for d in w),
            "calc_form": calc_form,
            "result": result,
            "can_manage": can_manage,
            "can_load": can_load,
            "schedule_form": schedule_form,
            "override_form": override_form,
            "overrides": rows,
        },
    )
