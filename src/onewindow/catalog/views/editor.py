"""The guide draft editor (R-CAT-5, R-CAT-6, R-CAT-8): the guide's fields and its
materials, steps, FAQ and form fields as rows; "检查" lists the lint findings with
the clause marked, "发布" publishes a wording change, "提交流程再造审核" sends a
process change to legality and final review. Every write goes through
``catalog.services``; each action saves the draft first, all or nothing."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from onewindow.catalog import forms as cforms
from onewindow.catalog import selectors, services
from onewindow.catalog.models import GuideVersion, Matter
from onewindow.core.pages import attempt, back_to

NOT_SAVED = "请按提示修改标红的内容，草稿未保存。"


def _findings_by_row(items: list[dict]) -> dict[str, dict[int, list[dict]]]:
    """ "materials[2].name" → {"materials": {1: [item]}} (form index from 0)."""
    rows: dict[str, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for item in items:
        head, _, rest = item["field"].partition("[")
        if rest:
            index = rest.partition("]")[0]
            if index.isdigit():
                rows[head][int(index) - 1].append(item)
        else:
            rows["fields"][head].append(item)
    return rows


# --- the editor's rows ------------------------------------------------------------------------

GUIDE_FORM_FIELDS = tuple(cforms.GuideFieldsForm.base_fields)


def _material_row(m) -> dict:
    return {
        "name": m.name,
        "material_type": m.material_type.code if m.material_type_id else "",
        "form": m.form,
        "copies": m.copies,
        "requirement": m.requirement,
        "condition": m.condition,
        "source": m.source,
        "shared_from": m.shared_from,
        "pledge_allowed": m.pledge_allowed,
        "paper_needed": m.paper_needed,
        "note": m.note,
    }


def _step_row(s) -> dict:
    return {"name": s.name, "description": s.description, "days": s.days}


def _faq_rows(faq) -> list[dict]:
    return [
        {"question": str(i.get("question", "")), "answer": str(i.get("answer", ""))}
        for i in faq or []
    ]


def _form_field_rows(items) -> list[dict]:
    return [
        {
            "key": str(i.get("key", "")),
            "label": str(i.get("label", "")),
            "type": str(i.get("type", "text")),
            "required": bool(i.get("required", False)),
            "output": bool(i.get("output", False)),
        }
        for i in items or []
    ]


def _editor_initial(version: GuideVersion | None):
    if version is None:
        return {
            "limit_unit": "working",
            "online_depth": "pre_review",
            "visits": 1,
            "fees": "不收费",
            "is_free": True,
        }, {}
    fields = {f: getattr(version, f) for f in GUIDE_FORM_FIELDS}
    rows = {
        "materials": [_material_row(m) for m in version.materials.all()],
        "steps": [_step_row(s) for s in version.steps.all()],
        "faq": _faq_rows(version.faq),
        "form_fields": _form_field_rows(version.form_fields),
    }
    return fields, rows


def _place_row_errors(error, fields_form, sets) -> bool:
    """Put a service's field errors ("materials[2].condition") on the editor's rows."""
    placed = False
    pairs = {name: fs.form_rows() for name, fs in sets.items()}
    for key, message in error.fields.items():
        head, _, rest = key.partition("[")
        if rest:
            index, _, sub = rest.partition("]")
            sub = sub.lstrip(".")
            rows = pairs.get(head, [])
            if index.isdigit() and 0 < int(index) <= len(rows):
                form = rows[int(index) - 1][0]
                form.add_error(sub if sub in form.fields else None, message)
                placed = True
        elif key in fields_form.fields:
            fields_form.add_error(key, message)
            placed = True
    return placed


def _save_draft(
    actor, matter: Matter, version: GuideVersion | None, fields_form, sets
) -> GuideVersion:
    """Write what changed, all or nothing, through the services."""
    data = dict(fields_form.cleaned_data)
    faq = [dict(r) for r in sets["faq"].rows()]
    form_fields = [dict(r) for r in sets["form_fields"].rows()]
    materials = [dict(r) for r in sets["materials"].rows()]
    steps = [dict(r) for r in sets["steps"].rows()]
    with transaction.atomic():
        if version is None:
            version = services.guide_draft_create(
                actor=actor, matter=matter, faq=faq, form_fields=form_fields, **data
            )
            services.guide_materials_set(actor=actor, version=version, materials=materials)
            services.guide_steps_set(actor=actor, version=version, steps=steps)
            return version
        changed = {k: v for k, v in data.items() if getattr(version, k) != v}
        if faq != _faq_rows(version.faq):
            changed["faq"] = faq
        if form_fields != _form_field_rows(version.form_fields):
            changed["form_fields"] = form_fields
        if changed:
            services.guide_draft_update(actor=actor, version=version, **changed)
        if materials != [_material_row(m) for m in version.materials.all()]:
            services.guide_materials_set(actor=actor, version=version, materials=materials)
        if steps != [_step_row(s) for s in version.steps.all()]:
            services.guide_steps_set(actor=actor, version=version, steps=steps)
    return selectors.guide_with_parts(version.pk)


# --- the editor page ------------------------------------------------------------------------


def _render_editor(
    request, matter, version, fields_form, sets, reason_form, *, findings=None, error=None
):
    lint = (
        selectors.lint_items(version, findings)
        if version is not None and findings is not None
        else []
    )
    by_row = _findings_by_row(lint)
    for name, fs in sets.items():
        for index, form in enumerate(fs.forms):
            form.lint = by_row.get(name, {}).get(index, [])
    for name in fields_form.fields:
        fields_form[name].lint = by_row.get("fields", {}).get(name, [])
    ctx = {
        "matter": matter,
        "version": version,
        "fields_form": fields_form,
        "sets": sets,
        "reason_form": reason_form,
        "lint": lint,
        "error": error,
    }
    if version is not None:
        ctx["process_changed"] = selectors.process_changed(version)
        ctx["compression"] = selectors.compression_facts(version)
    return render(request, "catalog/staff/draft_edit.html", ctx)


def _render_saved(request, matter, version, reason_data, *, error=None, findings=None):
    """The editor again, from the saved draft."""
    fields, rows = _editor_initial(version)
    return _render_editor(
        request,
        matter,
        version,
        cforms.GuideFieldsForm(initial=fields),
        cforms.row_formsets(initial=rows),
        cforms.SubmitReasonForm(initial=reason_data),
        findings=findings,
        error=error,
    )


def _lint(request, matter, version, reason_data):
    findings = selectors.guide_lint(version)
    if not findings:
        messages.success(request, "草稿已保存。检查完毕：未发现模糊或兜底表述。")
    return _render_saved(request, matter, version, reason_data, findings=findings)


def _refused(request, matter, version, reason_data, verb: str, error):
    findings = selectors.guide_lint(version) if error.code == "guide.lint" else None
    return _render_saved(
        request,
        matter,
        version,
        reason_data,
        error=f"草稿已保存，但未能{verb}：{error.message}",
        findings=findings,
    )


def _publish(request, matter, version, reason_data):
    outcome = attempt(services.guide_publish, actor=request.user, version=version)
    if not outcome.ok:
        return _refused(request, matter, version, reason_data, "发布", outcome.error)
    messages.success(request, f"已发布第{outcome.value.number}版办事指南。")
    return redirect("catalog:staff_matter", matter_id=matter.pk)


def _submit(request, matter, version, reason_data):
    outcome = attempt(
        services.process_change_submit,
        actor=request.user,
        version=version,
        reason=reason_data.get("reason", ""),
    )
    if not outcome.ok:
        return _refused(request, matter, version, reason_data, "提交审核", outcome.error)
    messages.success(request, f"第{version.number}版已提交流程再造审核，等待司法部门合法性审核。")
    return redirect("catalog:staff_matter", matter_id=matter.pk)


def _saved(request, matter, version, reason_data):
    messages.success(request, "草稿已保存。")
    return redirect("catalog:draft_edit", version_id=version.pk)


# What each button does once the draft is saved.
ACTIONS = {"lint": _lint, "publish": _publish, "submit": _submit}


def _editor(request, matter: Matter, version: GuideVersion | None):
    if not selectors.can_edit_matter(request.user, matter):
        raise Http404
    if request.method != "POST":
        fields, rows = _editor_initial(version)
        return _render_editor(
            request,
            matter,
            version,
            cforms.GuideFieldsForm(initial=fields),
            cforms.row_formsets(initial=rows),
            cforms.SubmitReasonForm(),
        )
    fields_form = cforms.GuideFieldsForm(request.POST)
    sets = cforms.row_formsets(request.POST)
    reason_form = cforms.SubmitReasonForm(request.POST)
    forms_ok = [fields_form.is_valid(), *(fs.is_valid() for fs in sets.values())]
    if not all([*forms_ok, reason_form.is_valid()]):
        return _render_editor(
            request, matter, version, fields_form, sets, reason_form, error=NOT_SAVED
        )
    saved = attempt(_save_draft, request.user, matter, version, fields_form, sets)
    if not saved.ok:
        placed = _place_row_errors(saved.error, fields_form, sets)
        error = NOT_SAVED if placed else "草稿未保存：" + saved.error.message
        return _render_editor(request, matter, version, fields_form, sets, reason_form, error=error)
    action = ACTIONS.get(request.POST.get("action", "save"), _saved)
    return action(request, matter, saved.value, reason_form.cleaned_data)


@login_required
def draft_edit(request, version_id: int):
    version = selectors.version_get_for_staff(scope=request.scope, version_id=version_id)
    if not version.is_draft:
        messages.warning(request, "该版本已发布或正在审核，不能修改；如需修改请新建草稿版本。")
        return redirect("catalog:version_preview", version_id=version.pk)
    return _editor(request, version.matter, version)


@login_required
def draft_new(request, matter_id: int):
    matter = selectors.matter_get_for_staff(scope=request.scope, matter_id=matter_id)
    open_version = selectors.open_version_of(matter)
    if open_version is not None:
        if open_version.is_draft:
            return redirect("catalog:draft_edit", version_id=open_version.pk)
        messages.warning(request, f"第{open_version.number}版正在审核，审核结束前不能新建草稿。")
        return redirect("catalog:staff_matter", matter_id=matter.pk)
    if matter.current_version_id is None:
        return _editor(request, matter, None)
    if request.method != "POST":
        return redirect("catalog:staff_matter", matter_id=matter.pk)
    back_to(request, reverse("catalog:staff_matter", kwargs={"matter_id": matter.pk}))
    version = services.guide_draft_create(actor=request.user, matter=matter)
    messages.success(request, f"已按现行版本新建第{version.number}版草稿。")
    return redirect("catalog:draft_edit", version_id=version.pk)


@login_required
def version_preview(request, version_id: int):
    version = selectors.version_get_for_staff(scope=request.scope, version_id=version_id)
    return render(
        request,
        "catalog/staff/version_preview.html",
        {
            **selectors.guide_context(version),
            "lint": selectors.lint_items(version) if version.is_draft else [],
            "change": selectors.change_of_version(version),
        },
    )
