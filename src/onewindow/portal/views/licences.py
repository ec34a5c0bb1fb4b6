"""The public verification of an electronic licence (R-MSG-2), no sign-in: by the code
typed in or the QR code's link (limited per client address:
``selectors.verify_code``); it says valid, revoked (when, why) or replaced (by
which), after the signature is checked, and shows no more than the licence shows. And
the applicant's download of a valid licence through their case's secret link."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from onewindow.cases.selectors import pages
from onewindow.core.middleware import client_ip
from onewindow.core.ratelimit import RateLimited
from onewindow.licences import selectors
from onewindow.licences.document import pdf_response
from onewindow.licences.payload import grouped


def _answer(request, text: str):
    context = {"typed": text[:40], "result": None, "code": "", "error": ""}
    status = 200
    if text.strip():
        try:
            result = selectors.verify_code(text, client=client_ip(request) or "")
        except RateLimited as exc:  # an answer of the page: the form stays
            context["error"], status = exc.message, exc.status
        else:
            context.update(result=result, code=grouped(result.code))
            status = 404 if result.status == "unknown" else 200
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
