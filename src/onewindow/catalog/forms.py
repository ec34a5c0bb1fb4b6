"""Forms of the catalog's staff pages. They check the shape of the input; the
services check the rules (R-CAT-5..8, R-CAT-3/4)."""

from __future__ import annotations

from django import forms

from onewindow.catalog.models import (
    ChangeRequest,
    LimitUnit,
    Listing,
    Material,
    MaterialType,
    Matter,
    OnlineDepth,
)
from onewindow.org.models import Center, Department

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
OUTSIDE_REASON_CHOICES = [("", "—"), *Listing._meta.get_field("outside_reason").choices]
TEXT = forms.TextInput
AREA = forms.Textarea


def query_int(request, name: str) -> int | None:
    """A positive integer from the query string; anything else is treated as absent."""
    raw = (request.GET.get(name) or "").strip()
    if not raw.isdigit() or len(raw) > 9:
        return None
    return int(raw)


def query_text(request, name: str, limit: int = 40) -> str:
    """A query-string value without NUL characters and surrounding blanks, cut at
    ``limit`` characters (a search box: never an error)."""
    return (request.GET.get(name) or "").replace("\x00", "").strip()[:limit]


def show_error(form: forms.Form, error) -> None:
    """A service's error on the form shown again: each field's message at its field, the
    message itself at the top unless a field already says it."""
    placed = False
    for field, message in error.fields.items():
        if field in form.fields:
            form.add_error(field, message)
            placed = True
    if not placed or error.message not in error.fields.values():
        form.add_error(None, error.message)


def _area(rows: int = 3):
    return AREA(attrs={"rows": rows})


class GuideFieldsForm(forms.Form):
    """The texts and figures of a guide version (not its rows)."""

    legal_basis = forms.CharField(label="设定依据", widget=_area(3), max_length=4000)
    conditions = forms.CharField(label="受理条件", widget=_area(4), max_length=4000)
    statutory_days = forms.IntegerField(label="法定时限", min_value=0, max_value=3650)
    promised_days = forms.IntegerField(label="承诺时限", min_value=0, max_value=3650)
    limit_unit = forms.ChoiceField(label="时限单位", choices=LimitUnit.choices)
    visits = forms.IntegerField(label="到现场次数", min_value=0, max_value=20)
    online_depth = forms.ChoiceField(label="网办深度", choices=OnlineDepth.choices)
    is_free = forms.BooleanField(label="不收费", required=False)
    fees = forms.CharField(label="收费标准及依据", widget=_area(2), max_length=2000)
    result = forms.CharField(label="办理结果", max_length=200, required=False)
    compression_exception_reason = forms.CharField(
        label="未达压缩要求的理由",
        widget=_area(2),
        required=False,
        max_length=2000,
        help_text="承诺时限超过法定时限的40%时必须填写，并经审改部门终审认可。",
    )
    change_note = forms.CharField(
        label="修订说明", widget=_area(2), required=False, max_length=2000
    )

    def clean(self):
        data = super().clean()
        statutory, promised = data.get("statutory_days"), data.get("promised_days")
        if statutory is not None and promised is not None and promised > statutory:
            self.add_error("promised_days", "承诺时限不能超过法定时限。")
        return data


def material_type_choices():
    return [("", "—（无）"), *MaterialType.objects.order_by("name").values_list("code", "name")]


