"""Case pages: the public progress page (no login) and the printed notices (staff)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from onewindow.cases import documents, selectors
from onewindow.cases.models import Case
from onewindow.core.errors import Conflict, NotFound
from onewindow.core.pdf import PdfUnavailable

PUBLIC_STEPS = ["已提交", "已受理", "办理中", "已办结", "已送达"]


def _timeline(case: Case) -> list[dict]:
    return selectors.public_timeline(case)


def _progress_context(case: Case) -> dict:
    from onewindow.cases.services.assisted import project_agent_for_case

    current = case.public_status
    reached = PUBLIC_STEPS.index(current) if current in PUBLIC_STEPS else None
    return {
        "case": case,
        "status": current,
        "steps": [
            {"label": s, "done": reached is not None and i <= reached}
            for i, s in enumerate(PUBLIC_STEPS)
        ],
        "timeline": _timeline(case),
        "correction": case.corrections.filter(state="open").first(),
        "agent": project_agent_for_case(case),
    }


def progress(request):
    number = (request.GET.get("number") or "").strip()[:32]
    tail = (request.GET.get("tail") or "").strip()[:4]
    context = {"number": number, "tail": tail}
    if number or tail:
        from onewindow.cases.services import bundles

        try:
            app = bundles.bundle_public_progress(number=number, phone_tail=tail)
            if app is not None:  # a "one thing" application: each part and the whole
                context["bundle"] = bundles.bundle_overview(app)
            else:
                case = selectors.public_progress(number=number, phone_tail=tail)
        except NotFound as exc:
            context["error"] = exc.message
        else:
            if app is None:
                context.update(_progress_context(case))
    return render(request, "cases/progress.html", context)


def progress_token(request, token: str):
    case = (
        Case.objects.select_related("matter", "center", "deadline").filter(token=token[:40]).first()
    )
    if case is None:
        raise Http404
    return render(request, "cases/progress.html", _progress_context(case))


@login_required
def notice(request, case_id: int, kind: str):
    try:
        case = selectors.case_get_for(scope=request.scope, case_id=case_id)
        pdf = documents.render_notice_pdf(case, kind, request=request)
    except NotFound:
        raise Http404 from None
    except (Conflict, PdfUnavailable) as exc:
        return render(
            request,
            "cases/notice_unavailable.html",
            {"message": exc.message, "case": case},
            status=exc.status,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number}-{kind}.pdf"'
    return response
