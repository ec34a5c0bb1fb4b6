"""The catalog's Excel workbook through the API, as on the catalog's Excel pages (R-CAT-2,
R-CAT-5): the blank template, a center's (or the caller's whole scope's) catalog exported
in the same format and under the same file name, and a filled workbook imported (multipart
upload, as the page's).

The import is the page's, all or nothing: every row of every sheet is checked against the
catalog and the caller's scope; any error answers 422 ``catalog_import.invalid`` with every
bad cell in ``fields`` (key ``工作表:行:列``) and changes nothing; a clean file is applied
through the catalog services (guides to the process-change review, new listings to the
government office) and the answer counts what was done. ``check_only`` checks without
applying (the page's first step). For catalog staff only (``catalog.excel``, else 403);
a center outside the caller's scope is 404.

A large workbook is applied in the background, as the page's confirmation does
(``excel.jobs``): ``POST excel/import-jobs`` checks the file as above (errors: 422, no
job), then starts the apply and answers 202 with the job; ``GET excel/import-jobs/{id}``
shows its state (running, done, failed, error), progress and, for a refused apply, every
bad cell. A job is seen only by the user who started it: anyone else gets 404."""

from __future__ import annotations

from django.utils import timezone
from ninja import Field, File, Form, Path, Query, Router, Schema
from ninja.files import UploadedFile

from onewindow.catalog import excel
from onewindow.catalog.excel import jobs
from onewindow.catalog.excel.columns import COUNT_LABELS
from onewindow.catalog.forms import MAX_UPLOAD_BYTES
from onewindow.core import xlsx
from onewindow.core.api import AUTH, Status, request_scope
from onewindow.core.errors import DomainError, Forbidden, InvalidInput, NotFound
from onewindow.core.paging import MAX_ID
from onewindow.core.roles import may
from onewindow.org.models import Center

router = Router(tags=["事项目录（Excel 导入导出）"], auth=AUTH)