class MaterialRowForm(forms.Form):
    name = forms.CharField(
        label="材料名称",
        max_length=200,
        error_messages={"required": "请填写材料名称，或勾选“删除”。"},
    )
    material_type = forms.ChoiceField(label="通用材料", required=False, choices=())
    form = forms.ChoiceField(
        label="形式", choices=Material.Form.choices, initial=Material.Form.ORIGINAL
    )
    copies = forms.IntegerField(label="份数", min_value=1, max_value=99, initial=1)
    requirement = forms.ChoiceField(
        label="必要性", choices=Material.Requirement.choices, initial=Material.Requirement.REQUIRED
    )
    condition = forms.CharField(label="适用情形", max_length=300, required=False)
    source = forms.ChoiceField(
        label="来源", choices=Material.Source.choices, initial=Material.Source.APPLICANT
    )
    shared_from = forms.CharField(label="共享来源部门", max_length=100, required=False)
    pledge_allowed = forms.BooleanField(label="可告知承诺替代", required=False)
    paper_needed = forms.BooleanField(label="需纸质材料", required=False, initial=True)
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["material_type"].choices = material_type_choices()

    def clean(self):
        data = super().clean()
        if (
            data.get("requirement") == Material.Requirement.CONDITIONAL
            and not (data.get("condition") or "").strip()
        ):
            self.add_error("condition", "情形必要的材料须写明适用情形。")
        if (
            data.get("source") == Material.Source.SHARED
            and not (data.get("shared_from") or "").strip()
        ):
            self.add_error("shared_from", "部门共享获取的材料须写明共享来源部门。")
        return data


class StepRowForm(forms.Form):
    name = forms.CharField(
        label="环节", max_length=100, error_messages={"required": "请填写环节名称，或勾选“删除”。"}
    )
    description = forms.CharField(
        label="办理要求", required=False, max_length=2000, widget=_area(2)
    )
    days = forms.IntegerField(label="环节时限", min_value=0, max_value=3650, initial=0)


class FaqRowForm(forms.Form):
    question = forms.CharField(
        label="问题", max_length=300, error_messages={"required": "请填写问题，或勾选“删除”。"}
    )
    answer = forms.CharField(
        label="解答", max_length=2000, widget=_area(2), error_messages={"required": "请填写解答。"}
    )


FORM_FIELD_TYPES = [
    ("text", "文字"),
    ("id_number", "身份证号"),
    ("phone", "电话"),
    ("date", "日期"),
    ("number", "数字"),
    ("address", "地址"),
]


class FormFieldRowForm(forms.Form):
    key = forms.RegexField(
        label="字段标识",
        max_length=40,
        regex=r"^[a-z][a-z0-9_]*$",
        error_messages={
            "invalid": "字段标识只能用小写字母、数字和下划线，并以字母开头。",
            "required": "请填写字段标识，或勾选“删除”。",
        },
    )
    label = forms.CharField(
        label="名称", max_length=60, error_messages={"required": "请填写字段名称。"}
    )
    type = forms.ChoiceField(label="类型", choices=FORM_FIELD_TYPES, initial="text")
    required = forms.BooleanField(label="必填", required=False, initial=True)
    output = forms.BooleanField(
        label="办结后产生",
        required=False,
        initial=False,
        help_text="本事项办结后产生的信息（如登记发放的统一社会信用代码），不向申请人收取。",
    )


class RowFormSet(forms.BaseFormSet):
    """Rows that may be added and deleted; blank new rows are ignored."""

    unique_field: str = ""
    unique_message: str = ""

    def rows(self) -> list[dict]:
        return [row for _form, row in self.form_rows()]

    def form_rows(self) -> list[tuple[forms.Form, dict]]:
        """Each kept row with its form (blank new rows and deleted rows left out)."""
        pairs = []
        for form in self.forms:
            if not form.has_changed() and form.empty_permitted:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            pairs.append((form, {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}))
        return pairs

    def clean(self):
        if any(self.errors) or not self.unique_field:
            return
        seen = set()
        for row in self.rows():
            value = row.get(self.unique_field)
            if value in seen:
                raise forms.ValidationError(self.unique_message.format(value=value))
            seen.add(value)


class MaterialFormSet(RowFormSet):
    unique_field, unique_message = "name", "材料“{value}”重复，请合并为一项。"


class FormFieldFormSet(RowFormSet):
    unique_field, unique_message = "key", "字段标识“{value}”重复。"


