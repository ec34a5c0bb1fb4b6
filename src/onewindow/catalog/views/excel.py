"""Excel import and export of the catalog for staff (center administrators and
department staff, within their scope). Thin: the workbook work is in
``onewindow.catalog.excel``, background applies in ``excel.jobs``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from onewindow.catalog import excel
from onewindow.catalog.excel import jobs
from onewindow.catalog.forms import ExportForm, UploadForm
from onewindow.core import xlsx
from onewindow.core.roles import may

SESSION_KEY = "catalog_excel_upload"


def _require_catalog_staff(user) -> None:
    if not may(user, "catalog.excel"):
        raise PermissionDenied("只有中心管理员和部门工作人员可以导入导出事项清单。")


def _check_upload(request, form: UploadForm) -> dict:
    """Check every row of the upload; keep a clean one for the confirm button."""
    upload = form.cleaned_data["file"]
    data = upload.read()
    publish = bool(form.cleaned_data.get("publish"))
    report, _plan = excel.validate(data, actor=request.user, publish=publish)
    previous = request.session.pop(SESSION_KEY, None)
    if previous:
        jobs.upload_discard(previous.get("token"))
    found = {"report": report, "filename": upload.name}
    if report.ok:
        token = jobs.upload_store(data)
        request.session[SESSION_KEY] = {
            "token": token,
            "name": upload.name[:200],
            "publish": publish,
        }
        found["token"] = token
    return found


@login_required
def excel_import(request):
    """Upload → check every row → show all errors, or what would change and a confirm button."""
    _require_catalog_staff(request.user)
    allow_publish = request.user.is_superuser
    context: dict = {"allow_publish": allow_publish}
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, allow_publish=allow_publish)
        if form.is_valid():
            context.update(_check_upload(request, form))
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
    if not pending or pending.get("token") != token or jobs.upload_path(token) is None:
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
    job_id = jobs.job_start(
        user=request.user,
        token=token,
        publish=bool(pending.get("publish")),
        filename=pending.get("name", ""),
    )
    return redirect("catalog:excel_job", job_id=job_id)


def _job_or_404(request, job_id: str) -> dict:
    _require_catalog_staff(request.user)
    job = jobs.job_get(user=request.user, job_id=job_id)
    if job is None:
        raise Http404("未找到该导入任务。")
    return job


@login_required
@require_GET
def excel_job(request, job_id: str):
    job = _job_or_404(request, job_id)
    return render(
        request,
        "catalog/excel_job.html",
        {"job": job, "job_id": job_id, "phase": jobs.job_flags(job)},
    )


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
    return xlsx.response(book, name)


@login_required
@require_GET
def excel_template(request):
    _require_catalog_staff(request.user)
    return xlsx.response(excel.template_workbook(), "事项清单导入模板.xlsx")
