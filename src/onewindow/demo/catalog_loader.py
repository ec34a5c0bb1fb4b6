"""Building the demo matter catalog through the catalog's services.

Guides are published the way a real one is: the prefecture center administrator
drafts and submits, the prefecture's legality reviewer (司法局) and final reviewer
(编办审改) approve, and the final reviewer accepts the recorded reason of a guide
that cannot be compressed to 40% (R-CAT-8). Listings are entered by a change request
that the level's government office approves (R-CAT-4): the prefecture's office for
the prefecture center, 临夏县's office for 临夏县 and its townships, and the demo
superuser for the other counties, whose offices have no demo account.

Each step looks for what it would make and keeps what is there: loading twice
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from onewindow.catalog import services
from onewindow.catalog.models import (
    Bundle,
    ChangeRequest,
    Listing,
    MaterialType,
    Matter,
)
from onewindow.catalog.selectors.access import approver_region_for
from onewindow.core.audit import audit_record, snapshot
from onewindow.demo import catalog_data as cd
from onewindow.demo import data
from onewindow.org.models import Center, Department, Level, Region

User = get_user_model()

LEVELS = {cd.P: Level.PREFECTURE, cd.C: Level.COUNTY, cd.T: Level.TOWNSHIP}
ENTRY_REASON = "按照“应进必进”要求，该事项进驻本中心统一受理。"


@dataclass
class _Actors:
    root: object
    editor: object  # drafts and submits guides, asks for prefecture and county listings
    legality: object
    final: object
    pref_gov: object
    county_admin: dict  # region code → center administrator of that county
    county_gov: dict  # region code → government office of that county

    def requester(self, center: Center):
        county = approver_region_for(center).code
        return self.county_admin.get(county, self.editor)

    def approver(self, center: Center):
        region = approver_region_for(center)
        if region.level == Level.PREFECTURE:
            return self.pref_gov
        return self.county_gov.get(region.code, self.root)


def _user(username: str, fallback):
    return User.objects.filter(username=username, is_active=True).first() or fallback


def _actors() -> _Actors:
    root = User.objects.get(username=data.SUPERUSER[0], is_superuser=True)
    return _Actors(
        root=root,
        editor=_user("lxz-admin", root),
        legality=_user("lxz-legality", root),
        final=_user("lxz-final", root),
        pref_gov=_user("lxz-govoffice", root),
        county_admin=_present({"622921": _user("lxx-admin", None)}),
        county_gov=_present({"622921": _user("lxx-govoffice", None)}),
    )


def _present(accounts: dict) -> dict:
    return {code: user for code, user in accounts.items() if user is not None}


class _Catalog:
    def __init__(self, actors: _Actors):
        self.a = actors
        self.created = 0
        self.pref = Region.objects.get(code=data.PREFECTURE_CODE)
        self.departments = {
            (d.region.code, d.line.code): d
            for d in Department.objects.select_related("region", "line")
        }
        self.centers = {
            c.region.code: c for c in Center.objects.select_related("region", "region__parent")
        }
        self.matters: dict[str, Matter] = {}

    # --- material types -----------------------------------------------------------------

    def material_types(self) -> None:
        existing = set(MaterialType.objects.values_list("code", flat=True))
        for code, name in cd.MATERIAL_TYPES:
            if code in existing:
                continue
            material_type = MaterialType.objects.create(code=code, name=name)
            audit_record(
                actor=self.a.root,
                action="material_type.create",
                target=material_type,
                after=snapshot(material_type),
                note="载入演示事项目录：通用材料",
            )
            self.created += 1

    # --- matters and their guides ---------------------------------------------------------

    def matter(self, m: cd.MatterData) -> Matter:
        level = LEVELS[m.level]
        matter = Matter.objects.filter(code=cd.CODES[m.key], level=level).first()
        if matter is None:
            matter = services.matter_create(
                actor=self.a.editor,
                code=cd.CODES[m.key],
                name=m.name,
                kind=m.kind,
                level=level,
                department=self.departments[(data.PREFECTURE_CODE, m.line)],
                domain=m.domain,
                keywords=m.keywords,
                for_persons=m.for_persons,
                for_enterprises=m.for_enterprises,
            )
            self.created += 1
        if not matter.versions.exists():
            self.publish(matter, m)
            matter.refresh_from_db()
        self.matters[m.key] = matter
        return matter

    def publish(self, matter: Matter, m: cd.MatterData) -> None:
        version = services.guide_draft_create(
            actor=self.a.editor,
            matter=matter,
            legal_basis=m.legal_basis,
            conditions=m.conditions,
            statutory_days=m.statutory_days,
            promised_days=m.promised_days,
            limit_unit=m.limit_unit,
            visits=m.visits,
            online_depth=m.online_depth,
            fees=m.fees,
            is_free=m.is_free,
            result=m.result,
            faq=[dict(x) for x in m.faq],
            form_fields=[dict(x) for x in m.form_fields],
            compression_exception_reason=m.exception_reason,
            change_note="首次编制标准办事指南",
        )
        services.guide_materials_set(actor=self.a.editor, version=version, materials=m.materials)
        services.guide_steps_set(actor=self.a.editor, version=version, steps=m.steps)
        change = services.process_change_submit(
            actor=self.a.editor,
            version=version,
            reason="按照“一件事一次办”要求编制全州统一的标准办事指南，材料、环节、时限全州一致。",
        )
        change = services.process_change_legality_review(
            actor=self.a.legality,
            change=change,
            approve=True,
            opinion=f"设定依据{m.legal_basis.split('；')[0]}合法有效，申请材料和受理条件未超出法定范围。",
        )
        exception = bool(m.exception_reason)
        services.process_change_final_review(
            actor=self.a.final,
            change=change,
            approve=True,
            accept_exception=exception,
            opinion=(
                "承诺时限未达压缩60%的要求，所述法定程序期间属实，同意列为压缩例外事项。"
                if exception
                else "同意实施。"
            ),
        )
        self.created += 1

    # --- listings ---------------------------------------------------------------------------

    def targets(self, m: cd.MatterData) -> list[tuple[Center, Department]]:
        if m.level == cd.P:
            return [
                (
                    self.centers[data.PREFECTURE_CODE],
                    self.departments[(data.PREFECTURE_CODE, m.line)],
                )
            ]
        if m.level == cd.C:
            return [
                (self.centers[c.code], self.departments[(c.code, m.line)]) for c in data.COUNTIES
            ]
        result = []
        for county in data.COUNTIES:
            for town in county.townships:
                result.append(
                    (
                        self.centers[county.code + town.suffix],
                        self.departments[(county.code, m.line)],
                    )
                )
        return result

    def listings(self, m: cd.MatterData, existing: set[tuple[int, int]]) -> None:
        matter = self.matters[m.key]
        outside = {(key, county): (reason, note) for key, county, reason, note in cd.OUTSIDE}
        for center, department in self.targets(m):
            if (matter.pk, center.pk) in existing:
                continue
            township = center.region.level == Level.TOWNSHIP
            local = {
                "place": f"{center.address}，{center.name}",
                "windows": cd.TOWNSHIP_WINDOW if township else cd.WINDOWS[m.line],
                "phone": center.phone,
                "complaint_phone": center.complaint_phone,
            }
            if (m.key, center.region.code) in outside:
                reason, note = outside[(m.key, center.region.code)]
                local.update(
                    handled_outside=True,
                    outside_reason=reason,
                    outside_note=note,
                    place=note.replace("（演示）", "") + data.DEMO_MARK,
                )
            request = services.listing_request_entry(
                actor=self.a.requester(center),
                matter=matter,
                center=center,
                department=department,
                code=f"{center.region.code}-{matter.code}",
                reason=ENTRY_REASON,
                **local,
            )
            services.change_request_decide(
                actor=self.a.approver(center), request=request, approve=True, opinion="同意进驻。"
            )
            self.created += 1

    # --- bundles ----------------------------------------------------------------------------

    def bundles(self) -> None:
        existing = set(Bundle.objects.values_list("code", flat=True))
        for b in cd.BUNDLES:
            if b.code in existing:
                continue
            matters = [self.matters[k] for k in b.matters]
            services.bundle_save(
                actor=self.a.editor,
                code=b.code,
                name=b.name,
                matters=matters,
                description=b.description,
                keywords=b.keywords,
                optional=[self.matters[k].pk for k in b.optional],
            )
            self.created += 1

    # --- work in progress -------------------------------------------------------------------

    def pending_process_changes(self) -> None:
        for p in cd.PENDING_PROCESS_CHANGES:
            matter = self.matters[p.matter]
            if matter.versions.filter(number__gt=1).exists():
                continue
            version = services.guide_draft_create(actor=self.a.editor, matter=matter, **p.changes)
            if p.steps is not None:
                services.guide_steps_set(actor=self.a.editor, version=version, steps=p.steps)
            change = services.process_change_submit(
                actor=self.a.editor, version=version, reason=p.reason
            )
            if p.stage == "final_review":
                services.process_change_legality_review(
                    actor=self.a.legality,
                    change=change,
                    approve=True,
                    opinion="优化后的流程未减损申请人权利，未增加法定条件，合法。",
                )
            self.created += 1

    def pending_requests(self) -> None:
        for p in cd.PENDING_REQUESTS:
            matter = self.matters[p.matter]
            center = self.centers[p.center]
            listing = Listing.objects.filter(matter=matter, center=center).first()
            if p.kind == ChangeRequest.Kind.ENTER:
                if listing is not None:
                    continue
                county = approver_region_for(center).code
                services.listing_request_entry(
                    actor=self.a.requester(center),
                    matter=matter,
                    center=center,
                    department=self.departments[(county, matter.line.code)],
                    code=f"{center.region.code}-{matter.code}",
                    reason=p.reason,
                    **p.local,
                )
            else:
                if listing is None or listing.change_requests.count() > 1:
                    continue
                services.listing_request_change(
                    actor=self.a.requester(center),
                    listing=listing,
                    kind=p.kind,
                    reason=p.reason,
                    **p.local,
                )
            self.created += 1


@transaction.atomic
def load_demo_catalog() -> int:
    """Build (or complete) the demo catalog on top of the demo network; return how
    many matters, listings, bundles and pending changes were made."""
    catalog = _Catalog(_actors())
    catalog.material_types()
    for m in cd.MATTERS:
        catalog.matter(m)
    existing = set(Listing.objects.values_list("matter_id", "center_id"))
    for m in cd.MATTERS:
        catalog.listings(m, existing)
    catalog.bundles()
    catalog.pending_process_changes()
    catalog.pending_requests()
    return catalog.created