def row_formsets(data=None, *, initial: dict | None = None) -> dict[str, forms.BaseFormSet]:
    initial = initial or {}
    spec = {
        "materials": (MaterialRowForm, MaterialFormSet),
        "steps": (StepRowForm, RowFormSet),
        "faq": (FaqRowForm, RowFormSet),
        "form_fields": (FormFieldRowForm, FormFieldFormSet),
    }
    sets = {}
    for prefix, (form, base) in spec.items():
        cls = forms.formset_factory(
            form,
            formset=base,
            extra=1,
            can_delete=True,
            max_num=200,
            absolute_max=300,
            validate_max=True,
        )
        sets[prefix] = cls(data, prefix=prefix, initial=initial.get(prefix))
    return sets


class SubmitReasonForm(forms.Form):
    reason = forms.CharField(
        label="流程优化说明",
        required=False,
        max_length=2000,
        widget=_area(2),
        help_text="提交流程再造审核时填写：本次精简了哪些环节、材料、时限或跑动次数，依据是什么。",
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="审核结论",
        choices=[("approve", "通过"), ("return", "退回修改")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择审核结论。"},
    )
    opinion = forms.CharField(label="审核意见", required=False, max_length=2000, widget=_area(3))
    accept_exception = forms.BooleanField(
        label="认可压缩例外",
        required=False,
        help_text="承诺时限超过法定时限的40%，认可其无法压缩的理由，列为例外事项。",
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="审批结论",
        choices=[("approve", "批准"), ("reject", "不予批准")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择审批结论。"},
    )
    opinion = forms.CharField(label="审批意见", required=False, max_length=2000, widget=_area(3))


class LocalFactsForm(forms.Form):
    """The local facts of a listing (R-CAT-10)."""

    place = forms.CharField(label="办理地点", max_length=200, required=False)
    hours = forms.CharField(label="办理时间", max_length=200, required=False)
    phone = forms.CharField(label="咨询电话", max_length=50, required=False)
    complaint_phone = forms.CharField(label="投诉电话", max_length=50, required=False)
    windows = forms.CharField(label="受理窗口", max_length=200, required=False)


class ListingRequestForm(LocalFactsForm):
    kind = forms.ChoiceField(
        label="申请类型",
        choices=[
            (ChangeRequest.Kind.CHANGE, "变更本地信息"),
            (ChangeRequest.Kind.CANCEL, "取消该事项"),
            (ChangeRequest.Kind.WITHDRAW, "退出中心办理"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择申请类型。"},
    )
    outside_reason = forms.ChoiceField(
        label="中心外办理原因", choices=OUTSIDE_REASON_CHOICES, required=False
    )
    outside_note = forms.CharField(label="中心外办理说明", max_length=300, required=False)
    reason = forms.CharField(
        label="申请理由",
        widget=_area(3),
        max_length=2000,
        error_messages={"required": "请填写申请理由。"},
    )

    field_order = [
        "kind",
        "reason",
        "place",
        "hours",
        "phone",
        "complaint_phone",
        "windows",
        "outside_reason",
        "outside_note",
    ]


class ListingEntryForm(LocalFactsForm):
    matter = forms.ModelChoiceField(
        label="事项",
        queryset=Matter.objects.none(),
        error_messages={"required": "请选择事项。", "invalid_choice": "请从列表中选择事项。"},
    )
    center = forms.ModelChoiceField(
        label="服务中心",
        queryset=Center.objects.none(),
        error_messages={
            "required": "请选择服务中心。",
            "invalid_choice": "请从列表中选择服务中心。",
        },
    )
    department = forms.ModelChoiceField(
        label="实施部门",
        queryset=Department.objects.none(),
        error_messages={
            "required": "请选择实施部门。",
            "invalid_choice": "请从列表中选择实施部门。",
        },
    )
    code = forms.RegexField(
        label="实施编码",
        max_length=60,
        regex=r"^[A-Za-z0-9_-]+$",
        error_messages={
            "invalid": "实施编码只能包含字母、数字、下划线和短横线。",
            "required": "请填写实施编码。",
        },
    )
    handled_outside = forms.BooleanField(label="在中心外办理", required=False)
    outside_reason = forms.ChoiceField(
        label="中心外办理原因", choices=OUTSIDE_REASON_CHOICES, required=False
    )
    outside_note = forms.CharField(label="中心外办理说明", max_length=300, required=False)
    reason = forms.CharField(
        label="申请理由",
        widget=_area(3),
        max_length=2000,
        error_messages={"required": "请填写申请理由。"},
    )

    field_order = [
        "matter",
        "center",
        "department",
        "code",
        "place",
        "hours",
        "phone",
        "complaint_phone",
        "windows",
        "handled_outside",
        "outside_reason",
        "outside_note",
        "reason",
    ]

    def __init__(self, *args, matters, centers, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matter"].queryset = matters
        self.fields["center"].queryset = centers
        self.fields["department"].queryset = departments

    def clean(self):
        data = super().clean()
        if data.get("handled_outside") and not data.get("outside_reason"):
            self.add_error("outside_reason", "在中心外办理须注明原因（场地限制或涉及国家秘密等）。")
        return data


# --- Excel import and export ------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(
        label="事项清单文件（.xlsx）",
        error_messages={
            "required": "请选择要上传的Excel文件。",
            "empty": "上传的文件是空的，请选择填写好的Excel文件。",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}),
    )
    publish = forms.BooleanField(
        label="直接发布（仅用于导入已经省级平台审定的清单）",
        required=False,
        help_text="勾选后办事指南直接发布、实施清单直接生效，不再经流程再造审核和政府办公室审批。",
    )

    def __init__(self, *args, allow_publish: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_publish:
            del self.fields["publish"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"文件过大（超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB），请分批导入。"
            )
        return upload


class ExportForm(forms.Form):
    center = forms.ModelChoiceField(
        label="服务中心",
        queryset=Center.objects.none(),
        required=False,
        empty_label="我可见范围内的全部",
        to_field_name="code",
    )

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = Center.objects.visible_to(scope).select_related("region")


class EntrustmentForm(forms.Form):
    """Record an entrustment (委托事项) of a matter: who, to whom, since when, by which
    document. The choices are the departments and centers in the reader's scope."""

    department = forms.ModelChoiceField(
        label="委托部门",
        queryset=Department.objects.none(),
        error_messages={"required": "请选择委托部门。", "invalid_choice": "请从列表中选择部门。"},
    )
    center = forms.ModelChoiceField(
        label="受托中心/代办点",
        queryset=Center.objects.none(),
        error_messages={
            "required": "请选择受托的中心或代办点。",
            "invalid_choice": "请从列表中选择中心或代办点。",
        },
    )
    item = forms.CharField(label="委托子项（可选）", max_length=200, required=False)
    start = forms.DateField(
        label="委托起始日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写委托起始日期。", "invalid": "日期格式不正确。"},
    )
    end = forms.DateField(
        label="委托截止日期（可选）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "日期格式不正确。"},
    )
    document_number = forms.CharField(
        label="委托文件文号",
        max_length=100,
        error_messages={"required": "请填写委托文件文号。"},
    )
    document_title = forms.CharField(
        label="委托文件标题", max_length=200, error_messages={"required": "请填写委托文件标题。"}
    )

    def __init__(self, *args, departments=None, centers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments
        if centers is not None:
            self.fields["center"].queryset = Center.objects.filter(pk__in=[c.pk for c in centers])


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(
        label="撤销日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写撤销日期。", "invalid": "日期格式不正确。"},
    )
    reason = forms.CharField(
        label="撤销原因", max_length=300, error_messages={"required": "撤销委托须写明原因。"}
    )
