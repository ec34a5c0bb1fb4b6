"""我的 (R-CIT-1): a citizen's account pages under ``/my/``: sign up, sign in and out,
find a password by phone code, claim what was done without an account, and 我的事务
with its actions (withdraw a draft, cancel a booking; review, complain and ask by the
pages that do them everywhere)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from onewindow.core.middleware import client_ip
from onewindow.core.pages import attempt, back_to
from onewindow.portal.citizens import selectors, services
from onewindow.portal.citizens.session import citizen_required, current_account, sign_in, sign_out
from onewindow.portal.models import PhoneCode


def _next(request, default: str = "portal:my_affairs") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


def _form(request, template: str, context: dict, status: int = 200):
    context.setdefault("post", request.POST)
    context.setdefault("errors", {})
    context.setdefault("next", request.POST.get("next") or request.GET.get("next") or "")
    return render(request, template, context, status=status)


def login(request):
    if current_account(request) is not None:
        return redirect(_next(request))
    if request.method != "POST":
        return _form(request, "portal/my/login.html", {})
    outcome = attempt(
        services.citizen_login,
        phone=request.POST.get("phone", ""),
        password=request.POST.get("password", ""),
        client=client_ip(request) or "",
    )
    if not outcome.ok:
        context = {"error": outcome.error.message, "errors": outcome.error.fields}
        return _form(request, "portal/my/login.html", context, status=400)
    sign_in(request, outcome.value)
    return redirect(_next(request))


@require_POST
def logout(request):
    sign_out(request)
    messages.success(request, "已退出登录。")
    return redirect("home")


def register(request):
    if request.method != "POST":
        return _form(request, "portal/my/register.html", {})
    outcome = attempt(
        services.citizen_register,
        phone=request.POST.get("phone", ""),
        password=request.POST.get("password", ""),
        name=request.POST.get("name", ""),
        id_number=request.POST.get("id_number", ""),
    )
    if not outcome.ok:
        context = {"error": outcome.error.message, "errors": outcome.error.fields}
        return _form(request, "portal/my/register.html", context, status=400)
    sign_in(request, outcome.value)
    messages.success(request, "注册成功。认领手机号后，您以前办理的事务会显示在这里。")
    return redirect("portal:my_affairs")


def password_reset(request):
    """Two steps on one page: send a code to the phone, then the code and a new password."""
    context: dict = {"sent": False}
    if request.method == "POST" and request.POST.get("step") == "send":
        outcome = attempt(
            services.phone_code_issue,
            phone=request.POST.get("phone", ""),
            purpose=PhoneCode.Purpose.RESET,
        )
        context["sent"] = outcome.ok
        if not outcome.ok:
            context["error"], context["errors"] = outcome.error.message, outcome.error.fields
    elif request.method == "POST":
        outcome = attempt(
            services.citizen_password_reset,
            phone=request.POST.get("phone", ""),
            code=request.POST.get("code", ""),
            password=request.POST.get("password", ""),
        )
        if outcome.ok:
            messages.success(request, "密码已重置，请用新密码登录。")
            return redirect("portal:citizen_login")
        context.update(sent=True, error=outcome.error.message, errors=outcome.error.fields)
    return _form(request, "portal/my/password_reset.html", context)


@citizen_required
def affairs(request, *, account):
    return render(
        request,
        "portal/my/affairs.html",
        {
            "account": account,
            "affairs": selectors.affairs_of(account),
            "message_choices": selectors.message_choices(account),
        },
    )


@require_POST
@citizen_required
def message_choice(request, *, account):
    """短信通知: refuse or accept again the messages to a proved phone (R-MSG-1)."""
    back_to(request, reverse("portal:my_affairs"))
    refused = request.POST.get("refused") == "1"
    phone = request.POST.get("phone", "")
    services.citizen_message_choice(account=account, phone=phone, refused=refused)
    done = "已退订，今后不再收到通知短信（叫号等即时消息除外）" if refused else "已恢复接收通知短信"
    messages.success(request, f"尾号{phone[-4:]}：{done}。")
    return redirect("portal:my_affairs")


@citizen_required
def claim(request, *, account):
    """认领: a code to the phone, then the code; the phone's affairs join the account."""
    context: dict = {"account": account, "sent": False}
    phone = request.POST.get("phone", "") or account.phone
    if request.method == "POST" and request.POST.get("step") == "send":
        outcome = attempt(
            services.phone_code_issue,
            phone=phone,
            purpose=PhoneCode.Purpose.CLAIM,
            account=account,
        )
        context["sent"] = outcome.ok
        if not outcome.ok:
            context["error"], context["errors"] = outcome.error.message, outcome.error.fields
    elif request.method == "POST":
        outcome = attempt(
            services.citizen_claim_phone,
            account=account,
            phone=phone,
            code=request.POST.get("code", ""),
        )
        if outcome.ok:
            messages.success(request, f"已认领尾号{phone[-4:]}的手机号名下的事务。")
            return redirect("portal:my_affairs")
        context.update(sent=True, error=outcome.error.message, errors=outcome.error.fields)
    context["phone"] = phone
    return _form(request, "portal/my/claim.html", context)


@require_POST
@citizen_required
def withdraw_draft(request, case_id: int, *, account):
    back_to(request, reverse("portal:my_affairs"))
    case = services.citizen_withdraw_draft(
        account=account, case_id=case_id, reason=request.POST.get("reason", "")
    )
    messages.success(request, f"申请 {case.number} 已撤回，不再办理。")
    return redirect("portal:my_affairs")


@require_POST
@citizen_required
def cancel_booking(request, appointment_id: int, *, account):
    back_to(request, reverse("portal:my_affairs"))
    found = services.citizen_cancel_booking(account=account, appointment_id=appointment_id)
    messages.success(request, f"预约 {found.code} 已取消。")
    return redirect("portal:my_affairs")


@require_POST
@citizen_required
def reuse_document(request, case_id: int, *, account):
    """材料复用: one of 我的材料 given as a material of the account's application."""
    case = selectors.case_of(account, case_id)
    back_to(request, f"{reverse('portal:apply_token', args=[case.token])}#files")
    raw_material, raw_stored = request.POST.get("material", ""), request.POST.get("stored", "")
    document = services.citizen_document_reuse(
        account=account,
        case_id=case.pk,
        material_id=int(raw_material)
        if raw_material.isdigit() and len(raw_material) < 12
        else None,
        stored_id=int(raw_stored) if raw_stored.isdigit() and len(raw_stored) < 12 else None,
    )
    messages.success(request, f"已使用我的材料作为“{document.material.name}”，无需再次上传。")
    return redirect(f"{reverse('portal:apply_token', args=[case.token])}#files")
