"""The public verification of an electronic licence (R-MSG-2), no sign-in: by the code
typed in or the QR code's link; it says valid, revoked (when, why) or replaced (by
which), after the signature is checked, and shows no more than the licence shows. And
the applicant's download of a valid licence through their case's secret link."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from onewindow.cases.selectors import pages
from onewindow.licences import selectors
from onewindow.licences.document import pdf_response
from onewindow.licences.payload import grouped


def _answer(request, text: str):
    result = selectors.verify_code(text) if text.strip() else None
    status = 404 if result is not None and result.status == "unknown" else 200
    context = {"typed": text[:40], "result": result, "code": grouped(result.code) if result else ""}
    return render(request, "portal/licence_verify.html", context, status=status)


@require_GET
def licence_verify(request):
    return _answer(request, request.GET.get("code", ""))


@require_GET
def licence_verify_code(request, code: str):
    return _answer(request, code)


@require_GET
def licence_download(request, token: str, licence_id: int):
    case = pages.case_by_token(token)
    return pdf_response(selectors.licence_for_citizen(case, licence_id), request)
