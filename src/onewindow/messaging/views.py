"""Pages of messaging: the parked messages of a center (its administrators send them
again), a staff member's in-app messages, and the SMS provider's inbound callback (a
citizen's reply; a refusal word refuses further messages)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from onewindow.core.roles import may
from onewindow.messaging import selectors, selectors_exchange, services
from onewindow.messaging.gateways import signing
from onewindow.messaging.outbox import conf


@login_required
def parked(request):
    if not may(request.user, "message.manage"):
        raise Http404
    page = Paginator(selectors.parked_messages(scope=request.scope), 50).get_page(
        request.GET.get("page")
    )
    tried = selectors.attempts_of(page.object_list)
    rows = [(m, tried.get(m.pk, [])) for m in page.object_list]
    counts = selectors.state_counts(scope=request.scope)
    return render(request, "messaging/parked.html", {"page": page, "rows": rows, "counts": counts})


@login_required
@require_POST
def retry(request, message_id: int):
    services.message_retry(actor=request.user, message_id=message_id)
    messages.success(request, "消息已重新排队发送。")
    return redirect("messaging:parked")


@login_required
def exchange(request):
    """The reconciliation of the provincial exchange, and the pushes not acknowledged."""
    if not may(request.user, "exchange.read"):
        raise Http404
    page = Paginator(selectors_exchange.outstanding(scope=request.scope), 50).get_page(
        request.GET.get("page")
    )
    lines = selectors_exchange.reconciliation(scope=request.scope)
    context = {"page": page, "lines": lines, "columns": selectors_exchange.COLUMNS.values()}
    return render(request, "messaging/exchange.html", context)


@login_required
def inbox(request):
    page = Paginator(selectors.inbox(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "messaging/inbox.html", {"page": page})


@csrf_exempt
@require_POST
def sms_inbound(request):
    """The provider's callback of a reply, signed like the requests it takes."""
    try:
        params = json.loads(request.body.decode() or "{}")
    except (ValueError, UnicodeDecodeError):
        params = None
    if not isinstance(params, dict):
        return JsonResponse({"Code": "InvalidBody", "Message": "请求格式不正确"}, status=400)
    secret = conf("GATEWAYS")["sms"]["secret"]
    if not signing.verify(params, secret):
        return JsonResponse({"Code": "SignatureDoesNotMatch", "Message": "签名不正确"}, status=403)
    services.inbound_reply(
        phone=str(params.get("PhoneNumber", "")), text=str(params.get("Content", ""))
    )
    return JsonResponse({"Code": "OK"})
