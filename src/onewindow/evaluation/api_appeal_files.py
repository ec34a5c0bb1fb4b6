"""An appeal's file of evidence through the API (R-EVAL-2), as the rectification page
offers it: read back, as stored (its type told by content when it was uploaded), by
whoever sees the appeal; outside the caller's scope, or with no evidence, 404. The file
is uploaded with the appeal (``POST /evaluation/reviews/{review_id}/appeals``, multipart
``evidence``) through the files service that every upload goes through: size limit,
content check, nothing kept of a refused file."""

from __future__ import annotations

from ninja import Router

from onewindow.core.api import AUTH
from onewindow.core.errors import NotFound
from onewindow.core.paging import Id
from onewindow.evaluation.selectors_pages import appeal_get_for
from onewindow.files import storage

router = Router(tags=["好差评"], auth=AUTH)

FILE_ANSWER = {
    "responses": {
        200: {
            "description": "证据文件（原样，类型按内容识别）",
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}}
                for t in sorted(storage.EXTENSIONS)
            },
        }
    }
}


@router.get(
    "/appeals/{appeal_id}/evidence",
    response={200: None},
    summary="下载申诉的证据文件（能看到该申诉的人）",
    openapi_extra=FILE_ANSWER,
)
def appeal_evidence(request, appeal_id: Id):
    appeal = appeal_get_for(user=request.user, appeal_id=appeal_id)
    if appeal.evidence is None:
        raise NotFound("appeal.no_evidence", "该申诉没有附证据文件。")
    return storage.file_response(appeal.evidence)
