"""The forms of the hall set-up pages (R-HALL-1, R-HALL-5): a window, a service category,
a clerk's authorisation, the opening periods and the summer dates."""

from __future__ import annotations

from django import forms

from onewindow.hall import schedule
from onewindow.hall.models import OpeningPeriod, Window
from onewindow.hall.selectors import setup as selectors_setup

# --- windows, categories, authorisations ------------------------------------------------------------------------------------


def _checkboxes(label, queryset):
    return forms.ModelMultipleChoiceField(
        label=label, queryset=queryset, required=False, widget=forms.CheckboxSelectMultiple
    )


class WindowForm(forms.Form):
    number = forms.IntegerField(label="窗口号", min_value=1, max_value=999)
    name = forms.CharField(label="名称", max_length=50, required=False)
    kind = forms.ChoiceField(label="类型", choices=Window.Kind.choices)
    scope = forms.ChoiceField(label="受理范围", choices=Window.Scope.choices)
    pace = forms.ChoiceField(label="办理时限类型", choices=Window.Pace.choices)
    domain = forms.CharField(label="领域（分领域窗口填写）", max_length=50, required=False)
    single_reason = forms.CharField(label="设置单业务窗口的理由", max_length=200, required=False)

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"] = _checkboxes(
            "服务类别", selectors_setup.active_categories(center)
        )


class CategoryForm(forms.Form):
    letter = forms.CharField(
        label="号码字母", max_length=2, help_text="1-2个大写字母，如A、B，号码为A001。"
    )
    name = forms.CharField(label="名称", max_length=50)
    description = forms.CharField(label="说明", max_length=200, required=False)
    order = forms.IntegerField(label="排序", min_value=0, max_value=999, initial=0)
    needs_clerk = forms.BooleanField(
        label="需窗口人员（自助打印、查询类不勾选）", required=False, initial=True
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matters"] = _checkboxes("事项", selectors_setup.center_matters(center))


class GrantForm(forms.Form):
    matter = forms.ModelChoiceField(label="事项", queryset=None, empty_label="请选择事项…")
    may_decide = forms.BooleanField(
        label="可当场办结（即收即办）",
        required=False,
        help_text="不勾选：只可受理，由部门审查决定。",
    )

    def __init__(self, *args, center, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = selectors_setup.center_matters(center)


# --- opening hours ---------------------------------------------------------------------------


WEEKDAY_CHOICES = [(str(i), name) for i, name in enumerate(schedule.WEEKDAY_NAMES)]


class PeriodForm(forms.Form):
    weekdays = forms.MultipleChoiceField(
        label="星期", choices=WEEKDAY_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    season = forms.ChoiceField(label="季节", choices=OpeningPeriod.Season.choices)
    start = forms.TimeField(label="开始", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="结束", widget=forms.TimeInput(attrs={"type": "time"}))
    extended = forms.BooleanField(label="错时延时服务", required=False)

    def __init__(self, *args, center=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"] = _checkboxes(
            "服务类别（不选为全部类别）",
            selectors_setup.active_categories(center),
        )
        self.fields["windows"] = _checkboxes(
            "服务窗口（错时延时服务填写）", selectors_setup.active_windows(center)
        )


class BasePeriodFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "center": self.center}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            center=self.center,
            renderer=self.renderer,
        )
        self.add_fields(form, None)
        return form


PeriodFormSet = forms.formset_factory(
    PeriodForm, formset=BasePeriodFormSet, extra=2, can_delete=True
)


class SummerForm(forms.Form):
    summer_start = forms.CharField(label="夏季开始（月-日）", max_length=5, initial="05-01")
    summer_end = forms.CharField(label="夏季结束（月-日）", max_length=5, initial="09-30")

    def _md(self, name):
        raw = self.cleaned_data[name].strip()
        try:
            month, day = (int(x) for x in raw.split("-"))
        except ValueError:
            raise forms.ValidationError("请按“月-日”填写，如05-01。") from None
        return month, day

    def clean_summer_start(self):
        return self._md("summer_start")

    def clean_summer_end(self):
        return self._md("summer_end")
