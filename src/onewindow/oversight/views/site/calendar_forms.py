"""The forms of the work calendar page (R-CASE-4): the month shown, the deadline
calculator, a year's official schedule, a local override."""

from __future__ import annotations

import re
from datetime import date

from django import forms

from onewindow.core import calendar as cal
from onewindow.core.models import Deadline
from onewindow.core.workcalendar import LimitUnit

MAX_UPLOAD_BYTES = 100_000
WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


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
