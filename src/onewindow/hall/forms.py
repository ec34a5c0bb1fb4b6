"""The forms of the appointment and home-visit pages (R-HALL-6): the public ones
(book, cancel, check in, ask for a home visit) and the center administrator's (slots,
the home-visit steps)."""

from __future__ import annotations

from django import forms

from onewindow.catalog.models import Matter
from onewindow.core.errors import DomainError
from onewindow.hall.appointments import SLOT_TEMPLATES, center_staff
from onewindow.hall.appointments import selectors as appt_selectors


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
            appt_selectors.home_visit_matters(center) if center else Matter.objects.none()
        )


def staff_field(center, *, required=False, multiple=True, label="值班人员"):
    queryset = center_staff(center)
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
        label="时段模板", choices=[(t.key, t.label) for t in SLOT_TEMPLATES.values()]
    )
    capacity = forms.IntegerField(label="每个时段可约人数", min_value=1, max_value=999, initial=5)

    def __init__(self, *args, center=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = center.service_categories.filter(is_active=True)
        self.fields["duty_staff"] = staff_field(center)


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
        self.fields["duty_staff"] = staff_field(center)


class SlotUpdateForm(forms.Form):
    capacity = forms.IntegerField(label="可约人数", min_value=0, max_value=999)

    def __init__(self, *args, center=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duty_staff"] = staff_field(center)


class AssignForm(forms.Form):
    visit_on = forms.DateField(label="上门日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, center=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"] = staff_field(center, required=True, multiple=False, label="上门人员")


class MailForm(forms.Form):
    tracking_number = forms.CharField(label="邮寄单号", max_length=40)


class CancelVisitForm(forms.Form):
    reason = forms.CharField(label="取消原因", max_length=200)


def apply_error(form, exc: DomainError) -> None:
    """Put a service's error on the fields it names, else on the form."""
    placed = False
    for name, message in exc.fields.items():
        if name in form.fields:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


VISIT_FORMS = {"assign": AssignForm, "visit": None, "mail": MailForm, "cancel": CancelVisitForm}
