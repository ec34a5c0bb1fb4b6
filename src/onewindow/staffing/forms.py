"""The forms of the staff pages: they parse the input (dates, numbers, choices); the
services check the rules and say what is wrong in Chinese."""

from __future__ import annotations

from django import forms

from onewindow.org.models import StaffProfile
from onewindow.staffing.models import (
    Establishment,
    PostingChange,
    Recruitment,
    Team,
    TrainingRecord,
)

DATE = forms.DateInput(attrs={"type": "date"})


class RecordForm(forms.Form):
    team = forms.ChoiceField(label="队伍", choices=Team.choices)
    establishment = forms.ChoiceField(
        label="编制类型", choices=[("", "—")] + Establishment.choices, required=False
    )
    rank = forms.CharField(label="职级", max_length=50, required=False)
    paid_by = forms.CharField(label="工资待遇发放单位", max_length=100, required=False)
    posting_started = forms.DateField(label="进驻/上岗日期", widget=DATE)
    recruitment = forms.ModelChoiceField(
        label="招聘记录", queryset=Recruitment.objects.none(), required=False
    )

    def __init__(self, *args, recruitments=None, **kwargs):
        super().__init__(*args, **kwargs)
        if recruitments is not None:
            self.fields["recruitment"].queryset = recruitments


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=TrainingRecord.Kind.choices)
    title = forms.CharField(label="内容", max_length=100)
    trainer = forms.CharField(label="培训人/带教人", max_length=50)
    mentor = forms.ModelChoiceField(
        label="带教窗口人员（跟班学习）", queryset=StaffProfile.objects.none(), required=False
    )
    process_change = forms.ModelChoiceField(
        label="流程再造（专项培训）", queryset=StaffProfile.objects.none(), required=False
    )
    started_on = forms.DateField(label="开始日期", widget=DATE)
    ended_on = forms.DateField(label="结束日期", widget=DATE)
    hours = forms.DecimalField(label="学时", max_digits=5, decimal_places=1, min_value=0.5)
    passed = forms.ChoiceField(label="结果", choices=[("1", "合格"), ("0", "不合格")])

    def __init__(self, *args, mentors=None, process_changes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if mentors is not None:
            self.fields["mentor"].queryset = mentors
        if process_changes is not None:
            self.fields["process_change"].queryset = process_changes


class ContractForm(forms.Form):
    company = forms.CharField(label="服务公司", max_length=100)
    contract_no = forms.CharField(label="合同编号", max_length=50)
    starts_on = forms.DateField(label="合同起始", widget=DATE)
    ends_on = forms.DateField(label="合同截止", widget=DATE)


class DeclareForm(forms.Form):
    declared_on = forms.DateField(label="声明日期", widget=DATE)


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=PostingChange.Kind.choices)
    effective_on = forms.DateField(label="拟生效日期", widget=DATE)
    reason = forms.CharField(
        label="理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    successor = forms.ModelChoiceField(
        label="接替人员", queryset=StaffProfile.objects.none(), required=False
    )

    def __init__(self, *args, successors=None, **kwargs):
        super().__init__(*args, **kwargs)
        if successors is not None:
            self.fields["successor"].queryset = successors


class SecondmentForm(forms.Form):
    to_unit = forms.CharField(label="借调单位", max_length=100)
    starts_on = forms.DateField(label="借调开始", widget=DATE)
    ends_on = forms.DateField(label="借调结束", widget=DATE)
    reason = forms.CharField(
        label="事由", max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(forms.Form):
    approve = forms.ChoiceField(choices=[("1", "批准"), ("0", "不予批准")])
    note = forms.CharField(label="审批意见", max_length=1000, required=False)


class SpotCheckForm(forms.Form):
    dress_ok = forms.BooleanField(label="统一着装", required=False, initial=True)
    badge_ok = forms.BooleanField(label="亮牌上岗", required=False, initial=True)
    language_ok = forms.BooleanField(label="服务用语规范", required=False, initial=True)
    conduct_ok = forms.BooleanField(label="行为举止得体", required=False, initial=True)
    note = forms.CharField(
        label="情况说明（不合格必填）",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RecruitmentForm(forms.Form):
    center = forms.ModelChoiceField(label="服务中心", queryset=StaffProfile.objects.none())
    team = forms.ChoiceField(
        label="队伍",
        choices=[(Team.COMPREHENSIVE, Team.COMPREHENSIVE.label), (Team.AGENCY, Team.AGENCY.label)],
    )
    held_on = forms.DateField(label="招聘日期", widget=DATE)
    way = forms.ChoiceField(label="招聘方式", choices=Recruitment.Way.choices)
    openly = forms.BooleanField(label="公开招聘", required=False, initial=True)
    announcement = forms.CharField(label="公告（发布渠道、文号）", max_length=200, required=False)
    positions = forms.IntegerField(label="招聘名额", min_value=1, max_value=500)
    hired = forms.IntegerField(label="录用人数", min_value=0, max_value=500)

    def __init__(self, *args, centers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if centers is not None:
            self.fields["center"].queryset = centers
