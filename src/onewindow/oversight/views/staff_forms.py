"""The writes of the staff pages: each parses its form, calls one staffing service and
returns to the page it came from; errors rise to the page bridge (``core/pages.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from onewindow.core.errors import InvalidInput, NotFound
from onewindow.core.pages import back_to
from onewindow.core.text import form_errors_text
from onewindow.files import storage
from onewindow.org.models import Center
from onewindow.staffing import forms, services
from onewindow.staffing import selectors as staffing
from onewindow.staffing.access import profile_in_scope
from onewindow.staffing.models import PostingChange, Secondment


def _parsed(form):
    if not form.is_valid():
        raise InvalidInput("form.invalid", form_errors_text(form))
    return form.cleaned_data


def _person(request, profile_id):
    profile = profile_in_scope(request.user, profile_id)
    url = back_to(request, reverse("oversight:staff_person", args=[profile.pk]))
    return profile, url


@login_required
@require_POST
def record_set(request, profile_id):
    profile, url = _person(request, profile_id)
    recruitments = staffing.recruitments(scope=request.scope)
    data = _parsed(forms.RecordForm(request.POST, recruitments=recruitments))
    services.staff_record_set(actor=request.user, profile=profile, **data)
    messages.success(request, "人员管理档案已保存。")
    return redirect(url)


@login_required
@require_POST
def training_add(request, profile_id):
    profile, url = _person(request, profile_id)
    people = staffing.people(scope=request.scope)
    form = forms.TrainingForm(
        request.POST, mentors=people, process_changes=staffing.process_changes_for(profile)
    )
    data = _parsed(form)
    data["passed"] = data["passed"] == "1"
    services.training_record(actor=request.user, profile=profile, **data)
    messages.success(request, "培训记录已登记。")
    return redirect(url)


@login_required
@require_POST
def contract_add(request, profile_id):
    profile, url = _person(request, profile_id)
    data = _parsed(forms.ContractForm(request.POST))
    services.staff_contract_record(actor=request.user, profile=profile, **data)
    messages.success(request, "合同已登记。")
    return redirect(url)


@login_required
@require_POST
def declare(request, profile_id):
    profile, url = _person(request, profile_id)
    data = _parsed(forms.DeclareForm(request.POST))
    services.staff_declare_no_other_work(actor=request.user, profile=profile, **data)
    messages.success(request, "已登记声明，待中心确认。")
    return redirect(url)


@login_required
@require_POST
def confirm(request, profile_id):
    profile, url = _person(request, profile_id)
    services.staff_confirm_no_other_work(actor=request.user, profile=profile)
    messages.success(request, "已确认该人员派驻期间不承担原单位工作。")
    return redirect(url)


@login_required
@require_POST
def change_file(request, profile_id):
    profile, url = _person(request, profile_id)
    people = staffing.people(scope=request.scope)
    data = _parsed(forms.ChangeForm(request.POST, successors=people))
    services.posting_change_file(actor=request.user, profile=profile, **data)
    messages.success(request, "调整备案已提交，待中心审批。")
    return redirect(url)


@login_required
@require_POST
def secondment_file(request, profile_id):
    profile, url = _person(request, profile_id)
    data = _parsed(forms.SecondmentForm(request.POST))
    services.secondment_file(actor=request.user, profile=profile, **data)
    messages.success(request, "借调申请已提交，待中心审批。")
    return redirect(url)


def _decided(request, model, pk):
    found = model.objects.visible_to(request.scope).filter(pk=pk).first()
    if found is None:
        raise NotFound()
    wanted = request.POST.get("next") or ""
    safe = url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()})
    back_to(request, wanted if wanted and safe else reverse("oversight:staff_roster"))
    data = _parsed(forms.DecideForm(request.POST))
    return found, data["approve"] == "1", data["note"]


@login_required
@require_POST
def change_decide(request, change_id):
    change, approve, note = _decided(request, PostingChange, change_id)
    services.posting_change_decide(actor=request.user, change=change, approve=approve, note=note)
    messages.success(request, "已批准人员调整。" if approve else "已不予批准。")
    return redirect(reverse("oversight:staff_person", args=[change.profile_id]))


@login_required
@require_POST
def secondment_decide(request, secondment_id):
    item, approve, note = _decided(request, Secondment, secondment_id)
    services.secondment_decide(actor=request.user, secondment=item, approve=approve, note=note)
    messages.success(request, "已批准借调。" if approve else "已不予批准。")
    return redirect(reverse("oversight:staff_person", args=[item.profile_id]))


@csrf_exempt
def spot_check_add(request, profile_id):
    """The upload handlers are set before the body is read, so a photo past the limit is
    dropped while it streams in; the CSRF check runs right after."""
    if request.method == "POST":
        storage.limit_uploads(request)
    return _spot_check_add(request, profile_id)


@csrf_protect
@login_required
@require_POST
def _spot_check_add(request, profile_id):
    profile, url = _person(request, profile_id)
    storage.check_request(request)
    data = _parsed(forms.SpotCheckForm(request.POST))
    photo = request.FILES.get("photo")
    services.spot_check_record(actor=request.user, profile=profile, photo=photo, **data)
    messages.success(request, "抽查记录已登记。")
    return redirect(url)


@login_required
@require_POST
def recruitment_add(request):
    back_to(request, reverse("oversight:staff_recruitment"))
    data = _parsed(
        forms.RecruitmentForm(request.POST, centers=Center.objects.visible_to(request.scope))
    )
    services.recruitment_record(actor=request.user, **data)
    messages.success(request, "招聘记录已登记。")
    return redirect(reverse("oversight:staff_recruitment"))
