"""Case pages: the public progress page (no login) and the printed notices (staff)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from onewindow.cases import notices, selectors
from onewindow.cases.models import BundleApplication, Case
from onewindow.cases.selectors.progress import progress_lookup
from onewindow.core.errors import Conflict, NotFound
from onewindow.core.middleware import client_ip
from onewindow.core.pdf import PdfUnavailable
from onewindow.core.ratelimit import RateLimited

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
            found = progress_lookup(number=number, phone_tail=tail, client=client_ip(request))
        except (NotFound, RateLimited) as exc:
            context["error"] = exc.message
        else:
            if isinstance(found, BundleApplication):  # "one thing": each part and the whole
                context["bundle"] = bundles.bundle_overview(found)
            else:
                context.update(_progress_context(found))
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
        pdf = notices.render_notice_pdf(case, kind, request=request)
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
