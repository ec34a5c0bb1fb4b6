"""监督查评 through the API (R-EVAL-1): a supervisor's review from a spot check of a
center, one of its departments, windows or matters, by the same service as the page
``evaluation:spot_check`` (``review_spot_check``: only who may ``review.spot_check``;
the text is required). A center outside the caller's scope is 404."""

from __future__ import annotations

from ninja import Field, Router, Schema

from onewindow.core.api import AUTH, Status, request_scope
from onewindow.core.errors import NotFound
from onewindow.core.paging import MAX_ID
from onewindow.evaluation import scheme, selectors_pages, services
from onewindow.evaluation.api import FormOut, ReviewOut

router = Router(tags=["好差评"])


class SpotCheckIn(Schema):
    center_id: int = Field(..., ge=1, le=MAX_ID, description="被查评的服务中心")
    subject: str = Field(
        "center", description="点评对象：center 服务中心、department 部门、window 窗口、matter 事项"
    )
    department_id: int | None = Field(None, ge=1, le=MAX_ID)
    window_id: int | None = Field(None, ge=1, le=MAX_ID)
    matter_id: int | None = Field(None, ge=1, le=MAX_ID)
    level: int = Field(..., ge=1, le=5, description="5 非常满意 … 1 非常不满意")
    reasons: list[str] = Field(default_factory=list, max_length=20)
    text: str = Field(..., max_length=2000, description="查评情况（必填）")


@router.get("/spot-checks/form", response=FormOut, auth=AUTH, summary="监督查评的表单")
def spot_check_form(request):
    f = services.form_for_spot_check()
    return {
        "kind": f.kind,
        "where": f.where,
        "indicators": [{"code": c, "label": t} for c, t in f.indicator_choices],
        "bad_reasons": [{"code": c, "label": t} for c, t in f.bad_reasons],
        "good_reasons": [{"code": c, "label": t} for c, t in f.good_reasons],
    }


@router.post("/spot-checks", response={201: ReviewOut}, auth=AUTH, summary="录入监督查评")
def spot_check(request, payload: SpotCheckIn):
    centers = selectors_pages.scope_centers(request_scope(request))
    center = centers.filter(pk=payload.center_id).first()
    if center is None:
        raise NotFound("center.not_found", "未找到该服务中心。")
    targets = selectors_pages.subject_targets(
        {
            "department": payload.department_id,
            "window": payload.window_id,
            "matter": payload.matter_id,
        }
    )
    review = services.review_spot_check(
        actor=request.user,
        subject=payload.subject if payload.subject in scheme.SUBJECTS else "",
        center=center,
        **targets,
        level=payload.level,
        reasons=[r[:30] for r in payload.reasons],
        text=payload.text,
    )
    return Status(201, review)
