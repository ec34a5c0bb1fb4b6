"""Online application (R-CASE-8), public, no account: the list of matters that can be
applied for online, the application form of a listing (save as draft or submit), and
the citizen's secret link to the case (edit the draft, read what pre-review said,
answer a return, give a material's file, withdraw, follow the progress). The staff's
pre-review pages are the cases app's (``cases/views/online.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from onewindow.cases import selectors, states
from onewindow.cases.models import Case
from onewindow.cases.selectors import online as online_selectors
from onewindow.cases.selectors import pages
from onewindow.cases.services import files as file_services
from onewindow.cases.services import online
from onewindow.catalog.segment import MAX_QUERY_LENGTH
from onewindow.core.errors import InvalidInput
from onewindow.core.middleware import client_ip
from onewindow.core.pages import attempt, back_to
from onewindow.files import storage
from onewindow.hall.appointments.common import rate_limit_hit
from onewindow.portal.citizens import selectors as citizen_selectors
from onewindow.portal.citizens.session import current_account
from onewindow.portal.views.cases import online_form as form

CORRECTION_CLOSED = "补正材料已全部收到，申请已自动交回办理，无需再到窗口。"


def apply_list(request):
    q = form.clean(request.GET.get("q", ""), MAX_QUERY_LENGTH)
    page = Paginator(online_selectors.online_listings_search(q), 30).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "cases/online/list.html", {"page": page, "q": q, "query": query.urlencode()}
    )


def _create_draft(request, listing, *, submit: bool) -> Case:
    rate_limit_hit("client", f"apply:ip:{client_ip(request) or '-'}")
    return online.online_draft_create(
        listing=listing,
        applicant=form.posted_applicant(request.POST),
        materials=form.posted_materials(request.POST),
        form_data=form.posted_form(request.POST),
        channel=form.channel(request),
        submit=submit,
    )


@never_cache
def apply_new(request, listing_id: int):
    listing = online_selectors.online_listing_get(listing_id=listing_id)
    version = listing.matter.current_version
    post = request.POST if request.method == "POST" else {}
    context = {
        "listing": listing,
        "post": post,
        "errors": {},
        **form.form_context(
            version, values=post, docs=form.posted_docs(post), pledged=form.posted_pledges(post)
        ),
    }
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        outcome = attempt(_create_draft, request, listing, submit=submit)
        if outcome.ok:
            if submit:
                messages.success(
                    request,
                    f"申请已提交，办件编号 {outcome.value.number}。请收藏本页链接，凭它查看预审结果和办理进度。",
                )
            else:
                messages.success(
                    request, "草稿已保存。请收藏本页链接，凭它继续填写和提交（链接请勿转给他人）。"
                )
            return redirect("portal:apply_token", token=outcome.value.token)
        context["error"], context["errors"] = outcome.error.message, outcome.error.fields
    return render(request, "cases/online/apply.html", context)


def _save(request, case: Case, context: dict):
    """Save (or submit) the draft; None when refused (the form is shown again)."""
    submit = request.POST.get("action") == "submit"
    form_data = form.posted_form(request.POST)
    for key in form.secret_keys(case.guide_version):
        if key not in form_data and (case.form_data or {}).get(key):
            form_data[key] = case.form_data[key]  # left empty: kept as it was
    outcome = attempt(
        online.online_draft_update,
        case=case,
        applicant=form.posted_applicant(request.POST),
        materials=form.posted_materials(request.POST),
        form_data=form_data,
        submit=submit,
    )
    if not outcome.ok:
        context["error"], context["errors"] = outcome.error.message, outcome.error.fields
        context["post"] = request.POST
        return None
    if submit:
        messages.success(request, f"申请已提交，办件编号 {outcome.value.number}，请等待网上预审。")
    else:
        messages.success(request, "修改已保存，尚未提交。")
    return redirect("portal:apply_token", token=outcome.value.token)


def _draft_form(case: Case, post) -> dict:
    """The draft's form: as posted when it was refused, else as saved."""
    if post is not None:
        values, docs, pledged = post, form.posted_docs(post), form.posted_pledges(post)
        extra = {}
    else:
        applicant = case.applicant
        values = {f"form_{k}": v for k, v in (case.form_data or {}).items()}
        values.update(
            kind=applicant.kind,
            name=applicant.name,
            phone=applicant.phone,
            address=applicant.address,
        )
        docs = pages.draft_choices(case)
        pledged = {key for key, value in docs.items() if value == "pledge"}
        extra = {"post": values}
    return {
        **extra,
        **form.form_context(
            case.guide_version, values=values, docs=docs, saved=case.form_data, pledged=pledged
        ),
    }


