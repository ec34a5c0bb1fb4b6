"""Checking a workbook before anything is written: every row against the catalog and
the actor's scope (references to departments, centers and matters, guide lint, time
compression, duplicates, permissions), collecting every error; ``validate`` returns the
report and, when clean, the plan."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from onewindow.catalog import guidelint
from onewindow.catalog.excel.columns import (
    GUIDE_ATTRS,
    LISTING_LOCAL,
    LISTINGS,
    MATERIAL_COLUMNS,
    MATERIALS,
    MATTERS,
    STEP_COLUMNS,
    STEPS,
    Report,
    RowError,
    audience_flags,
    audience_text,
    material_dict,
    scope_of,
    step_dict,
)
from onewindow.catalog.excel.plan import ListingPlan, MatterPlan, Plan
from onewindow.catalog.excel.reading import Collector, Row, header_of, read_workbook
from onewindow.catalog.models import (
    COMPRESSION_LIMIT,
    GUIDE_FIELDS,
    GuideVersion,
    Listing,
    Material,
    Matter,
    Step,
)
from onewindow.catalog.selectors.access import can_edit_matter
from onewindow.catalog.selectors.guides import field_label
from onewindow.catalog.services.common import require_listing_requester
from onewindow.catalog.services.matters import LEVEL_RANK
from onewindow.core.errors import DomainError, NotFound
from onewindow.org.models import Center, Department


def _by_name(qs, value: str):
    found = list(qs.filter(name=value)[:2])
    return found[0] if len(found) == 1 else None


class _Validator:
    def __init__(self, sheets: dict[str, list[Row]], *, actor, publish: bool, c: Collector):
        self.sheets, self.actor, self.publish, self.c = sheets, actor, publish, c
        self.scope = scope_of(actor)
        self.plans: dict[str, MatterPlan] = {}
        self.listings: list[ListingPlan] = []

    # matters ----------------------------------------------------------------------------
    def run(self) -> Plan:
        for row in self.sheets.get(MATTERS, []):
            self._matter_row(row)
        self._children(MATERIALS, "material_rows")
        self._children(STEPS, "step_rows")
        for plan in self.plans.values():
            if not plan.ambiguous:
                self._guide(plan)
        for row in self.sheets.get(LISTINGS, []):
            self._listing_row(row)
        return Plan(list(self.plans.values()), self.listings)

    def _matter_row(self, row: Row) -> None:
        code = row.get("code")
        if not code:
            return
        if code in self.plans and self.plans[code].row is not None:
            self.c.at(row, "code", f"基本编码与第{self.plans[code].row.number}行重复。")
            return
        plan = MatterPlan(code=code, row=row, level=row.get("level") or "")
        self.plans[code] = plan
        if "level" in row.bad or not plan.level:
            plan.ambiguous = True
            return
        existing = (
            Matter.objects.filter(code=code, level=plan.level)
            .select_related("department", "current_version")
            .first()
        )
        if existing is not None:
            plan.matter = existing
            self._compare_matter(row, existing)
            return
        dept_name = row.get("department")
        if dept_name:
            dept = _by_name(
                Department.objects.visible_to(self.scope).select_related("region"), dept_name
            )
            if dept is None:
                self.c.at(row, "department", f"未找到部门“{dept_name}”。")
            else:
                plan.department = dept
                if LEVEL_RANK[dept.region.level] > LEVEL_RANK[plan.level]:
                    self.c.at(row, "department", "标准维护部门的层级不能低于事项的实施层级。")
        for_persons, for_enterprises = audience_flags(row.get("audience"))
        plan.create = {
            "code": code,
            "name": row.get("name") or "",
            "kind": row.get("kind"),
            "level": plan.level,
            "department": plan.department,
            "domain": row.get("domain") or "",
            "keywords": row.get("keywords") or "",
            "for_persons": for_persons,
            "for_enterprises": for_enterprises,
        }
        if plan.department is not None and self.actor is not None:
            probe = Matter(
                code=code,
                level=plan.level,
                department=plan.department,
                line_id=plan.department.line_id,
            )
            if not can_edit_matter(self.actor, probe):
                self.c.at(
                    row,
                    "department",
                    "只有该部门（标准维护部门）或管辖该部门的中心管理员可以新建其事项。",
                )

    def _compare_matter(self, row: Row, matter: Matter) -> None:
        current = {
            "name": matter.name,
            "kind": matter.kind,
            "department": matter.department.name,
            "domain": matter.domain,
            "keywords": matter.keywords,
        }
        for attr, value in current.items():
            if attr not in row.bad and (row.get(attr) or "") != value:
                self.c.at(
                    row,
                    attr,
                    f"与系统中已有事项不一致（现为“{_display(matter, attr)}”）；"
                    "事项的基本信息不能通过导入修改。",
                )
        if "audience" not in row.bad and audience_flags(row.get("audience")) != (
            matter.for_persons,
            matter.for_enterprises,
        ):
            self.c.at(
                row,
                "audience",
                f"与系统中已有事项不一致（现为“{audience_text(matter)}”）；"
                "事项的基本信息不能通过导入修改。",
            )
        if matter.status != Matter.Status.ACTIVE:
            self.c.at(row, "code", "该事项已取消，不能导入其办事指南。")

    def _children(self, sheet: str, attr: str) -> None:
        for row in self.sheets.get(sheet, []):
            code = row.get("matter")
            if not code:
                continue
            plan = self.plans.get(code)
            if plan is None:
                found = list(Matter.objects.filter(code=code).select_related("current_version")[:2])
                if not found:
                    self.c.at(row, "matter", f"基本编码“{code}”不在事项表中，系统中也没有该事项。")
                    continue
                if len(found) > 1:
                    self.c.at(
                        row,
                        "matter",
                        "系统中有多个层级的事项使用该基本编码，请在事项表中列出该事项。",
                    )
                    continue
                plan = MatterPlan(code=code, matter=found[0], level=found[0].level)
                self.plans[code] = plan
            getattr(plan, attr).append(row)

    # guides -----------------------------------------------------------------------------
    def _guide(self, plan: MatterPlan) -> None:
        matter = plan.matter
        base = matter.current_version if matter else None
        if plan.row is None and base is None:
            row = plan.first_row
            self.c.at(row, "matter", "该事项尚无现行办事指南，请在事项表中填写该事项。")
            return
        if matter is not None and matter.status != Matter.Status.ACTIVE:
            if plan.row is None:
                self.c.at(plan.first_row, "matter", "该事项已取消，不能导入其办事指南。")
            return
        guide = {f: getattr(base, f) for f in GUIDE_FIELDS} if base else {}
        if plan.row is not None:
            for attr in GUIDE_ATTRS:
                guide[attr] = plan.row.get(attr)
        guide_changed = base is None or any(guide[a] != getattr(base, a) for a in GUIDE_ATTRS)
        if base is None or guide.get("fees") != base.fees:
            guide["is_free"] = (guide.get("fees") or "").strip() in ("", "不收费", "免费")
        materials = self._list(plan.material_rows, MATERIAL_COLUMNS, "材料", "name")
        steps = self._list(plan.step_rows, STEP_COLUMNS, "环节", "name")
        base_materials = [material_dict(m) for m in base.materials.all()] if base else []
        base_steps = [step_dict(s) for s in base.steps.all()] if base else []
        if materials is not None and [_strip_type(m) for m in materials] != base_materials:
            by_name = {m.name: m.material_type_id for m in base.materials.all()} if base else {}
            for m in materials:
                if by_name.get(m["name"]):
                    m["material_type"] = by_name[m["name"]]
            plan.materials = materials
        if steps is not None and steps != base_steps:
            plan.steps = steps
        plan.guide = guide
        plan.changed = guide_changed or plan.materials is not None or plan.steps is not None
        if not plan.changed:
            return
        anchor = plan.row or plan.first_row
        bad = set(plan.row.bad) if plan.row else set()
        if plan.row is not None and not bad & {"statutory_days", "promised_days"}:
            self._compression(plan.row, guide)
        if plan.row is not None:
            self._clean_guide(plan.row, guide, bad)
        if (materials if materials is not None else base_materials) == []:
            self.c.at(
                anchor,
                "code" if plan.row else "matter",
                "材料表中没有该事项的申请材料；确无材料的请填写一行“无需提交材料”。",
            )
        if (steps if steps is not None else base_steps) == []:
            self.c.at(anchor, "code" if plan.row else "matter", "环节表中没有该事项的办理环节。")
        self._lint(plan, guide, materials, steps, base)
        if matter is not None:
            if matter.versions.filter(
                status__in=[GuideVersion.Status.DRAFT, GuideVersion.Status.IN_REVIEW]
            ).exists():
                self.c.at(
                    anchor,
                    "code" if plan.row else "matter",
                    "该事项已有未发布的草稿或审核中的版本，请先办结该版本再导入。",
                )
            if self.actor is not None and not can_edit_matter(self.actor, matter):
                # Standard matters are public: name their keeper rather than hide them.
                self.c.at(
                    anchor,
                    "code" if plan.row else "matter",
                    f"该事项的办事指南由{matter.department.name}维护，您不能修改。",
                )

    def _list(self, rows: list[Row], columns, label: str, key: str) -> list[dict] | None:
        if not rows:
            return None
        model = Material if label == "材料" else Step
        seen_order: dict[int, int] = {}
        seen_name: dict[str, int] = {}
        items = []
        for row in rows:
            order, name = row.get("order"), row.get("name")
            if order is not None and "order" not in row.bad:
                if order in seen_order:
                    self.c.at(row, "order", f"序号与第{seen_order[order]}行重复。")
                seen_order.setdefault(order, row.number)
            if name:
                if name in seen_name:
                    self.c.at(row, "name", f"{label}名称与第{seen_name[name]}行重复。")
                seen_name.setdefault(name, row.number)
            data = {c.attr: row.get(c.attr) for c in columns if c.attr not in ("matter", "order")}
            self._clean_child(row, model, data)
            items.append((order if order is not None else 0, row.number, data))
        items.sort(key=lambda t: (t[0], t[1]))
        rows.sort(key=lambda r: (r.get("order") if r.get("order") is not None else 0, r.number))
        return [data for _, _, data in items]

    def _clean_child(self, row: Row, model, data: dict) -> None:
        fields = {k: v for k, v in data.items() if v is not None}
        probe = model(**fields)
        exclude = [
            "version",
            "blank_form",
            "sample",
            "material_type",
            "order",
            *row.bad,
            *(k for k, v in data.items() if v is None),
        ]
        exclude = [f for f in exclude if f in {f.name for f in model._meta.fields}]
        self._full_clean(row, probe, exclude)

    def _clean_guide(self, row: Row, guide: dict, bad: set) -> None:
        fields = {k: v for k, v in guide.items() if v is not None and k in GUIDE_FIELDS}
        probe = GuideVersion(number=1, **fields)
        exclude = [
            "matter",
            "created_by",
            "published_by",
            *bad,
            *(k for k in GUIDE_FIELDS if guide.get(k) is None),
        ]
        self._full_clean(row, probe, exclude)

    def _full_clean(self, row: Row, probe, exclude) -> None:
        try:
            probe.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                header = header_of(row.sheet, key) if key != "__all__" else ""
                for message in messages:
                    self.c.add(row.sheet, row.number, header, message)

    def _compression(self, row: Row, guide: dict) -> None:
        statutory, promised = guide.get("statutory_days"), guide.get("promised_days")
        if statutory is None or promised is None:
            return
        if promised > statutory:
            self.c.at(row, "promised_days", "承诺时限不能超过法定时限。")
            return
        if (
            statutory
            and promised / statutory > COMPRESSION_LIMIT
            and not (guide.get("compression_exception_reason") or "").strip()
        ):
            limit = int(statutory * COMPRESSION_LIMIT)
            self.c.at(
                row,
                "promised_days",
                f"承诺时限{promised}天超过法定时限{statutory}天的40%（不超过{limit}天）。"
                "请压缩承诺时限，或在“未达压缩要求的理由”中写明无法压缩的理由报审改部门终审。",
            )

    def _lint(self, plan: MatterPlan, guide: dict, materials, steps, base) -> None:
        texts: dict[str, tuple[str, Row | None, str]] = {}
        for attr in ("conditions", "fees", "result"):
            texts[attr] = (guide.get(attr) or "", plan.row, attr)
        if materials is not None:
            for i, (m, row) in enumerate(zip(materials, plan.material_rows, strict=True), start=1):
                for attr in ("name", "condition", "note"):
                    texts[f"materials[{i}].{attr}"] = (m.get(attr) or "", row, attr)
        elif base is not None:
            for i, m in enumerate(base.materials.all(), start=1):
                for attr in ("name", "condition", "note"):
                    texts[f"materials[{i}].{attr}"] = (getattr(m, attr), None, "申请材料")
        if steps is not None:
            for i, (s, row) in enumerate(zip(steps, plan.step_rows, strict=True), start=1):
                for attr in ("name", "description"):
                    texts[f"steps[{i}].{attr}"] = (s.get(attr) or "", row, attr)
        elif base is not None:
            for i, s in enumerate(base.steps.all(), start=1):
                for attr in ("name", "description"):
                    texts[f"steps[{i}].{attr}"] = (getattr(s, attr), None, "办理环节")
        for i, item in enumerate(guide.get("faq") or [], start=1):
            texts[f"faq[{i}].question"] = (str(item.get("question", "")), None, "常见问题")
            texts[f"faq[{i}].answer"] = (str(item.get("answer", "")), None, "常见问题")
        findings = guidelint.lint_guide({k: v[0] for k, v in texts.items() if v[0]})
        for finding in findings:
            if finding.severity != "error":
                continue
            _, row, attr = texts[finding.field]
            if row is None:
                row = plan.row or plan.first_row
                message = f"系统中现行指南的{field_label(finding.field)}：{finding.message}"
                self.c.add(
                    row.sheet,
                    row.number,
                    header_of(row.sheet, "code" if plan.row else "matter"),
                    message,
                )
            else:
                self.c.at(row, attr, finding.message)

    # listings ---------------------------------------------------------------------------
    def _listing_row(self, row: Row) -> None:
        code = row.get("matter")
        center_ref, dept_name, listing_code = (
            row.get("center"),
            row.get("department"),
            row.get("code"),
        )
        centers = Center.objects.visible_to(self.scope).select_related("region")
        center = None
        if center_ref:
            center = centers.filter(code=center_ref).first() or _by_name(centers, center_ref)
            if center is None:
                self.c.at(row, "center", f"未找到服务中心“{center_ref}”。")
        plan = self._listing_matter(row, code, center)
        if center is None or plan is None:
            return
        for other in self.listings:
            if other.matter_plan is plan and other.center.pk == center.pk:
                self.c.at(
                    row, "center", f"同一事项在同一服务中心的实施清单与第{other.row.number}行重复。"
                )
                return
            if listing_code and other.code == listing_code:
                self.c.at(row, "code", f"实施编码与第{other.row.number}行重复。")
                return
        local = {f: row.get(f) for f in LISTING_LOCAL}
        existing = None
        if plan.matter is not None:
            existing = (
                Listing.objects.filter(matter=plan.matter, center=center)
                .select_related("department")
                .first()
            )
        item = ListingPlan(
            row=row,
            matter_plan=plan,
            center=center,
            department=None,
            code=listing_code or "",
            local=local,
            existing=existing,
        )
        self.listings.append(item)
        if existing is not None:
            self._existing_listing(item)
            return
        if dept_name:
            item.department = _by_name(Department.objects.visible_to(self.scope), dept_name)
            if item.department is None:
                self.c.at(row, "department", f"未找到部门“{dept_name}”。")
        item.action = "enter"
        if listing_code and Listing.objects.filter(code=listing_code).exists():
            self.c.at(row, "code", "实施编码已被其他实施清单使用。")
        self._check_listing(item)

    def _listing_matter(
        self, row: Row, code: str | None, center: Center | None
    ) -> MatterPlan | None:
        if not code:
            return None
        plan = self.plans.get(code)
        if plan is not None:
            return None if plan.ambiguous else plan
        found = list(Matter.objects.filter(code=code).select_related("current_version"))
        if len(found) > 1 and center is not None:
            found = [m for m in found if m.level == center.level] or found
        if not found:
            self.c.at(row, "matter", f"基本编码“{code}”不在事项表中，系统中也没有该事项。")
            return None
        if len(found) > 1:
            self.c.at(
                row, "matter", "系统中有多个层级的事项使用该基本编码，请在事项表中列出该事项。"
            )
            return None
        plan = MatterPlan(code=code, matter=found[0], level=found[0].level)
        self.plans[code] = plan
        return plan

    def _existing_listing(self, item: ListingPlan) -> None:
        listing, row = item.existing, item.row
        item.department = listing.department
        if "department" not in row.bad and row.get("department") != listing.department.name:
            self.c.at(
                row,
                "department",
                f"与系统中已有实施清单不一致（现为“{listing.department.name}”）；"
                "实施部门不能通过导入修改。",
            )
        if "code" not in row.bad and item.code != listing.code:
            self.c.at(
                row,
                "code",
                f"与系统中已有实施清单不一致（现为“{listing.code}”）；实施编码不能通过导入修改。",
            )
        changed = {
            f: v for f, v in item.local.items() if v is not None and v != getattr(listing, f)
        }
        if not changed:
            return
        if listing.status == Listing.Status.ACTIVE:
            if listing.change_requests.filter(state="submitted").exists():
                self.c.at(row, "matter", "该事项在该中心已有待审批的申请，请等待审批结果后再导入。")
            item.action = "change"
            item.local = changed
            self._check_listing(item)
        elif listing.status == Listing.Status.PENDING:
            self.c.at(row, "matter", "该事项在该中心的进驻申请正在审批中，请等待审批结果后再导入。")
        else:
            self.c.at(
                row,
                "matter",
                f"该事项在该中心的实施清单{listing.get_status_display()}，不能通过导入恢复。",
            )

    def _check_listing(self, item: ListingPlan) -> None:
        row, dept, center, plan = item.row, item.department, item.center, item.matter_plan
        if dept is None:
            return
        if plan.matter is not None and plan.matter.status != Matter.Status.ACTIVE:
            self.c.at(row, "matter", "该事项已取消。")
        line_id = (
            plan.matter.line_id
            if plan.matter
            else (plan.department.line_id if plan.department else None)
        )
        if line_id is not None and dept.line_id != line_id:
            self.c.at(row, "department", "实施部门须属于该事项的部门系统。")
        probe = Listing(
            center=center,
            department=dept,
            code=item.code or "x",
            **{
                f: (
                    item.local.get(f)
                    if item.local.get(f) is not None
                    else getattr(item.existing, f, "")
                )
                for f in LISTING_LOCAL
            },
        )
        exclude = ["matter", *row.bad] + ([] if item.code else ["code"])
        exclude = [f for f in exclude if f in {f.name for f in Listing._meta.fields}]
        self._full_clean(row, probe, exclude)
        if self.actor is not None and not self.publish:
            try:
                require_listing_requester(self.actor, center, dept)
            except NotFound:
                self.c.at(row, "center", f"未找到服务中心“{row.get('center')}”。")
            except DomainError as exc:
                self.c.at(row, "department", exc.message)


def _display(matter: Matter, attr: str) -> str:
    if attr == "kind":
        return matter.get_kind_display()
    if attr == "department":
        return matter.department.name
    return getattr(matter, attr)


def _strip_type(material: dict) -> dict:
    return {k: v for k, v in material.items() if k != "material_type"}


def validate(source, *, actor, publish: bool = False) -> tuple[Report, Plan | None]:
    """Read and check the whole workbook; nothing is written."""
    report = Report(publish=publish)
    collector = Collector()
    if publish and not getattr(actor, "is_superuser", False):
        report.errors = [
            RowError(
                "",
                0,
                "",
                "只有系统管理员可以直接发布导入的事项清单（用于导入已经省级平台审定的清单）。",
            )
        ]
        return report, None
    sheets = read_workbook(source, collector)
    plan = None
    if sheets is not None:
        plan = _Validator(sheets, actor=actor, publish=publish, c=collector).run()
    report.errors = _sorted(collector.errors)
    if plan is not None:
        for m in plan.matters:
            if m.row is not None or m.changed:
                report.counts[
                    "matters_unchanged"
                    if not m.changed
                    else ("matters_new" if m.matter is None else "matters_changed")
                ] += 1
        for li in plan.listings:
            report.counts[
                {
                    "enter": "listings_new",
                    "change": "listings_changed",
                    "none": "listings_unchanged",
                }[li.action]
            ] += 1
    return report, plan


def _sorted(errors: Iterable[RowError]) -> list[RowError]:
    return sorted(set(errors), key=RowError.sort_key)
