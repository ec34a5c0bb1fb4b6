"""补交材料 at the self-service terminal (R-HALL-7, R-CIT-2): a citizen whose case needs
correction (补正), or whose online application still lacks materials, identifies
themselves (case number and phone tail, or the identity card and phone tail), sees the
materials still to give, lays each paper under the terminal's document camera (高拍仪,
docs/terminal-devices.md), checks the picture and confirms it. The picture is uploaded
like any file a citizen gives on their own link: the same upload limits, the same
``document_attach`` service (type and size checks, the file store, the case's event and
audit row). With no camera answering the page says so and sends the paper to the window.

The terminal is shared, so the identification is carried by a signed token in the
address that expires after ``SESSION_SECONDS``; nothing is kept in a session.
"""

from __future__ import annotations

from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from onewindow.cases import states
from onewindow.cases.models import Case
from onewindow.cases.selectors import pages
from onewindow.cases.services import files as file_services
from onewindow.core.errors import DomainError, InvalidInput
from onewindow.core.middleware import client_ip
from onewindow.core.pages import attempt
from onewindow.files import storage
from onewindow.hall import selectors as hall_selectors
from onewindow.portal.views.hall import devices

SALT = "onewindow.terminal.materials"
SESSION_SECONDS = 600
START = "hall/screens/terminal_materials.html"
LIST = "hall/screens/terminal_materials_case.html"
NOTHING_TO_GIVE = "该办件当前为“{status}”，不需要在终端补交材料。如有疑问，请到服务台咨询。"


def _token(center, case: Case) -> str:
    return signing.dumps({"t": center.pk, "c": case.pk}, salt=SALT, compress=True)


def _case_of(center, token: str) -> Case:
    """The case a fresh token names at this terminal; 404 when it is forged, expired or
    of another terminal."""
    try:
        data = signing.loads(token, salt=SALT, max_age=SESSION_SECONDS)
    except signing.BadSignature:
        raise Http404("识别已过期，请重新输入。") from None
    if not isinstance(data, dict) or data.get("t") != center.pk:
        raise Http404("识别已过期，请重新输入。")
    case = pages.case_by_pk(data.get("c"))
    if case is None:
        raise Http404("未找到该办件。")
    return case


@never_cache
@require_http_methods(["GET", "POST"])
@devices.terminal_page
def terminal_materials(request, center_id):
    """Who is giving materials: the case number (or the identity card) and phone tail."""
    center = hall_selectors.display_center(center_id)
    posted = request.POST if request.method == "POST" else {}
    context = {
        "center": center,
        "number": str(posted.get("number") or "").strip().upper()[:32],
        "tail": str(posted.get("tail") or "").strip()[:4],
        "id_number": str(posted.get("id_number") or "").strip().upper()[:18],
        "device_url": devices.device_service_url(),
    }
    status = 200
    if request.method == "POST":
        answer = pages.terminal_cases_answer(
            number=context["number"],
            id_number=context["id_number"],
            phone_tail=context["tail"],
            center=center,
            client=f"terminal:{center.pk}:{client_ip(request)}",
        )
        if answer.error:
            context["error"], status = answer.error, answer.status
        elif len(answer.found) == 1:
            return redirect(
                "portal:terminal_materials_case", center.pk, _token(center, answer.found[0])
            )
        else:
            context["choices"] = [(c, _token(center, c)) for c in answer.found]
    context["id_number"] = ""  # never shown again
    return devices.allow_device_service(render(request, START, context, status=status))


def _rows(case: Case) -> list[dict]:
    """Each material the applicant gives: asked for in the open correction (until a
    file comes after the notice), still to give, or given."""
    correction = pages.open_correction(case)
    items = (correction.items if correction else []) or []
    asked = {item.get("material_id") for item in items} - {None}
    rows = []
    for material, document in pages.upload_rows(case):
        given = document is not None and bool(document.file_id or document.by_pledge)
        if given and material.pk in asked:
            given = bool(document.file_id) and document.received_at >= correction.issued_at
        rows.append(
            {
                "material": material,
                "asked": material.pk in asked and not given,
                "given": given,
                "document": document,
            }
        )
    rows.sort(key=lambda r: (not r["asked"], r["given"]))
    return rows


def _case_context(request, center, case: Case, token: str) -> dict:
    correction = pages.open_correction(case)
    allowed = file_services.attach_allowed(case, applicant=True)
    return {
        "center": center,
        "case": case,
        "token": token,
        "status": case.public_status,
        "correction": correction,
        "allowed": allowed,
        "refused": "" if allowed else NOTHING_TO_GIVE.format(status=case.public_status),
        "rows": _rows(case) if allowed else [],
        "draft": case.state == states.DRAFT,
        "device_url": devices.device_service_url(),
        "max_upload": storage.human_size(storage.max_bytes()),
        "seconds": SESSION_SECONDS,
    }


@never_cache
@require_http_methods(["GET"])
@devices.terminal_page
def terminal_materials_case(request, center_id, token):
    center = hall_selectors.display_center(center_id)
    case = _case_of(center, token)
    context = _case_context(request, center, case, token)
    done = str(request.GET.get("done") or "")
    if done.isdigit():
        context["done"] = next(
            (m.name for m, _ in pages.upload_rows(case) if str(m.pk) == done), ""
        )
    if request.GET.get("closed") == "1" and not context["allowed"]:
        # the file completed the correction notice: the case went back on its own
        context["refused"] = ""
        context["closed"] = "窗口受理" if case.state == states.INTAKE else "部门继续审查"
    return devices.allow_device_service(render(request, LIST, context))


@csrf_exempt
@devices.terminal_page
def terminal_materials_upload(request, center_id, token):
    """The upload limit is set before the body is read; the CSRF check runs right after."""
    if request.method == "POST":
        storage.limit_uploads(request)
    return _upload(request, center_id, token)


def _attach(request, case: Case):
    storage.check_request(request)
    upload = request.FILES.get("file")
    if upload is None:
        raise InvalidInput("file.empty", "没有收到拍摄的图像，请重新拍摄。", {"file": "请拍摄。"})
    raw = str(request.POST.get("material") or "").strip()
    return file_services.correction_document_attach(
        actor=devices.terminal_actor(request, case.center),
        case=case,
        material=int(raw) if raw.isdigit() and len(raw) < 12 else None,
        upload=upload,
    )


@csrf_protect
@require_POST
def _upload(request, center_id, token):
    center = hall_selectors.display_center(center_id)
    case = _case_of(center, token)
    outcome = attempt(_attach, request, case)
    if outcome.ok:
        url = reverse("portal:terminal_materials_case", args=[center.pk, token])
        done = outcome.value
        closed = "&closed=1" if done.correction_closed else ""
        return redirect(f"{url}?done={done.document.material_id}{closed}")
    error: DomainError = outcome.error
    case.refresh_from_db()
    context = _case_context(request, center, case, token)
    context["error"] = error.message
    return devices.allow_device_service(render(request, LIST, context, status=error.status))
