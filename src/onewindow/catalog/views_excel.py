"""Excel import and export of the catalog for staff (center administrators and
department staff, within their scope). Thin: the workbook work is in
``onewindow.catalog.excel``, background applies in ``excel_jobs``."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from onewindow.catalog import excel, excel_jobs
from onewindow.core import xlsx
from onewindow.core.roles import Role
from onewindow.org.models import Center

CATALOG_ROLES = frozenset({Role.CENTER_ADMIN, Role.APPROVER, Role.CHIEF_REP, Role.LEADER})
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SESSION_KEY = "catalog_excel_upload"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_catalog_staff(user) -> None:
    if user.is_superuser:
        return
    profile = getattr(user, "staff_profile", None)
    if profile is None or not profile.active or not profile.roles & CATALOG_ROLES:
        raise PermissionDenied("只有中心管理员和部门工作人员可以导入导出事项清单。")


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


def _xlsx_response(book, filename: str):
    return xlsx.response(book, filename)


@login_required
def excel_import(request):
    """Upload → check every row → show all errors, or what would change and a confirm button."""
    _require_catalog_staff(request.user)
    allow_publish = request.user.is_superuser
    context: dict = {"allow_publish": allow_publish}
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, allow_publish=allow_publish)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            publish = bool(form.cleaned_data.get("publish"))
            report, _plan = excel.validate(data, actor=request.user, publish=publish)
            previous = request.session.pop(SESSION_KEY, None)
            if previous:
                excel_jobs.upload_discard(previous.get("token"))
            context.update(report=report, filename=upload.name)
            if report.ok:
                token = excel_jobs.upload_store(data)
                request.session[SESSION_KEY] = {
                    "token": token,
                    "name": upload.name[:200],
                    "publish": publish,
                }
                context["token"] = token
    else:
        form = UploadForm(allow_publish=allow_publish)
    context["form"] = form
    return render(request, "catalog/excel_import.html", context)


@login_required
@require_POST
def excel_apply(request):
    _require_catalog_staff(request.user)
    pending = request.session.get(SESSION_KEY) or {}
    token = request.POST.get("token", "")
    if not pending or pending.get("token") != token or excel_jobs.upload_path(token) is None:
        return render(
            request,
            "catalog/excel_import.html",
            {
                "form": UploadForm(allow_publish=request.user.is_superuser),
                "allow_publish": request.user.is_superuser,
                "stale": True,
            },
            status=400,
        )
    request.session.pop(SESSION_KEY, None)
    job_id = excel_jobs.job_start(
        user=request.user,
        token=token,
        publish=bool(pending.get("publish")),
        filename=pending.get("name", ""),
    )
    return redirect("catalog:excel_job", job_id=job_id)


def _job_or_404(request, job_id: str) -> dict:
    _require_catalog_staff(request.user)
    job = excel_jobs.job_get(user=request.user, job_id=job_id)
    if job is None:
        raise Http404("未找到该导入任务。")
    return job


@login_required
@require_GET
def excel_job(request, job_id: str):
    job = _job_or_404(request, job_id)
    return render(request, "catalog/excel_job.html", {"job": job, "job_id": job_id})


@login_required
@require_GET
def excel_job_status(request, job_id: str):
    job = _job_or_404(request, job_id)
    report = job.get("report") or {}
    return JsonResponse(
        {
            "state": job["state"],
            "done": job["done"],
            "total": job["total"],
            "percent": job["percent"],
            "message": job["message"],
            "summary": report.get("summary", []),
            "error_count": len(report.get("errors", [])),
        }
    )


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


@login_required
@require_GET
def excel_export(request):
    _require_catalog_staff(request.user)
    if "download" not in request.GET:
        return render(
            request, "catalog/excel_export.html", {"form": ExportForm(scope=request.scope)}
        )
    form = ExportForm(request.GET, scope=request.scope)
    if not form.is_valid():
        return render(request, "catalog/excel_export.html", {"form": form}, status=400)
    center = form.cleaned_data["center"]
    book = excel.export_workbook(actor=request.user, center=center)
    stamp = timezone.localdate().isoformat()
    name = f"事项清单-{center.name if center else '全部'}-{stamp}.xlsx"
    return _xlsx_response(book, name)


@login_required
@require_GET
def excel_template(request):
    _require_catalog_staff(request.user)
    return _xlsx_response(excel.template_workbook(), "事项清单导入模板.xlsx")
