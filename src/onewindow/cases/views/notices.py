"""The printed notices of a case (staff): receipt, refusal, correction, withdrawal and
conclusion, as PDF; a notice the case does not have, or a server that cannot make PDF,
answers with a page saying so."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from onewindow.cases import notices, selectors
from onewindow.core.errors import Conflict
from onewindow.core.pages import attempt
from onewindow.core.pdf import PdfUnavailable


@login_required
def notice(request, case_id: int, kind: str):
    case = selectors.case_get_for(scope=request.scope, case_id=case_id)
    outcome = attempt(notices.render_notice_pdf, case, kind, request=request)
    if not outcome.ok:
        if not isinstance(outcome.error, Conflict | PdfUnavailable):
            raise outcome.error
        return render(
            request,
            "cases/notice_unavailable.html",
            {"message": outcome.error.message, "case": case},
            status=outcome.error.status,
        )
    response = HttpResponse(outcome.value, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.number}-{kind}.pdf"'
    return response