EXCEL_ANSWER = {
    "responses": {
        200: {
            "description": "Excel 工作簿",
            "content": {xlsx.CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}
FILE_KEY = "file"


class TooLarge(DomainError):
    status = 413


class ImportCountOut(Schema):
    key: str
    label: str
    count: int


class ImportOut(Schema):
    applied: bool
    publish: bool
    summary: list[str]
    counts: list[ImportCountOut]


class ImportErrorOut(Schema):
    sheet: str | None
    row: int | None
    column: str | None
    message: str


class ImportJobOut(Schema):
    id: str
    state: str = Field(description="running 导入中 / done 已完成 / failed 未执行 / error 系统错误")
    done: int
    total: int
    percent: int
    message: str
    filename: str
    publish: bool
    summary: list[str]
    errors: list[ImportErrorOut]


JobId = Path(..., pattern="^[0-9a-f]{32}$", description="导入任务编号")


def _require_catalog_staff(request) -> None:
    if not may(request.user, "catalog.excel"):
        raise Forbidden(
            "catalog_excel.forbidden", "只有中心管理员和部门工作人员可以导入导出事项清单。"
        )


def _upload(request, file, publish: bool) -> bytes:
    """The uploaded workbook's bytes, once the caller and the file may go on."""
    _require_catalog_staff(request)
    if file is None:
        said = "请选择要上传的Excel文件。"
        raise InvalidInput("file.empty", said, {FILE_KEY: said})
    if file.size > MAX_UPLOAD_BYTES:
        said = f"文件过大（超过{MAX_UPLOAD_BYTES // 1024 // 1024}MB），请分批导入。"
        raise TooLarge("file.too_large", said, {FILE_KEY: said})
    data = file.read()
    if not data:
        said = "上传的文件是空的，请选择填写好的Excel文件。"
        raise InvalidInput("file.empty", said, {FILE_KEY: said})
    if publish and not request.user.is_superuser:
        raise Forbidden(
            "catalog_excel.publish_forbidden",
            "只有系统管理员可以直接发布导入的事项清单（用于导入已经省级平台审定的清单）。",
        )
    return data


def _refuse(report) -> None:
    if not report.ok:
        raise InvalidInput(
            "catalog_import.invalid",
            f"文件中有{len(report.errors)}处错误，没有作任何修改；请逐项改正后重新上传。",
            _error_fields(report),
        )


def _job_out(job_id: str, job: dict) -> dict:
    report = job.get("report") or {}
    return {
        "id": job_id,
        **{key: job[key] for key in ("state", "done", "total", "percent", "message")},
        "filename": job.get("filename", ""),
        "publish": bool(job.get("publish")),
        "summary": report.get("summary", []),
        "errors": report.get("errors", []),
    }


def _error_fields(report) -> dict[str, str]:
    """Every bad cell of the report, keyed ``工作表:行:列`` (``文件`` for the file)."""
    fields: dict[str, list[str]] = {}
    for e in report.errors:
        key = f"{e.sheet}:{e.row}:{e.column}" if e.row else (e.sheet or "文件")
        fields.setdefault(key, []).append(e.message)
    return {key: "；".join(messages) for key, messages in fields.items()}


def _answer(report) -> dict:
    return {
        "applied": report.applied,
        "publish": report.publish,
        "summary": report.summary(),
        "counts": [
            {"key": key, "label": label, "count": report.counts[key]}
            for key, label in COUNT_LABELS
            if report.counts.get(key)
        ],
    }


@router.get("/excel/template", summary="事项清单导入模板（Excel）", openapi_extra=EXCEL_ANSWER)
def excel_template(request):
    _require_catalog_staff(request)
    return xlsx.response(excel.template_workbook(), "事项清单导入模板.xlsx")


@router.get(
    "/excel/export",
    summary="导出事项清单（Excel，与导入模板同一格式）",
    openapi_extra=EXCEL_ANSWER,
)
def excel_export(
    request,
    center_id: int | None = Query(
        None, ge=1, le=MAX_ID, description="服务中心（缺省为可见范围内全部）"
    ),
):
    _require_catalog_staff(request)
    center = None
    if center_id is not None:
        center = Center.objects.visible_to(request_scope(request)).filter(pk=center_id).first()
        if center is None:
            raise NotFound("center.not_found", "未找到该中心。")
    book = excel.export_workbook(actor=request.user, center=center)
    stamp = timezone.localdate().isoformat()
    name = f"事项清单-{center.name if center else '全部'}-{stamp}.xlsx"
    return xlsx.response(book, name)


@router.post(
    "/excel/import",
    response=ImportOut,
    summary="导入事项清单（上传 .xlsx；有任何错误则不作任何修改，逐格列出错误）",
)
def excel_import(
    request,
    file: File[UploadedFile] = None,
    publish: Form[bool] = False,
    check_only: Form[bool] = False,
):
    data = _upload(request, file, publish)
    report = excel.import_catalog(data, actor=request.user, publish=publish, dry_run=check_only)
    _refuse(report)
    return _answer(report)


@router.post(
    "/excel/import-jobs",
    response={202: ImportJobOut},
    summary="导入事项清单（后台执行：先检查文件，无误则开始导入并返回导入任务）",
)
def excel_import_job_start(
    request,
    file: File[UploadedFile] = None,
    publish: Form[bool] = False,
):
    data = _upload(request, file, publish)
    _refuse(excel.import_catalog(data, actor=request.user, publish=publish, dry_run=True))
    job_id = jobs.job_start(
        user=request.user,
        token=jobs.upload_store(data),
        publish=publish,
        filename=(file.name or "")[:200],
    )
    return Status(202, _job_out(job_id, jobs.job_get(user=request.user, job_id=job_id)))


@router.get(
    "/excel/import-jobs/{job_id}",
    response=ImportJobOut,
    summary="导入任务的进度与结果（仅发起人可见）",
)
def excel_import_job(request, job_id: str = JobId):
    _require_catalog_staff(request)
    job = jobs.job_get(user=request.user, job_id=job_id)
    if job is None:
        raise NotFound("catalog_import.job_not_found", "未找到该导入任务。")
    return _job_out(job_id, job)
