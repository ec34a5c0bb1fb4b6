"""Online application pages (R-CASE-8).

Public, no account: the list of matters that can be applied for online, the application
form of a listing (save as draft or submit), and the citizen's secret link to the case
(edit the draft, read what pre-review said, answer a return, follow the progress).
Staff: the center's pre-review queue and the pass/return actions of a case's page.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from onewindow.cases import selectors, states
from onewindow.cases.models import Applicant, Case
from onewindow.cases.services import files as file_services
from onewindow.cases.services import online, online_form
from onewindow.catalog.models import Material
from onewindow.catalog.segment import MAX_QUERY_LENGTH
from onewindow.core import idnumber
from onewindow.core.errors import DomainError, InvalidInput, NotFound
from onewindow.core.middleware import client_ip
from onewindow.core.roles import may
from onewindow.files import storage

# Phones count as the mobile channel; tablets and desktops as the web.
PHONE_AGENT = re.compile(r"iPhone|iPod|Android.*Mobile|Windows Phone|HarmonyOS.*Mobile|Mobi", re.I)
TABLET_AGENT = re.compile(r"iPad|Tablet", re.I)
DOC_CHOICES = [("", "暂不提供"), ("electronic", "电子材料"), ("pledge", "告知承诺")]
DOC_KEY = re.compile(r"^doc_(\d{1,9})$")
FORM_KEY = re.compile(r"^form_(\w{1,64})$")


def _channel(request) -> str:
    agent = request.META.get("HTTP_USER_AGENT", "")[:500]
    phone = PHONE_AGENT.search(agent) and not TABLET_AGENT.search(agent)
    return Case.Channel.MOBILE if phone else Case.Channel.WEB


def _clean(value: str, limit: int) -> str:
    return (value or "").replace("\x00", "").strip()[:limit]


def _materials(post) -> dict[int, dict]:
    """Every ``doc_<id>`` posted, so that a material outside the guide is refused by the
    service (R-CAT-7) rather than silently dropped."""
    chosen = {}
    for key, value in post.items():
        match = DOC_KEY.match(key)
        if not match or not value:
            continue
        if value == "pledge":
            pledged = post.get(f"pledge_ok_{match.group(1)}") == "1"
            chosen[int(match.group(1))] = {"by_pledge": True, "pledged": pledged}
        else:
            chosen[int(match.group(1))] = {"electronic": True}
    return chosen


def _form_data(post) -> dict:
    """Every ``form_<key>`` posted; fields outside the guide's form are refused."""
    values = {}
    for key, value in post.items():
        match = FORM_KEY.match(key)
        if match and _clean(value, 500):
            values[match.group(1)] = _clean(value, 500)
    return values


def _applicant(post) -> dict:
    return {
        "kind": post.get("kind") or Applicant.Kind.PERSON,
        "name": _clean(post.get("name", ""), 100),
        "phone": _clean(post.get("phone", ""), 20),
        "id_number": _clean(post.get("id_number", ""), 24),
        "credit_code": _clean(post.get("credit_code", ""), 18),
        "address": _clean(post.get("address", ""), 200),
    }


def _secret_keys(version) -> set[str]:
    """Form fields holding an identity number: never shown back in the page."""
    return {f.get("key") for f in version.form_fields or [] if f.get("type") == "id_number"}


def _form_context(
    version, *, values: dict, docs: dict, saved: dict | None = None, pledged=frozenset()
) -> dict:
    """The form as the citizen fills it: the basic information once (the guide's fields
    that repeat it are filled from it by the service), the rest of the guide's form, and
    each material with how it is given; a pledge shows its text to read and accept."""
    materials = version.materials.order_by("order", "id")
    secret = _secret_keys(version)
    kind = values.get("kind") or Applicant.Kind.PERSON
    fields = []
    for f in online_form.asked_fields(version, kind):
        key = f.get("key")
        if key in secret:
            kept = (saved or {}).get(key, "")
            hint = f"已填 {idnumber.mask(str(kept))}，不改请留空" if kept else ""
            fields.append({**f, "value": "", "hint": hint})
        else:
            fields.append({**f, "value": values.get(f"form_{key}", "")})
    from_basic = online_form.basic_fields(version, kind)
    return {
        "version": version,
        "from_basic": [
            f.get("label") for f in version.form_fields or [] if f.get("key") in from_basic
        ],
        "materials": [
            {
                "material": m,
                "chosen": docs.get(str(m.pk), ""),
                "pledge_text": online_form.pledge_text(m, version.matter)
                if m.pledge_allowed
                else "",
                "pledged": str(m.pk) in pledged,
            }
            for m in materials
            if m.source != Material.Source.SHARED
        ],
        "shared": [m for m in materials if m.source == Material.Source.SHARED],
        "fields": fields,
        "doc_choices": DOC_CHOICES,
    }


