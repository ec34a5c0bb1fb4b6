from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import validate_password

from onewindow.core.roles import Role
from onewindow.org.models import Center, Department, Region, StaffProfile


class StaffCreateForm(forms.Form):
    full_name = forms.CharField(label="姓名", max_length=50)
    username = forms.RegexField(
        label="登录名",
        max_length=30,
        regex=r"^[A-Za-z0-9_.-]+$",
        error_messages={"invalid": "登录名只能包含字母、数字和 _ . -"},
    )
    staff_no = forms.RegexField(
        label="工号",
        max_length=20,
        regex=r"^[A-Za-z0-9_-]+$",
        error_messages={"invalid": "工号只能包含字母、数字、下划线和短横线。"},
    )
    roles = forms.MultipleChoiceField(
        label="角色", choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )
    center = forms.ModelChoiceField(
        label="所在中心", queryset=Center.objects.none(), required=False, empty_label="请选择…"
    )
    department = forms.ModelChoiceField(
        label="所属部门", queryset=Department.objects.none(), required=False, empty_label="请选择…"
    )
    region = forms.ModelChoiceField(
        label="管辖区划", queryset=Region.objects.none(), required=False, empty_label="请选择…"
    )
    employer_kind = forms.ChoiceField(label="用人单位类型", choices=StaffProfile.Employer.choices)
    employer_name = forms.CharField(label="用人单位", max_length=100, required=False)
    title = forms.CharField(label="岗位", max_length=50, required=False)
    id_number = forms.CharField(label="身份证号", max_length=24, required=False)
    phone = forms.RegexField(
        label="手机号",
        regex=r"^1\d{10}$",
        required=False,
        error_messages={"invalid": "请填写11位手机号。"},
    )
    posting_started = forms.DateField(
        label="进驻/上岗日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput,
        required=False,
        help_text="留空则须由管理员另行设置密码后才能登录。",
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = Center.objects.visible_to(scope).select_related("region")
        self.fields["department"].queryset = Department.objects.visible_to(scope)
        self.fields["region"].queryset = Region.objects.visible_to(scope)

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            validate_password(password)
        return password


class StaffRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="角色", choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class StaffDeactivateForm(forms.Form):
    reason = forms.CharField(label="离岗原因", max_length=200)