def _upload_rows(request, case: Case) -> list[tuple]:
    """Each material to give, its document, and the signed-in owner's stored documents
    of the same material (材料复用 from 我的材料)."""
    if not file_services.attach_allowed(case, applicant=True):
        return []
    account = current_account(request)
    mine = citizen_selectors.reusable_for(account, case) if account is not None else {}
    return [(m, d, mine.get(m.pk, [])) for m, d in pages.upload_rows(case)]


def _case_page(request, case: Case) -> dict:
    return {
        "status": case.public_status,
        "draft": case.state == states.DRAFT,
        "in_prereview": case.state == states.PRE_REVIEW,
        "awaits_intake": case.state == states.INTAKE,
        "can_withdraw": case.state in states.ACTIONS["applicant_withdraw"].sources,
        "returned": online_selectors.prereview_return_reason(case),
        "submitted": pages.was_submitted(case),
        "documents": pages.given_documents(case),
        "timeline": selectors.public_timeline(case),
        "upload_rows": _upload_rows(request, case),
        "max_upload": storage.human_size(storage.max_bytes()),
    }


@never_cache
def apply_token(request, token: str):
    case = online_selectors.online_case_by_token(token=token)
    context = {"case": case, "errors": {}}
    if request.method == "POST":
        saved = _save(request, case, context)
        if saved is not None:
            return saved
    if case.state == states.DRAFT:
        context.update(_draft_form(case, context.get("post")))
    context.update(_case_page(request, case))
    return render(request, "cases/online/case.html", context)


@never_cache
def apply_withdraw(request, token: str):
    """撤回: the citizen confirms on a page of its own, then the service withdraws a draft
    or a returned application (never one already accepted)."""
    case = online_selectors.online_case_by_token(token=token)
    allowed = case.state in states.ACTIONS["applicant_withdraw"].sources
    back = back_to(request, reverse("portal:apply_token", args=[case.token]))
    if request.method == "POST" and allowed:
        online.online_withdraw(case=case, reason=form.clean(request.POST.get("reason", ""), 500))
        messages.success(request, f"申请 {case.number} 已撤回，不再办理。")
        return redirect(back)
    if request.method == "POST":
        messages.error(request, f"申请当前为“{case.public_status}”，不能撤回。")
        return redirect(back)
    return render(
        request,
        "cases/online/withdraw.html",
        {
            "case": case,
            "allowed": allowed,
            "returned": online_selectors.prereview_return_reason(case),
        },
    )


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
    case = online_selectors.online_case_by_token(token=token)
    back = back_to(request, f"{reverse('portal:apply_token', args=[case.token])}#files")
    raw = str(request.POST.get("material") or "").strip()
    storage.check_request(request)
    upload = request.FILES.get("file")
    if upload is None:
        raise InvalidInput("file.empty", "请选择要上传的文件。", {"file": "请选择文件。"})
    attached = file_services.correction_document_attach(
        actor=None,
        case=case,
        material=int(raw) if raw.isdigit() and len(raw) < 12 else None,
        upload=upload,
    )
    document = attached.document
    messages.success(
        request,
        f"已上传“{document.material.name}”的电子文件（{document.file.original_name}）。",
    )
    if attached.correction_closed:
        messages.success(request, CORRECTION_CLOSED)
    return redirect(back)