def _posted_docs(post) -> dict[str, str]:
    return {m.group(1): v for k, v in post.items() if (m := DOC_KEY.match(k))}


def _posted_pledges(post) -> set[str]:
    return {k[len("pledge_ok_") :] for k, v in post.items() if k.startswith("pledge_ok_") and v}


# --- public ------------------------------------------------------------------------------------


def apply_list(request):
    q = _clean(request.GET.get("q", ""), MAX_QUERY_LENGTH)
    page = Paginator(online.online_listings_search(q), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "cases/online/list.html", {"page": page, "q": q, "query": query.urlencode()}
    )


@never_cache
def apply_new(request, listing_id: int):
    try:
        listing = online.online_listing_get(listing_id=listing_id)
    except NotFound:
        raise Http404 from None
    version = listing.matter.current_version
    post = request.POST if request.method == "POST" else {}
    context = {
        "listing": listing,
        "post": post,
        "errors": {},
        **_form_context(
            version, values=post, docs=_posted_docs(post), pledged=_posted_pledges(post)
        ),
    }
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        try:
            from onewindow.hall.appointments.common import rate_limit_hit

            rate_limit_hit("client", f"apply:ip:{client_ip(request) or '-'}")
            case = online.online_draft_create(
                listing=listing,
                applicant=_applicant(request.POST),
                materials=_materials(request.POST),
                form_data=_form_data(request.POST),
                channel=_channel(request),
                submit=submit,
            )
        except DomainError as exc:
            context["error"], context["errors"] = exc.message, exc.fields
        else:
            if submit:
                messages.success(
                    request,
                    f"申请已提交，办件编号 {case.number}。请收藏本页链接，凭它查看预审结果和办理进度。",
                )
            else:
                messages.success(
                    request, "草稿已保存。请收藏本页链接，凭它继续填写和提交（链接请勿转给他人）。"
                )
            return redirect("cases:apply_token", token=case.token)
    return render(request, "cases/online/apply.html", context)


@never_cache
def apply_token(request, token: str):
    try:
        case = online.online_case_by_token(token=token)
    except NotFound:
        raise Http404 from None
    context = {"case": case, "errors": {}}
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        form_data = _form_data(request.POST)
        for key in _secret_keys(case.guide_version):
            if key not in form_data and (case.form_data or {}).get(key):
                form_data[key] = case.form_data[key]  # left empty: kept as it was
        try:
            case = online.online_draft_update(
                case=case,
                applicant=_applicant(request.POST),
                materials=_materials(request.POST),
                form_data=form_data,
                submit=submit,
            )
        except DomainError as exc:
            context["error"], context["errors"] = exc.message, exc.fields
            context["post"] = request.POST
        else:
            if submit:
                messages.success(request, f"申请已提交，办件编号 {case.number}，请等待网上预审。")
            else:
                messages.success(request, "修改已保存，尚未提交。")
            return redirect("cases:apply_token", token=case.token)
    if case.state == states.DRAFT:
        post = context.get("post")
        if post is not None:
            values, docs, pledged = post, _posted_docs(post), _posted_pledges(post)
        else:
            applicant = case.applicant
            values = {f"form_{k}": v for k, v in (case.form_data or {}).items()}
            values.update(
                kind=applicant.kind,
                name=applicant.name,
                phone=applicant.phone,
                address=applicant.address,
            )
            docs = {
                str(d.material_id): "pledge" if d.by_pledge else "electronic"
                for d in case.documents.all()
            }
            pledged = {key for key, value in docs.items() if value == "pledge"}
            context["post"] = values
        context.update(
            _form_context(
                case.guide_version,
                values=values,
                docs=docs,
                saved=case.form_data,
                pledged=pledged,
            )
        )
    context.update(
        {
            "status": case.public_status,
            "can_withdraw": case.state in states.ACTIONS["applicant_withdraw"].sources,
            "returned": online.prereview_return_reason(case),
            "submitted": case.events.filter(action="submit").exists(),
            "documents": case.documents.select_related("material").order_by("material__order"),
            "timeline": selectors.public_timeline(case),
            "upload_rows": _upload_rows(case)
            if file_services.attach_allowed(case, applicant=True)
            else [],
            "max_upload": storage.human_size(storage.max_bytes()),
        }
    )
    return render(request, "cases/online/case.html", context)


