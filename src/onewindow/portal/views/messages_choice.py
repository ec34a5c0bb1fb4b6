"""短信通知设置 without an account (R-MSG-1), linked from the progress page: the phone is
proved by a one-time code sent to it, then its messages are refused or accepted again.
Signed-in citizens do the same on 我的事务 for the phones they have claimed."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render

from onewindow.core.pages import attempt
from onewindow.portal.citizens import services
from onewindow.portal.models import PhoneCode


def choice(request):
    context: dict = {"sent": False, "phone": (request.POST.get("phone") or "").strip()[:20]}
    if request.method == "POST" and request.POST.get("step") == "send":
        outcome = attempt(
            services.phone_code_issue, phone=context["phone"], purpose=PhoneCode.Purpose.MESSAGES
        )
        context["sent"] = outcome.ok
        if not outcome.ok:
            context["error"], context["errors"] = outcome.error.message, outcome.error.fields
    elif request.method == "POST":
        refused = request.POST.get("refused") == "1"
        outcome = attempt(
            services.phone_message_choice,
            phone=context["phone"],
            code=request.POST.get("code", ""),
            refused=refused,
        )
        if outcome.ok:
            done = (
                "已退订通知短信（叫号、验证码等即时消息除外）" if refused else "已恢复接收通知短信"
            )
            messages.success(request, f"尾号{context['phone'][-4:]}：{done}。")
            return redirect("portal:message_choice")
        context.update(sent=True, error=outcome.error.message, errors=outcome.error.fields)
    status = 400 if context.get("error") else 200
    return render(request, "portal/message_choice.html", context, status=status)
