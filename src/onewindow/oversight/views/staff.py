"""The staff pages (R-STAFF-1, R-STAFF-2, R-STAFF-4): the roster with its flags, one
person's page, attendance and conduct of a month, the center's recruitment. The center
administrator keeps the records; supervisors and department heads read in their scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from onewindow.core.roles import may
from onewindow.files import storage
from onewindow.org.models import Center
from onewindow.oversight.selectors import staff as sel
from onewindow.staffing import clearance, forms
from onewindow.staffing import selectors as staffing
from onewindow.staffing.access import center_in_scope, profile_in_scope


def _require_read(request) -> None:
    if not may(request.user, "staff.read"):
        raise Http404


def _center(request):
    value = request.GET.get("center")
    return center_in_scope(request.user, value) if value else None


def _can(request) -> dict:
    return {
        "can_manage": may(request.user, "staff.manage"),
        "can_file": may(request.user, "staff.file"),
        "can_check": may(request.user, "staff.spot_check"),
    }


@login_required
def roster(request):
    _require_read(request)
    scope, center = request.scope, _center(request)
    rows = staffing.roster(scope=scope, center=center)
    return render(
        request,
        "oversight/staff/roster.html",
        {
            **_can(request),
            "rows": rows,
            "center": center,
            "centers": Center.objects.visible_to(scope).select_related("region"),
            "flag_counts": {
                label: sum(1 for r in rows if label in r.flags)
                for label in staffing.FLAG_LABELS.values()
            },
            "not_cleared": staffing.not_cleared(scope=scope, center=center),
            "pending_changes": staffing.pending_changes(scope=scope),
            "secondments": staffing.secondments(scope=scope),
            "decide_form": forms.DecideForm(),
            "rule": {"pre_job": clearance.PRE_JOB_HOURS, "shadowing": clearance.SHADOWING_HOURS},
        },
    )


@login_required
def person(request, profile_id):
    _require_read(request)
    profile = profile_in_scope(request.user, profile_id)
    page = sel.person_page(scope=request.scope, profile=profile)
    scope_people = staffing.people(scope=request.scope)
    return render(
        request,
        "oversight/staff/person.html",
        {
            **_can(request),
            "page": page,
            "r": page.records,
            "record_form": forms.RecordForm(
                initial=_record_initial(page.records),
                recruitments=staffing.recruitments(scope=request.scope),
            ),
            "training_form": forms.TrainingForm(
                mentors=scope_people.exclude(pk=profile.pk),
                process_changes=staffing.process_changes_for(profile),
            ),
            "contract_form": forms.ContractForm(),
            "declare_form": forms.DeclareForm(),
            "change_form": forms.ChangeForm(successors=scope_people.exclude(pk=profile.pk)),
            "secondment_form": forms.SecondmentForm(),
            "spot_form": forms.SpotCheckForm(),
            "decide_form": forms.DecideForm(),
            "accept": storage.ACCEPT,
            "third_party": profile.employer_kind == profile.Employer.THIRD_PARTY,
        },
    )


def _record_initial(records) -> dict:
    r, p = records.record, records.profile
    initial = {"posting_started": p.posting_started, "team": r.team if r else ""}
    if r:
        initial |= {
            "establishment": r.establishment,
            "rank": r.rank,
            "paid_by": r.paid_by,
            "recruitment": r.recruitment_id,
        }
    return initial


@login_required
def attendance(request):
    _require_read(request)
    year, month = sel.parse_month(request.GET.get("month"))
    center = _center(request)
    rows = sel.attendance(scope=request.scope, year=year, month=month, center=center)
    return render(
        request,
        "oversight/staff/attendance.html",
        {
            "rows": rows,
            "month": f"{year}-{month:02d}",
            "center": center,
            "centers": Center.objects.visible_to(request.scope).select_related("region"),
            "total_hours": round(sum(r.hours for r in rows), 1),
        },
    )


@login_required
def conduct(request):
    _require_read(request)
    year, month = sel.parse_month(request.GET.get("month"))
    center = _center(request)
    return render(
        request,
        "oversight/staff/conduct.html",
        {
            "rows": sel.conduct(scope=request.scope, year=year, month=month, center=center),
            "month": f"{year}-{month:02d}",
            "center": center,
            "centers": Center.objects.visible_to(request.scope).select_related("region"),
        },
    )


@login_required
def recruitment(request):
    _require_read(request)
    return render(
        request,
        "oversight/staff/recruitment.html",
        {
            **_can(request),
            "items": staffing.recruitments(scope=request.scope),
            "form": forms.RecruitmentForm(centers=Center.objects.visible_to(request.scope)),
        },
    )


@login_required
def spot_check_photo(request, check_id):
    _require_read(request)
    found = staffing.spot_check_get(scope=request.scope, spot_check_id=check_id)
    if found is None or found.photo is None:
        raise Http404
    return storage.file_response(found.photo)