@never_cache
def apply_withdraw(request, token: str):
    """撤回: the citizen confirms on a page of its own, then the service withdraws a draft
    or a returned application (never one already accepted)."""
    try:
        case = online.online_case_by_token(token=token)
    except NotFound:
        raise Http404 from None
    allowed = case.state in states.ACTIONS["applicant_withdraw"].sources
    if request.method == "POST" and allowed:
        try:
            online.online_withdraw(case=case, reason=_clean(request.POST.get("reason", ""), 500))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"申请 {case.number} 已撤回，不再办理。")
        return redirect("cases:apply_token", token=case.token)
    if request.method == "POST":
        messages.error(request, f"申请当前为“{case.public_status}”，不能撤回。")
        return redirect("cases:apply_token", token=case.token)
    return render(
        request,
        "cases/online/withdraw.html",
        {"case": case, "allowed": allowed, "returned": online.prereview_return_reason(case)},
    )


def _upload_rows(case: Case) -> list[tuple]:
    given = {d.material_id: d for d in case.documents.select_related("file")}
    return [
        (m, given.get(m.pk))
        for m in case.guide_version.materials.order_by("order", "id")
        if m.source != Material.Source.SHARED
    ]


@csrf_exempt
def apply_upload(request, token: str):
    """The upload handlers are set before the body is read, so a file past the limit is
    dropped while it streams in; the CSRF check runs right after."""
    if request.method == "POST":
        storage.limit_uploads(request)
    return _apply_upload(request, token)


@csrf_protect
@require_POST
def _apply_upload(request, token: str):
    """The applicant gives a material's electronic file on their own link (draft, or a
    correction asked for); only materials of the pinned guide version (R-CAT-7)."""
    try:
        case = online.online_case_by_token(token=token)
    except NotFound:
        raise Http404 from None
    raw = str(request.POST.get("material") or "").strip()
    try:
        storage.check_request(request)
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput("file.empty", "请选择要上传的文件。", {"file": "请选择文件。"})
        document = file_services.document_attach(
            actor=None,
            case=case,
            material=int(raw) if raw.isdigit() and len(raw) < 12 else None,
            upload=upload,
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"已上传“{document.material.name}”的电子文件（{document.file.original_name}）。",
        )
    return redirect(f"{reverse('cases:apply_token', args=[case.token])}#files")


# --- staff -------------------------------------------------------------------------------------


@login_required
def prereview_queue(request):
    user = request.user
    if not may(user, "case.online_queue"):
        raise Http404
    profile = getattr(user, "staff_profile", None)
    center_id = profile.center_id if profile is not None else None
    scope = request.scope
    return render(
        request,
        "cases/online/prereview_queue.html",
        {
            "queue": online.prereview_queue(scope=scope, center_id=center_id)[:300],
            "awaiting": online.awaiting_intake(scope=scope, center_id=center_id)[:300],
            "deemed": online.deemed_cases(scope=scope, center_id=center_id)[:50],
            "today": timezone.localdate(),
            "deemed_days": online.deemed_accept_days(),
        },
    )


def _case_or_404(request, case_id: int) -> Case:
    try:
        return selectors.case_get_for(scope=request.scope, case_id=case_id)
    except NotFound:
        raise Http404 from None


@login_required
@require_POST
def prereview_pass(request, case_id: int):
    case = _case_or_404(request, case_id)
    try:
        online.online_prereview_pass(actor=request.user, case=case, note=request.POST.get("note"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "预审通过，请在窗口作出受理、不予受理或一次性告知补正的决定。")
    return redirect("cases:case_detail", case_id=case.pk)


@login_required
@require_POST
def prereview_return(request, case_id: int):
    case = _case_or_404(request, case_id)
    try:
        online.online_prereview_return(
            actor=request.user, case=case, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已退回申请人修改，申请人可通过其申请链接查看退回理由。")
    return redirect("cases:case_detail", case_id=case.pk)
